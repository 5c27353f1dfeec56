"""Resolve the settings a strategy may define and the config may override.

Precedence per key: a config value that is set (not None) > the strategy attribute > the built-in
default. The effective value is written back to both the strategy and the config object, so that
`show_config` and user code see the same thing.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from tradewind.domain.timeframes import is_valid_timeframe
from tradewind.errors import ConfigError
from tradewind.strategy.interface import DEFAULT_ORDER_TYPES, DEFAULT_TIME_IN_FORCE
from tradewind.strategy.legacy import migrate_order_keys

SETTING_KEYS = (
    "minimal_roi",
    "timeframe",
    "stoploss",
    "trailing_stop",
    "trailing_stop_positive",
    "trailing_stop_positive_offset",
    "trailing_only_offset_is_reached",
    "use_custom_stoploss",
    "process_only_new_candles",
    "order_types",
    "order_time_in_force",
    "stake_currency",
    "stake_amount",
    "startup_candle_count",
    "unfilledtimeout",
    "use_exit_signal",
    "exit_profit_only",
    "ignore_roi_if_entry_signal",
    "exit_profit_offset",
    "disable_dataframe_checks",
    "ignore_buying_expired_candle_after",
    "position_adjustment_enable",
    "max_entry_position_adjustment",
    "max_open_trades",
)

log = logging.getLogger(__name__)

_DEFAULTS: dict[str, Any] = {
    "minimal_roi": {},
    "trailing_stop": False,
    "trailing_stop_positive_offset": 0.0,
    "trailing_only_offset_is_reached": False,
    "use_custom_stoploss": False,
    "process_only_new_candles": True,
    "order_types": DEFAULT_ORDER_TYPES,
    "order_time_in_force": DEFAULT_TIME_IN_FORCE,
    "startup_candle_count": 0,
    "unfilledtimeout": {},
    "use_exit_signal": True,
    "exit_profit_only": False,
    "ignore_roi_if_entry_signal": False,
    "exit_profit_offset": 0.0,
    "disable_dataframe_checks": False,
    "ignore_buying_expired_candle_after": 0,
    "position_adjustment_enable": False,
    "max_entry_position_adjustment": -1,
    "max_open_trades": -1,
}
_BOOLS = (
    "trailing_stop",
    "trailing_only_offset_is_reached",
    "use_custom_stoploss",
    "process_only_new_candles",
    "use_exit_signal",
    "exit_profit_only",
    "ignore_roi_if_entry_signal",
    "disable_dataframe_checks",
    "position_adjustment_enable",
)
_INTS = (
    "startup_candle_count",
    "ignore_buying_expired_candle_after",
    "max_entry_position_adjustment",
)
_FLOATS = ("trailing_stop_positive_offset", "exit_profit_offset")
_ORDER_TYPE_VALUES = ("limit", "market")
_TIME_IN_FORCE_VALUES = ("GTC", "FOK", "IOC", "PO")


@dataclass(frozen=True)
class StrategySettings:
    """The effective, validated values of every strategy-overridable setting."""

    minimal_roi: tuple[tuple[int, float], ...]  # (minutes, ratio), ascending minutes
    timeframe: str
    stoploss: float
    trailing_stop: bool
    trailing_stop_positive: float | None
    trailing_stop_positive_offset: float
    trailing_only_offset_is_reached: bool
    use_custom_stoploss: bool
    process_only_new_candles: bool
    order_types: Mapping[str, Any]
    order_time_in_force: Mapping[str, str]
    stake_currency: str
    stake_amount: float | str  # a number or "unlimited"
    startup_candle_count: int
    unfilledtimeout: Mapping[str, Any]  # empty: no timeout
    use_exit_signal: bool
    exit_profit_only: bool
    ignore_roi_if_entry_signal: bool
    exit_profit_offset: float
    disable_dataframe_checks: bool
    ignore_buying_expired_candle_after: int
    position_adjustment_enable: bool
    max_entry_position_adjustment: int
    max_open_trades: float  # math.inf when unlimited

    def roi_for(self, trade_minutes: float) -> float | None:
        """ROI threshold of the largest table key <= the trade's age, None before the first."""
        threshold = None
        for minutes, ratio in self.minimal_roi:
            if minutes <= trade_minutes:
                threshold = ratio
        return threshold


