"""`IStrategy`: the base class user strategies derive from (Freqtrade interface version 3).

Class attributes carry the strategy's settings (the config may override them, see settings.py),
`populate_*` methods compute indicators and signals on a dataframe, and callbacks let the strategy
steer trades. The StrategyRunner is the only caller; it injects `dp`, `wallets`, `config` and
the pair-lock service before use.
"""

from __future__ import annotations

import copy
import logging
from abc import ABC, abstractmethod
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from tradewind.domain.timeframes import timeframe_to_next_date
from tradewind.strategy.parameters import BaseParameter
from tradewind.strategy.trade_view import OrderView, TradeView

if TYPE_CHECKING:
    from tradewind.strategy.data_provider import DataProvider

log = logging.getLogger(__name__)

DEFAULT_ORDER_TYPES: dict[str, Any] = {
    "entry": "limit",
    "exit": "limit",
    "stoploss": "limit",
    "stoploss_on_exchange": False,
    "stoploss_on_exchange_interval": 60,
}
DEFAULT_TIME_IN_FORCE: dict[str, str] = {"entry": "GTC", "exit": "GTC"}


class PairLockService(Protocol):
    """Pair locks as the strategy may use them (implemented by the engine)."""

    def lock_pair(self, pair: str, until: datetime, reason: str | None, side: str) -> None:
        """Lock `pair` for `side` ("long", "short" or "*") until `until`."""
        ...

    def unlock_pair(self, pair: str) -> None:
        """Remove every active lock of `pair`."""
        ...

    def unlock_reason(self, reason: str) -> None:
        """Remove every active lock created with `reason`."""
        ...

    def is_pair_locked(self, pair: str, at: datetime | None, side: str) -> bool:
        """True when `pair` is locked for `side` at time `at` (None: now)."""
        ...


