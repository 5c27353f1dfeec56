"""StrategyRunner: the one guard between the engine and user strategy code.

`analyze` runs the populate methods on a copy of a pair's candles and turns every failure or
malformed result into `StrategyError(pair, cause)` (the engine skips that pair for the candle).
`entry_signal`/`exit_signal` read the last analysed row. The callback wrappers (inherited from
StrategyCallbacks) never raise: they fall back to the documented defaults.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from tradewind.domain.enums import CandleType, SignalDirection, TradingMode
from tradewind.domain.timeframes import timeframe_to_minutes
from tradewind.errors import ConfigError, StrategyError
from tradewind.strategy.callbacks import StrategyCallbacks
from tradewind.strategy.data_provider import DataProvider
from tradewind.strategy.informative import (
    InformativeData,
    informative_methods,
    merge_informative_frame,
)
from tradewind.strategy.interface import IStrategy, PairLockService
from tradewind.strategy.settings import StrategySettings
from tradewind.strategy.signals import LatestSignals
from tradewind.strategy.trade_view import CustomDataStore

log = logging.getLogger(__name__)

PairKey = tuple[str, str, str]


@dataclass(frozen=True)
class _FrameFingerprint:
    """What the populate methods must leave unchanged: length, last close, last date."""

    length: int
    last_close: Any
    last_date: Any

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _FrameFingerprint:
        last = frame.iloc[-1] if len(frame) else None
        return cls(
            len(frame),
            None if last is None or "close" not in frame else last["close"],
            None if last is None or "date" not in frame else last["date"],
        )

    def mismatches(self, other: _FrameFingerprint) -> list[str]:
        problems = []
        if self.length != other.length:
            problems.append("length")
        if self.last_close != other.last_close:
            problems.append("last close price")
        if self.last_date != other.last_date:
            dropped = other.length and other.last_date is None  # of() found no date column
            problems.append("last date (the date column is missing)" if dropped else "last date")
        return problems


class StrategyRunner(StrategyCallbacks):
    """Runs one strategy instance for the engine (analysis, signals, callbacks)."""

    def __init__(
        self,
        strategy: IStrategy,
        settings: StrategySettings,
        *,
        trading_mode: str = TradingMode.SPOT,
        outdated_offset: int = 5,
        custom_price_max_distance_ratio: float = 0.02,
        dp: DataProvider | None = None,
        wallets: Any = None,
        pair_locks: PairLockService | None = None,
        custom_data: CustomDataStore | None = None,
    ) -> None:
        super().__init__(
            strategy,
            settings,
            trading_mode=trading_mode,
            custom_price_max_distance_ratio=custom_price_max_distance_ratio,
            custom_data=custom_data,
        )
        self.outdated_offset = outdated_offset
        if dp is not None:
            strategy.dp = dp
        strategy.wallets = wallets
        strategy.pair_locks = pair_locks
        self._informatives = informative_methods(strategy)
        self._informative_cache: dict[tuple[str, str, str], tuple[Any, pd.DataFrame]] = {}
        self._outdated_warned: dict[str, datetime] = {}
        self._check_setup()

    def _check_setup(self) -> None:
        for data, method in self._informatives:
            if timeframe_to_minutes(data.timeframe) < timeframe_to_minutes(self.settings.timeframe):
                raise ConfigError(
                    f"@informative timeframe {data.timeframe} of {method.__name__} is faster than "
                    f"the strategy timeframe {self.settings.timeframe}"
                )
        uses_v2 = not self.overrides("populate_entry_trend") and self.overrides(
            "populate_buy_trend"
        )
        if uses_v2 and self.trading_mode != TradingMode.SPOT:
            raise ConfigError(
                f"{type(self.strategy).__name__} uses populate_buy_trend/populate_sell_trend; "
                "futures and margin need populate_entry_trend/populate_exit_trend"
            )

    @property
    def timeframe(self) -> str:
        """The effective strategy timeframe."""
        return self.settings.timeframe

    def _default_candle_type(self) -> str:
        futures = self.trading_mode == TradingMode.FUTURES
        return str(CandleType.FUTURES if futures else CandleType.SPOT)

    # -- which data to cache -------------------------------------------------------------------
    def informative_pairs(self, whitelist: Sequence[str]) -> list[PairKey]:
        """(pair, timeframe, candle_type) the strategy needs besides the whitelist's candles."""
        keys: list[PairKey] = []
        declared = self._call("informative_pairs", "*")
        for entry in declared if isinstance(declared, list | tuple) else []:
            if isinstance(entry, list | tuple) and len(entry) in (2, 3):
                candle_type = entry[2] if len(entry) == 3 and entry[2] else None
                keys.append((entry[0], entry[1], candle_type or self._default_candle_type()))
        stake = self.settings.stake_currency
        for data, _ in self._informatives:
            pairs = [data.pair_for("", stake)] if data.asset else list(whitelist)
            ctype = data.candle_type or self._default_candle_type()
            keys.extend((pair, data.timeframe, ctype) for pair in pairs)
        return list(dict.fromkeys(keys))

    # -- analysis ------------------------------------------------------------------------------
    def analyze(self, pair: str, candles: pd.DataFrame) -> pd.DataFrame:
        """Indicators and signals for `pair` on a copy of `candles`.

        Raises StrategyError(pair, cause) for any exception in user code, a populate method
        returning something other than a DataFrame, or a frame whose length, last close or last
        date changed (only a warning with `disable_dataframe_checks`).
        """
        dataframe = candles.copy()
        if dataframe.empty:
            return dataframe
        try:
            return self._analyze(pair, dataframe)
        except StrategyError:
            raise
        except Exception as exc:  # a frame so malformed that our own steps fail on it
            raise StrategyError(pair, f"analysis failed: {type(exc).__name__}: {exc}") from exc

    def _analyze(self, pair: str, dataframe: pd.DataFrame) -> pd.DataFrame:
        before = _FrameFingerprint.of(dataframe)
        metadata = {"pair": pair}
        dataframe = self._merge_informatives(pair, dataframe)
        dataframe = self._populate(pair, "populate_indicators", dataframe, metadata)
        dataframe["enter_tag"] = pd.Series("", index=dataframe.index, dtype=object)
        entry_method = self._v3_or_v2("populate_entry_trend", "populate_buy_trend")
        dataframe = self._populate(pair, entry_method, dataframe, metadata)
        if "enter_long" not in dataframe.columns and "buy" in dataframe.columns:
            dataframe = _rename_v2(dataframe, {"buy": "enter_long", "buy_tag": "enter_tag"})
        dataframe["exit_tag"] = pd.Series("", index=dataframe.index, dtype=object)
        exit_method = self._v3_or_v2("populate_exit_trend", "populate_sell_trend")
        dataframe = self._populate(pair, exit_method, dataframe, metadata)
        if "exit_long" not in dataframe.columns and "sell" in dataframe.columns:
            dataframe = _rename_v2(dataframe, {"sell": "exit_long"})
        self._check_frame(pair, before, dataframe)
        return dataframe

    def _v3_or_v2(self, v3: str, v2: str) -> str:
        return v2 if not self.overrides(v3) and self.overrides(v2) else v3

    def _populate(
        self, pair: str, name: str, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        return self._run_user(pair, name, getattr(self.strategy, name), dataframe, metadata)

    @staticmethod
    def _run_user(
        pair: str,
        name: str,
        method: Callable[..., Any],
        dataframe: pd.DataFrame,
        metadata: dict[str, Any],
    ) -> pd.DataFrame:
        try:
            result = method(dataframe, metadata)
        except Exception as exc:  # user code: the one place any exception becomes StrategyError
            raise StrategyError(pair, f"{name} raised {type(exc).__name__}: {exc}") from exc
        if not isinstance(result, pd.DataFrame):
            kind = "None" if result is None else type(result).__name__
            raise StrategyError(pair, f"{name} returned {kind} instead of a DataFrame")
        return result

    def _check_frame(self, pair: str, before: _FrameFingerprint, after: pd.DataFrame) -> None:
        problems = before.mismatches(_FrameFingerprint.of(after))
        if not problems:
            return
        message = "Dataframe returned from strategy has mismatching " + " / ".join(problems)
        if self.settings.disable_dataframe_checks:
            log.warning("%s: %s", pair, message)
            return
        raise StrategyError(pair, message)

    def _merge_informatives(self, pair: str, dataframe: pd.DataFrame) -> pd.DataFrame:
        for data, method in self._informatives:
            inf_pair = data.pair_for(pair, self.settings.stake_currency)
            analyzed = self._informative_frame(pair, inf_pair, data, method)
            try:
                dataframe = merge_informative_frame(
                    dataframe, analyzed, data, pair=inf_pair, timeframe=self.timeframe
                )
            except (ValueError, KeyError) as exc:
                raise StrategyError(pair, f"@informative merge failed: {exc}") from exc
        return dataframe

    def _informative_frame(
        self, pair: str, inf_pair: str, data: InformativeData, method: Callable[..., Any]
    ) -> pd.DataFrame:
        candle_type = data.candle_type or ""
        try:
            candles = self.strategy.dp.get_pair_dataframe(inf_pair, data.timeframe, candle_type)
        except AttributeError as exc:
            raise StrategyError(pair, "@informative needs a DataProvider (dp)") from exc
        key = (method.__name__, inf_pair, data.timeframe)
        stamp = candles["date"].iloc[-1] if "date" in candles and len(candles) else None
        cached = self._informative_cache.get(key)
        if data.cache and cached is not None and stamp is not None and cached[0] == stamp:
            return cached[1].copy()
        analyzed = self._run_user(pair, method.__name__, method, candles, {"pair": inf_pair})
        if data.cache and stamp is not None:
            self._informative_cache[key] = (stamp, analyzed.copy())
        return analyzed

    # -- signals -------------------------------------------------------------------------------
    def latest_signals(
        self, pair: str, analyzed: pd.DataFrame, now: datetime, timeframe: str | None = None
    ) -> LatestSignals | None:
        """The last row's signals, or None when the frame is empty or its last candle outdated."""
        latest = LatestSignals.of(analyzed)
        if latest is None:
            return None
        tf = timeframe or self.timeframe
        if latest.is_outdated(now, tf, self.outdated_offset):
            if self._outdated_warned.get(pair) != latest.candle_date:
                self._outdated_warned[pair] = latest.candle_date
                age = int((now - latest.candle_date).total_seconds() // 60)
                log.warning("Outdated history for %s: last candle is %d minutes old", pair, age)
            return None
        return latest

    def entry_signal(
        self,
        pair: str,
        analyzed: pd.DataFrame,
        now: datetime,
        timeframe: str | None = None,
        trading_mode: str | None = None,
    ) -> tuple[SignalDirection, str | None] | None:
        """(direction, enter_tag) when the fresh last candle asks for an entry, else None.

        Long needs enter_long without exit_long or enter_short; short needs enter_short,
        `can_short`, a non-spot mode, and neither exit_short nor enter_long. Candles closed more
        than `ignore_buying_expired_candle_after` seconds ago are ignored.
        """
        tf = timeframe or self.timeframe
        latest = self.latest_signals(pair, analyzed, now, tf)
        after = self.settings.ignore_buying_expired_candle_after
        if latest is None or latest.is_expired(now, tf, after):
            return None
        mode = trading_mode or self.trading_mode
        if latest.enter_long and not (latest.exit_long or latest.enter_short):
            return SignalDirection.LONG, latest.enter_tag
        short_allowed = self.strategy.can_short and mode != TradingMode.SPOT
        if short_allowed and latest.enter_short and not (latest.exit_short or latest.enter_long):
            return SignalDirection.SHORT, latest.enter_tag
        return None

    def exit_signal(
        self,
        pair: str,
        analyzed: pd.DataFrame,
        now: datetime,
        timeframe: str | None = None,
        *,
        is_short: bool = False,
        current_profit: float | None = None,
    ) -> tuple[bool, str | None]:
        """(exit?, exit_tag) for an open trade from the fresh last candle.

        Needs `use_exit_signal`, the exit column set and the same-side entry column not set;
        with `exit_profit_only`, a given `current_profit` must exceed `exit_profit_offset`.
        """
        if not self.settings.use_exit_signal:
            return False, None
        latest = self.latest_signals(pair, analyzed, now, timeframe)
        if latest is None:
            return False, None
        exit_set = latest.exit_short if is_short else latest.exit_long
        entry_set = latest.enter_short if is_short else latest.enter_long
        if not exit_set or entry_set:
            return False, None
        offset = self.settings.exit_profit_offset
        if (
            self.settings.exit_profit_only
            and current_profit is not None
            and current_profit <= offset
        ):
            return False, None
        return True, latest.exit_tag


def _rename_v2(dataframe: pd.DataFrame, renames: dict[str, str]) -> pd.DataFrame:
    """Interface-v2 columns under their v3 names (replacing the pre-initialised tag column)."""
    present = {old: new for old, new in renames.items() if old in dataframe.columns}
    dropped = [new for new in present.values() if new in dataframe.columns]
    return dataframe.drop(columns=dropped).rename(columns=present)