# -- reading and writing the config object --------------------------------------------------------
def _plain(value: Any) -> Any:
    """Pydantic sub-models as dicts (without unset keys); anything else unchanged."""
    if hasattr(value, "model_dump"):
        return value.model_dump(exclude_none=True)
    return value


def _config_value(config: Any, key: str) -> tuple[Any, bool]:
    """(value, given explicitly) of `key` in the config; (None, False) when absent."""
    if config is None:
        return None, False
    if isinstance(config, Mapping):
        value = _plain(config.get(key))
        return value, value is not None
    value = _plain(getattr(config, key, None))
    # A pydantic model also reports its field defaults; only fields the user gave are explicit.
    fields_set = getattr(config, "model_fields_set", None)
    explicit = value is not None and (fields_set is None or key in fields_set)
    return value, explicit


def _model_type_for(config: Any, key: str) -> Any:
    current = getattr(config, key, None)
    if hasattr(type(current), "model_validate"):
        return type(current)
    field = getattr(type(config), "model_fields", {}).get(key)
    annotation = getattr(field, "annotation", None)
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and hasattr(candidate, "model_validate"):
            return candidate
    return None


def _write_config(config: Any, key: str, value: Any) -> None:
    if config is None:
        return
    if isinstance(config, MutableMapping):
        config[key] = value
        return
    fields = getattr(type(config), "model_fields", None)
    if fields is not None and key not in fields and not hasattr(config, key):
        log.warning("The config model has no field %r; its effective value stays unreported", key)
        return
    model_type = _model_type_for(config, key) if isinstance(value, Mapping) else None
    try:
        setattr(config, key, model_type.model_validate(value) if model_type else value)
    except (ValueError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{key}: cannot store the effective value {value!r}: {exc}") from exc


# -- validation and normalisation ----------------------------------------------------------------
def _normalise_roi(value: Any) -> dict[int, float]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"minimal_roi must be an object of {{minutes: ratio}}, got {value!r}")
    try:
        pairs = sorted((int(float(minutes)), float(ratio)) for minutes, ratio in value.items())
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"minimal_roi: keys must be minutes and values ratios ({exc})") from exc
    if any(minutes < 0 for minutes, _ in pairs):
        raise ConfigError("minimal_roi: minutes must not be negative")
    return dict(pairs)


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        raise ConfigError(f"{key} must be a number, got {value!r}")
    return float(value)


def _check_stoploss(value: Any) -> float:
    if value is None:
        raise ConfigError("stoploss is required: define it in the strategy or the config")
    stoploss = _number("stoploss", value)
    if not stoploss < 0:
        raise ConfigError(f"stoploss must be negative (e.g. -0.10), got {value!r}")
    return stoploss


def _check_trailing(values: Mapping[str, Any]) -> None:
    if not values["trailing_stop"]:
        return
    positive, offset = values["trailing_stop_positive"], values["trailing_stop_positive_offset"]
    if positive is not None and positive == 0:
        raise ConfigError("trailing_stop_positive must not be 0 when trailing_stop is on")
    if values["trailing_only_offset_is_reached"] and positive is None:
        raise ConfigError("trailing_only_offset_is_reached needs trailing_stop_positive to be set")
    if positive is not None and 0 < offset <= positive:
        raise ConfigError(
            "trailing_stop_positive_offset must be greater than trailing_stop_positive"
        )


def _check_choices(
    key: str, values: Mapping[str, Any], names: tuple[str, ...], allowed: tuple[str, ...]
) -> None:
    for name in names:
        if name in values and str(values[name]).upper() not in {a.upper() for a in allowed}:
            raise ConfigError(
                f"{key}.{name} must be one of {', '.join(allowed)}, got {values[name]!r}"
            )


def _check_order_types(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"order_types must be an object, got {value!r}")
    order_types = migrate_order_keys("order_types", value, "order_types")
    missing = [
        k for k in ("entry", "exit", "stoploss", "stoploss_on_exchange") if k not in order_types
    ]
    if missing:
        raise ConfigError(f"order_types is missing required key(s): {', '.join(missing)}")
    names = ("entry", "exit", "stoploss", "force_entry", "force_exit", "emergency_exit")
    _check_choices("order_types", order_types, names, _ORDER_TYPE_VALUES)
    return order_types


def _check_time_in_force(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"order_time_in_force must be an object, got {value!r}")
    tif = migrate_order_keys("order_time_in_force", value, "order_time_in_force")
    _check_choices("order_time_in_force", tif, tuple(tif), _TIME_IN_FORCE_VALUES)
    return tif


