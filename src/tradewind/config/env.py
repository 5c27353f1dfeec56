"""Environment overrides: `TRADEWIND__SECTION__KEY=value` (and Freqtrade's `FREQTRADE__…`).

Double underscores separate nesting levels; keys are lower-cased except below
`exchange.ccxt_config` / `ccxt_sync_config` / `ccxt_async_config`, where ccxt's camelCase option
names must survive. Values are typed: int → float → true/false/t/f → JSON list → string, except
for secret keys and `chat_id`, which always stay strings.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from tradewind.config.layers import Layer
from tradewind.config.masking import is_secret_key

PREFIXES = ("FREQTRADE__", "TRADEWIND__")
"""Lowest precedence first: TRADEWIND__ wins over FREQTRADE__ for the same key."""

_CASE_KEPT_SECTIONS = ("ccxt_config", "ccxt_sync_config", "ccxt_async_config")


def _key_path(segments: list[str]) -> list[str]:
    path: list[str] = []
    for segment in segments:
        keep_case = len(path) >= 2 and path[0] == "exchange" and path[1] in _CASE_KEPT_SECTIONS
        path.append(segment if keep_case else segment.lower())
    return path


def typed_value(raw: str, key: str) -> Any:
    """The typed value of an environment string for config key `key` (config.md §1)."""
    if is_secret_key(key) or key.lower() == "chat_id":
        return raw
    for convert in (_as_number, _as_bool, _as_list):
        value = convert(raw)
        if value is not None:
            return value
    return raw


def _as_number(raw: str) -> int | float | None:
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        number = float(raw)
    except ValueError:
        return None
    return number if math.isfinite(number) else None  # "inf" and "nan" stay strings


def _as_bool(raw: str) -> bool | None:
    return {"true": True, "t": True, "false": False, "f": False}.get(raw.lower())


def _as_list(raw: str) -> list[Any] | None:
    if not raw.lstrip().startswith("["):
        return None
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, list) else None


def _nested(path: list[str], value: Any) -> dict[str, Any]:
    result: dict[str, Any] = {path[-1]: value}
    for key in reversed(path[:-1]):
        result = {key: result}
    return result


def env_layers(env: Mapping[str, str]) -> list[Layer]:
    """One layer per recognised variable, in the order they must be merged."""
    layers: list[Layer] = []
    for prefix in PREFIXES:
        for name in sorted(env):
            if not name.startswith(prefix):
                continue
            segments = name[len(prefix) :].split("__")
            if not all(segments):
                continue
            path = _key_path(segments)
            value = typed_value(env[name], path[-1])
            layers.append(Layer.of(_nested(path, value), f"environment variable {name}"))
    return layers
