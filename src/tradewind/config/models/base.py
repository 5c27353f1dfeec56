"""The base of every config section: unknown keys kept for warnings, renamed keys migrated."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationInfo, model_validator

from tradewind.domain.enums import RunMode

logger = logging.getLogger(__name__)

NOTES = "notes"
"""Validation-context key: a list of (key path, message) deprecation notes (loader warnings)."""

RUNMODE = "runmode"
"""Validation-context key: the `RunMode` of the command being started."""

TRADE_MODES = frozenset({RunMode.LIVE, RunMode.DRY_RUN})


def note(info: ValidationInfo, path: tuple[str, ...], message: str) -> None:
    """Report a non-fatal finding about `path`: into the context's notes, else to the log."""
    context = info.context
    if isinstance(context, dict) and isinstance(context.get(NOTES), list):
        context[NOTES].append((path, message))
    else:
        logger.warning(message)


def context_runmode(info: ValidationInfo) -> RunMode | None:
    """The run mode the loader validates for, or None when validated without context."""
    context = info.context
    if isinstance(context, dict):
        runmode = context.get(RUNMODE)
        if isinstance(runmode, RunMode):
            return runmode
    return None


class ConfigModel(BaseModel):
    """A config section.

    Unknown keys are kept (`model_extra`) so the loader can warn about each one by path;
    `renamed_keys` maps old key names to current ones and is applied before validation.
    Assignment is not validated: the strategy resolver writes effective values back later.
    """

    model_config = ConfigDict(extra="allow", protected_namespaces=())

    section: ClassVar[str] = ""
    """Dotted path of this section in the config file, used in deprecation notes."""

    renamed_keys: ClassVar[Mapping[str, str]] = {}
    """Deprecated key → current key, migrated with a note."""

    tolerate_unknown_keys: ClassVar[bool] = False
    """True when extra keys are legitimate (handler parameters, tolerated blocks)."""

    @model_validator(mode="before")
    @classmethod
    def _migrate_renamed_keys(cls, data: Any, info: ValidationInfo) -> Any:
        if not cls.renamed_keys or not isinstance(data, dict):
            return data
        data = dict(data)
        prefix = f"{cls.section}." if cls.section else ""
        section = tuple(cls.section.split(".")) if cls.section else ()
        for old, new in cls.renamed_keys.items():
            if old not in data:
                continue
            value = data.pop(old)
            path = (*section, old)
            if new in data:
                note(info, path, f"Config key '{prefix}{old}' ignored: '{prefix}{new}' is also set")
            else:
                data[new] = value
                message = f"Config key '{prefix}{old}' is deprecated; read as '{prefix}{new}'"
                note(info, path, message)
        return data