class IStrategy(ABC):
    """Base class of every strategy. Subclasses must define `stoploss`, a timeframe (here or in
    the config) and `populate_indicators`; everything else has a documented default."""

    INTERFACE_VERSION: int = 3

    # Freqtrade's contract declares these as class attributes; IStrategy.__init__ gives every
    # instance its own deep copy, so the class-level objects are never mutated.
    minimal_roi: dict[Any, float] = {}  # noqa: RUF012
    order_types: dict[str, Any] = DEFAULT_ORDER_TYPES
    order_time_in_force: dict[str, str] = DEFAULT_TIME_IN_FORCE
    protections: list[dict[str, Any]] = []  # noqa: RUF012
    plot_config: dict[str, Any] = {}  # noqa: RUF012

    use_custom_roi: bool = False
    stoploss: float
    trailing_stop: bool = False
    trailing_stop_positive: float | None = None
    trailing_stop_positive_offset: float = 0.0
    trailing_only_offset_is_reached: bool = False
    use_custom_stoploss: bool = False
    timeframe: str
    can_short: bool = False
    process_only_new_candles: bool = True
    startup_candle_count: int = 0
    use_exit_signal: bool = True
    exit_profit_only: bool = False
    exit_profit_offset: float = 0.0
    ignore_roi_if_entry_signal: bool = False
    ignore_buying_expired_candle_after: int = 0
    position_adjustment_enable: bool = False
    max_entry_position_adjustment: int = -1
    disable_dataframe_checks: bool = False
    # Set from the config by settings.resolve_settings when the strategy does not define them.
    max_open_trades: float | None = None
    stake_currency: str | None = None
    stake_amount: float | str | None = None
    unfilledtimeout: dict[str, Any] | None = None

    # Set by the loader: where the class came from (served by GET /strategy/{name}).
    source_code: str = ""
    source_file: Path | None = None

    dp: DataProvider
    wallets: Any = None

    def __init__(self, config: dict[str, Any] | None = None) -> None:
        self.config: dict[str, Any] = config if config is not None else {}
        self.pair_locks: PairLockService | None = None
        for name in dir(type(self)):
            declared = _find_declared(type(self), name)
            # Plain dicts/lists and parameters become per-instance copies; properties (allowed
            # for plot_config and protections) are left alone.
            if isinstance(declared, dict | list | BaseParameter) and not name.startswith("__"):
                setattr(self, name, copy.deepcopy(declared))

    # -- dataframe methods ---------------------------------------------------------------------
    @abstractmethod
    def populate_indicators(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        """Add indicator columns to `dataframe` and return it."""

    def populate_entry_trend(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        """Set `enter_long`/`enter_short` (and `enter_tag`); the default sets nothing."""
        return dataframe

    def populate_exit_trend(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        """Set `exit_long`/`exit_short` (and `exit_tag`); the default sets nothing."""
        return dataframe

    def populate_buy_trend(self, dataframe: pd.DataFrame, metadata: dict[str, Any]) -> pd.DataFrame:
        """Interface-v2 name of populate_entry_trend (column `buy`); used when v3 is absent."""
        return dataframe

    def populate_sell_trend(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        """Interface-v2 name of populate_exit_trend (column `sell`); used when v3 is absent."""
        return dataframe

    def informative_pairs(self) -> list[tuple[str, ...]]:
        """Extra (pair, timeframe[, candle_type]) series to download and cache."""
        return []

    def version(self) -> str | None:
        """The strategy's version string, shown by show_config."""
        return None

    # -- callbacks (keyword arguments; defaults documented in strategy-interface §7) ----------
    def bot_start(self, **kwargs: Any) -> None:
        """Called once after loading, with `dp` available."""
        return None

    def bot_loop_start(self, current_time: datetime, **kwargs: Any) -> None:
        """Called at the start of every loop iteration."""
        return None

    def custom_stoploss(  # noqa: PLR0917 -- Freqtrade's positional signature
        self,
        pair: str,
        trade: TradeView,
        current_time: datetime,
        current_rate: float,
        current_profit: float,
        after_fill: bool,
        **kwargs: Any,
    ) -> float | None:
        """New stop distance relative to current_rate (negative ratio); None keeps the stop."""
        return None

    def custom_exit(
        self,
        pair: str,
        trade: TradeView,
        current_time: datetime,
        current_rate: float,
        current_profit: float,
        **kwargs: Any,
    ) -> str | bool | None:
        """Truthy → exit now; a string becomes the exit reason."""
        return None

    def confirm_trade_entry(  # noqa: PLR0917 -- Freqtrade's positional signature
        self,
        pair: str,
        order_type: str,
        amount: float,
        rate: float,
        time_in_force: str,
        current_time: datetime,
        entry_tag: str | None,
        side: str,
        **kwargs: Any,
    ) -> bool:
        """Last veto before an entry order is placed."""
        return True

    def confirm_trade_exit(  # noqa: PLR0917 -- Freqtrade's positional signature
        self,
        pair: str,
        trade: TradeView,
        order_type: str,
        amount: float,
        rate: float,
        time_in_force: str,
        exit_reason: str,
        current_time: datetime,
        **kwargs: Any,
    ) -> bool:
        """Last veto before a full exit order is placed."""
        return True

    def custom_stake_amount(  # noqa: PLR0917 -- Freqtrade's positional signature
        self,
        pair: str,
        current_time: datetime,
        current_rate: float,
        proposed_stake: float,
        min_stake: float | None,
        max_stake: float,
        leverage: float,
        entry_tag: str | None,
        side: str,
        **kwargs: Any,
    ) -> float:
        """Stake for a new trade in stake currency (0 → no trade)."""
        return proposed_stake

    def leverage(  # noqa: PLR0917 -- Freqtrade's positional signature
        self,
        pair: str,
        current_time: datetime,
        current_rate: float,
        proposed_leverage: float,
        max_leverage: float,
        entry_tag: str | None,
        side: str,
        **kwargs: Any,
    ) -> float:
        """Leverage of a new futures trade."""
        return 1.0

    def custom_entry_price(  # noqa: PLR0917 -- Freqtrade's positional signature
        self,
        pair: str,
        trade: TradeView | None,
        current_time: datetime,
        proposed_rate: float,
        entry_tag: str | None,
        side: str,
        **kwargs: Any,
    ) -> float:
        """Limit price of an entry order."""
        return proposed_rate

    def custom_exit_price(  # noqa: PLR0917 -- Freqtrade's positional signature
        self,
        pair: str,
        trade: TradeView,
        current_time: datetime,
        proposed_rate: float,
        current_profit: float,
        exit_tag: str | None,
        **kwargs: Any,
    ) -> float:
        """Limit price of an exit order."""
        return proposed_rate

    def check_entry_timeout(
        self, pair: str, trade: TradeView, order: OrderView, current_time: datetime, **kwargs: Any
    ) -> bool:
        """True → cancel the open entry order."""
        return False

    def check_exit_timeout(
        self, pair: str, trade: TradeView, order: OrderView, current_time: datetime, **kwargs: Any
    ) -> bool:
        """True → cancel the open exit order."""
        return False

    def adjust_trade_position(  # noqa: PLR0917 -- Freqtrade's positional signature
        self,
        trade: TradeView,
        current_time: datetime,
        current_rate: float,
        current_profit: float,
        min_stake: float | None,
        max_stake: float,
        current_entry_rate: float,
        current_exit_rate: float,
        current_entry_profit: float,
        current_exit_profit: float,
        **kwargs: Any,
    ) -> float | tuple[float | None, str | None] | None:
        """Positive stake → add to the position, negative → partial exit; optional tag."""
        return None

    def order_filled(
        self, pair: str, trade: TradeView, order: OrderView, current_time: datetime, **kwargs: Any
    ) -> None:
        """Called after any order of a trade filled."""
        return None

    def custom_roi(  # noqa: PLR0917 -- Freqtrade's positional signature
        self,
        pair: str,
        trade: TradeView,
        current_time: datetime,
        trade_duration: int,
        entry_tag: str | None,
        side: str,
        **kwargs: Any,
    ) -> float | None:
        """ROI threshold for this trade (with use_custom_roi); None → use the table."""
        return None

    def plot_annotations(
        self,
        pair: str,
        start_date: datetime,
        end_date: datetime,
        dataframe: pd.DataFrame,
        **kwargs: Any,
    ) -> list[dict[str, Any]]:
        """Chart annotations for /pair_candles."""
        return []

    # -- pair locks ----------------------------------------------------------------------------
    def lock_pair(
        self, pair: str, until: datetime, reason: str | None = None, side: str = "*"
    ) -> None:
        """Prevent new entries on `pair` (for `side`) until `until`."""
        if self._locks("lock_pair"):
            self.pair_locks.lock_pair(pair, until, reason, side)  # type: ignore[union-attr]

    def unlock_pair(self, pair: str) -> None:
        """Remove the locks of `pair`."""
        if self._locks("unlock_pair"):
            self.pair_locks.unlock_pair(pair)  # type: ignore[union-attr]

    def unlock_reason(self, reason: str) -> None:
        """Remove the locks created with `reason`."""
        if self._locks("unlock_reason"):
            self.pair_locks.unlock_reason(reason)  # type: ignore[union-attr]

    def is_pair_locked(
        self, pair: str, *, candle_date: datetime | None = None, side: str = "*"
    ) -> bool:
        """True when `pair` is locked now (or at `candle_date`) for `side`."""
        if not self._locks("is_pair_locked"):
            return False
        # A signal on a candle is acted on at its close, so that is the moment to check.
        at = timeframe_to_next_date(self.timeframe, candle_date) if candle_date else None
        return self.pair_locks.is_pair_locked(pair, at, side)  # type: ignore[union-attr]

    def _locks(self, action: str) -> bool:
        if self.pair_locks is None:
            log.warning("%s: pair locks are not available in this run mode", action)
            return False
        return True


def _find_declared(cls: type, name: str) -> Any:
    """The attribute as declared on the nearest class of the MRO (no descriptor invocation)."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    return None


def plot_config_for_api(strategy: IStrategy) -> dict[str, Any]:
    """The strategy's plot_config as GET /plot_config serves it (`subplots` always present).

    plot_config may be a user property; if it fails or is not a dict the answer is {}.
    """
    try:
        config = strategy.plot_config
    except Exception:  # user code behind a property: a broken chart config must not break the API
        log.exception("plot_config of %s failed", type(strategy).__name__)
        return {}
    if not isinstance(config, dict) or not config:
        return {}
    result = copy.deepcopy(config)
    result.setdefault("subplots", {})
    return result
