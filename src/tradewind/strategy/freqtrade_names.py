"""The names Freqtrade strategy files import, provided by tradewind.

While a strategy file loads, the loader's import mapping (import_mapping.py) serves
`freqtrade.strategy`, `freqtrade.persistence`, `freqtrade.enums` and `freqtrade.exchange` from the
name groups below. tradewind's own code imports from `tradewind.strategy` instead.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal, TypedDict

from tradewind.domain.enums import (
    CandleType,
    ExitType,
    OrderStatus,
    OrderType,
    RunMode,
    SignalDirection,
    TradingMode,
)
from tradewind.domain.timeframes import (
    timeframe_to_minutes,
    timeframe_to_msecs,
    timeframe_to_next_date,
    timeframe_to_prev_date,
    timeframe_to_seconds,
)
from tradewind.strategy.informative import (
    informative,
    merge_informative_pair,
    stoploss_from_absolute,
    stoploss_from_open,
)
from tradewind.strategy.interface import IStrategy
from tradewind.strategy.parameters import (
    BaseParameter,
    BooleanParameter,
    CategoricalParameter,
    DecimalParameter,
    IntParameter,
    RealParameter,
)
from tradewind.strategy.trade_view import OrderView as Order
from tradewind.strategy.trade_view import TradeView as Trade


class SignalType(StrEnum):
    """Names of the signal columns."""

    ENTER_LONG = "enter_long"
    EXIT_LONG = "exit_long"
    ENTER_SHORT = "enter_short"
    EXIT_SHORT = "exit_short"


class SignalTagType(StrEnum):
    """Names of the tag columns."""

    ENTER_TAG = "enter_tag"
    EXIT_TAG = "exit_tag"


class MarginMode(StrEnum):
    """Margin modes of the config's `margin_mode`."""

    CROSS = "cross"
    ISOLATED = "isolated"
    NONE = ""


class AnnotationType(TypedDict, total=False):
    """One chart annotation returned by `plot_annotations`."""

    type: Literal["area", "line", "point"]
    start: str | datetime
    end: str | datetime
    y_start: float
    y_end: float
    color: str
    label: str
    z_level: int


class PairLocks:
    """Freqtrade's global lock registry does not exist in tradewind (no global state).

    Strategies lock pairs through `self.lock_pair`, `self.unlock_pair` and `self.is_pair_locked`;
    this class only keeps `from freqtrade.strategy import PairLocks` importable.
    """

    @staticmethod
    def _unsupported(*_args: Any, **_kwargs: Any) -> Any:
        raise RuntimeError(
            "PairLocks is not available in tradewind strategies; use self.lock_pair(), "
            "self.unlock_pair() and self.is_pair_locked()"
        )

    lock_pair = _unsupported
    unlock_pair = _unsupported
    is_pair_locked = _unsupported
    get_pair_locks = _unsupported


STRATEGY_NAMES = (
    "IStrategy",
    "IntParameter",
    "DecimalParameter",
    "RealParameter",
    "CategoricalParameter",
    "BooleanParameter",
    "BaseParameter",
    "merge_informative_pair",
    "stoploss_from_open",
    "stoploss_from_absolute",
    "informative",
    "timeframe_to_minutes",
    "timeframe_to_prev_date",
    "timeframe_to_next_date",
    "timeframe_to_seconds",
    "timeframe_to_msecs",
    "Trade",
    "Order",
    "PairLocks",
    "AnnotationType",
    "CandleType",
    "RunMode",
    "TradingMode",
    "SignalDirection",
)
PERSISTENCE_NAMES = ("Trade", "Order", "PairLocks")
ENUM_NAMES = (
    "CandleType",
    "ExitType",
    "MarginMode",
    "OrderStatus",
    "OrderType",
    "RunMode",
    "SignalDirection",
    "SignalTagType",
    "SignalType",
    "TradingMode",
)
EXCHANGE_NAMES = (
    "timeframe_to_minutes",
    "timeframe_to_msecs",
    "timeframe_to_next_date",
    "timeframe_to_prev_date",
    "timeframe_to_seconds",
)

__all__ = [
    "AnnotationType",
    "BaseParameter",
    "BooleanParameter",
    "CandleType",
    "CategoricalParameter",
    "DecimalParameter",
    "ExitType",
    "IStrategy",
    "IntParameter",
    "MarginMode",
    "Order",
    "OrderStatus",
    "OrderType",
    "PairLocks",
    "RealParameter",
    "RunMode",
    "SignalDirection",
    "SignalTagType",
    "SignalType",
    "Trade",
    "TradingMode",
    "informative",
    "merge_informative_pair",
    "stoploss_from_absolute",
    "stoploss_from_open",
    "timeframe_to_minutes",
    "timeframe_to_msecs",
    "timeframe_to_next_date",
    "timeframe_to_prev_date",
    "timeframe_to_seconds",
]