def _check_unfilled(value: Any) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"unfilledtimeout must be an object, got {value!r}")
    timeouts = migrate_order_keys("unfilledtimeout", value, "unfilledtimeout")
    if timeouts.get("unit", "minutes") not in ("minutes", "seconds"):
        raise ConfigError("unfilledtimeout.unit must be 'minutes' or 'seconds'")
    return timeouts


def _check_max_open_trades(value: Any) -> float:
    number = _number("max_open_trades", value)
    if number == -1 or math.isinf(number):
        return math.inf
    if number < -1 or number != int(number):
        raise ConfigError(f"max_open_trades must be an integer >= -1, got {value!r}")
    return number


def _check_stake(currency: Any, amount: Any, max_open_trades: float) -> None:
    if not currency:
        raise ConfigError("stake_currency is required")
    if amount == "unlimited":
        if math.isinf(max_open_trades):
            raise ConfigError("stake_amount and max_open_trades cannot both be unlimited")
        return
    if amount is None or _number("stake_amount", amount) < 0.0001:
        raise ConfigError(f"stake_amount must be a number >= 0.0001 or 'unlimited', got {amount!r}")


# -- resolution -----------------------------------------------------------------------------------
def _raw_values(strategy: Any, config: Any) -> dict[str, Any]:
    """Per key: an explicit config value, else the strategy attribute, else the config's own
    default (a model field default), else the built-in default."""
    values: dict[str, Any] = {}
    for key in SETTING_KEYS:
        config_value, explicit = _config_value(config, key)
        candidates = (
            config_value if explicit else None,
            getattr(strategy, key, None),
            config_value,
            _DEFAULTS.get(key),
        )
        values[key] = next((c for c in candidates if c is not None), None)
    return values


def _typed_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and convert every raw value; raises ConfigError naming the key."""
    values = dict(raw)
    values["minimal_roi"] = _normalise_roi(raw["minimal_roi"])
    timeframe = raw["timeframe"]
    if not isinstance(timeframe, str) or not is_valid_timeframe(timeframe):
        raise ConfigError(f"timeframe is required and must look like 5m/1h/1d, got {timeframe!r}")
    values["stoploss"] = _check_stoploss(raw["stoploss"])
    for key in _BOOLS:
        values[key] = bool(raw[key])
    for key in _INTS:
        values[key] = int(_number(key, raw[key]))
    for key in _FLOATS:
        values[key] = _number(key, raw[key])
    positive = raw["trailing_stop_positive"]
    values["trailing_stop_positive"] = (
        None if positive is None else _number("trailing_stop_positive", positive)
    )
    _check_trailing(values)
    values["order_types"] = _check_order_types(raw["order_types"])
    values["order_time_in_force"] = _check_time_in_force(raw["order_time_in_force"])
    values["unfilledtimeout"] = _check_unfilled(raw["unfilledtimeout"])
    values["max_open_trades"] = _check_max_open_trades(raw["max_open_trades"])
    _check_stake(raw["stake_currency"], raw["stake_amount"], values["max_open_trades"])
    if raw["stake_amount"] != "unlimited":
        values["stake_amount"] = float(raw["stake_amount"])
    return values


def _config_form(key: str, value: Any) -> Any:
    """How the config stores a value: string ROI keys, -1 for unlimited trades."""
    if key == "minimal_roi":
        return {str(minutes): ratio for minutes, ratio in value.items()}
    if key == "max_open_trades":
        return -1 if math.isinf(value) else int(value)
    return value


def resolve_settings(strategy: Any, config: Any) -> StrategySettings:
    """Resolve, validate and write back every strategy-overridable setting.

    `config` is the bot config object (pydantic model with these attribute names; sub-sections
    may be models or dicts) or a plain mapping. Raises ConfigError naming the offending key.
    """
    raw = _raw_values(strategy, config)
    values = _typed_values(raw)
    for key in SETTING_KEYS:
        setattr(strategy, key, values[key])
        # stake_amount goes back as written (100 stays 100): show_config echoes it as text.
        written = raw[key] if key == "stake_amount" else _config_form(key, values[key])
        _write_config(config, key, written)
    frozen = dict(values)
    frozen["minimal_roi"] = tuple(values["minimal_roi"].items())
    for key in ("order_types", "order_time_in_force", "unfilledtimeout"):
        frozen[key] = MappingProxyType(dict(values[key]))
    return StrategySettings(**frozen)
