"""Turn pydantic's validation errors into one-line problems: key path and plain message."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from tradewind.config.masking import MASK, is_secret_key
from tradewind.config.models.bot import RULES_BROKEN
from tradewind.config.models.fields import INVALID

_MAX_SHOWN = 60

_GENERIC = {
    "missing": "required key is missing",
    "model_type": "must be an object",
    "model_attributes_type": "must be an object",
    "dict_type": "must be an object",
    "list_type": "must be a list",
    "string_type": "must be a string",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "int_from_float": "must be an integer",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
}


@dataclass(frozen=True)
class Problem:
    """One thing wrong in the config: where (key path) and what."""

    path: tuple[str | int, ...]
    message: str

    @property
    def dotted(self) -> str:
        """ "exchange.pair_whitelist[2]" for ("exchange", "pair_whitelist", 2)."""
        return dotted_path(self.path)


def dotted_path(path: Sequence[str | int]) -> str:
    """Key path as written in messages: dots between keys, [n] for list items."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def shown_value(value: Any, *, secret: bool) -> str:
    """The offending value as JSON, shortened; "***" for secrets."""
    if secret:
        return MASK
    try:
        text = json.dumps(value, ensure_ascii=False, default=str)
    except ValueError:
        text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _is_secret_path(path: Sequence[str | int]) -> bool:
    return any(is_secret_key(part) for part in path)


def _clean_path(loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    # Union members and validator wrappers add loc parts such as "function-before[...]".
    return tuple(part for part in loc if not (isinstance(part, str) and "[" in part))


def _message(error: ErrorDetails, path: tuple[str | int, ...]) -> str:
    kind = error["type"]
    secret = _is_secret_path(path)
    if kind == "value_error":
        message = error["msg"].removeprefix("Value error, ")
        if secret and isinstance(error.get("input"), str) and error["input"]:
            message = message.replace(error["input"], MASK)
        return message
    if kind == "missing":
        return _GENERIC[kind]
    if kind == INVALID:
        expected = error["msg"]
    elif kind == "literal_error":
        expected = f"must be one of {error.get('ctx', {}).get('expected', '')}"
    else:
        expected = _GENERIC.get(kind, error["msg"])
    return f"{expected} (got {shown_value(error.get('input'), secret=secret)})"


def problems_from(error: ValidationError) -> list[Problem]:
    """Every problem in `error`, in pydantic's order (cross-key rules expanded)."""
    problems: list[Problem] = []
    for detail in error.errors():
        if detail["type"] == RULES_BROKEN:
            for path, message in detail.get("ctx", {}).get("problems", ()):
                problems.append(Problem(tuple(path), message))
            continue
        path = _clean_path(detail["loc"])
        problems.append(Problem(path, _message(detail, path)))
    return problems
