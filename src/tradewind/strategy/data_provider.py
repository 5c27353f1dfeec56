"""`self.dp`: the strategy's read-only window on candles, analysed frames and leader data.

The DataProvider owns no data. It is built from small sources the composition root injects
(candle cache, analysed-frame cache, pairlist, producer store, …) and returns copies, so user code
can never corrupt the bot's caches. Nothing here performs network I/O.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

import pandas as pd

from tradewind.domain.clock import Clock, SystemClock
from tradewind.domain.enums import CandleType, RunMode, TradingMode
from tradewind.domain.timeframes import timeframe_to_prev_date

log = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PairKey = tuple[str, str, str]  # (pair, timeframe, candle_type)


class CandleSource(Protocol):
    """Cached exchange candles (closed candles only)."""

    def get(self, pair: str, timeframe: str, candle_type: str) -> pd.DataFrame | None:
        """The cached candles, or None when nothing is cached for that key."""
        ...


class AnalyzedSource(Protocol):
    """The strategy's last analysed dataframe per pair."""

    def get_analyzed(
        self, pair: str, timeframe: str, candle_type: str
    ) -> tuple[pd.DataFrame, datetime] | None:
        """(dataframe, analysis time) or None when the pair has not been analysed."""
        ...


class ProducerSource(Protocol):
    """Dataframes and whitelists received from leaders (external signals)."""

    def get_producer_df(
        self, pair: str, timeframe: str, candle_type: str, producer_name: str
    ) -> tuple[pd.DataFrame, datetime] | None:
        """(dataframe, last analysed) of that producer, or None when nothing is stored."""
        ...

    def get_producer_pairs(self, producer_name: str) -> list[str]:
        """The producer's last whitelist (empty when unknown)."""
        ...


class MarketInfoSource(Protocol):
    """Cached exchange information (market structure, ticker, order book) as ccxt-style dicts."""

    def market(self, pair: str) -> dict[str, object] | None:
        """The ccxt market structure or None."""
        ...

    def ticker(self, pair: str) -> dict[str, object]:
        """The last cached ticker ({} when none)."""
        ...

    def orderbook(self, pair: str, maximum: int) -> dict[str, object]:
        """The last cached order book, at most `maximum` levels per side."""
        ...


HistoricLoader = Callable[[str, str, str], "pd.DataFrame | None"]
_LIVE_MODES = (RunMode.LIVE, RunMode.DRY_RUN)


class DataProvider:
    """What strategies reach through `self.dp` (strategy-interface §4)."""

    def __init__(
        self,
        *,
        candles: CandleSource,
        analyzed: AnalyzedSource,
        runmode: RunMode,
        timeframe: str | None,
        trading_mode: str = TradingMode.SPOT,
        whitelist: Callable[[], list[str]] | None = None,
        available_pairs: Callable[[], list[PairKey]] | None = None,
        producers: ProducerSource | None = None,
        historic: HistoricLoader | None = None,
        market_info: MarketInfoSource | None = None,
        send_msg: Callable[[str], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._candles = candles
        self._analyzed = analyzed
        self._runmode = RunMode(runmode)
        self._timeframe = timeframe
        self._trading_mode = str(trading_mode)
        self._whitelist = whitelist
        self._available_pairs = available_pairs
        self._producers = producers
        self._historic = historic
        self._market_info = market_info
        self._send = send_msg
        self._clock = clock or SystemClock()
        self._sent: set[tuple[str, datetime]] = set()

    # -- defaults ------------------------------------------------------------------------------
    @property
    def runmode(self) -> RunMode:
        """How the bot runs (compare with RunMode.DRY_RUN or the string "dry_run")."""
        return self._runmode

    def _default_candle_type(self) -> str:
        if self._trading_mode == TradingMode.FUTURES:
            return str(CandleType.FUTURES)
        return str(CandleType.SPOT)

    def _key(self, timeframe: str | None, candle_type: str | None) -> tuple[str, str]:
        return timeframe or self._timeframe or "1h", candle_type or self._default_candle_type()

    # -- candles -------------------------------------------------------------------------------
    def ohlcv(
        self, pair: str, timeframe: str | None = None, copy: bool = True, candle_type: str = ""
    ) -> pd.DataFrame:
        """Cached exchange candles (live/dry-run only; other modes get an empty frame)."""
        if self._runmode not in _LIVE_MODES:
            return pd.DataFrame()
        tf, ctype = self._key(timeframe, candle_type)
        frame = self._candles.get(pair, tf, ctype)
        if frame is None:
            return pd.DataFrame()
        # `copy=False` is honoured by copying anyway: the cache must stay untouched by user code.
        return frame.copy()

    def get_pair_dataframe(
        self, pair: str, timeframe: str | None = None, candle_type: str = ""
    ) -> pd.DataFrame:
        """Cached candles (live/dry) or historic data (other modes); empty with a warning."""
        tf, ctype = self._key(timeframe, candle_type)
        frame = self._candles.get(pair, tf, ctype)
        if frame is None and self._runmode not in _LIVE_MODES and self._historic is not None:
            frame = self._historic(pair, tf, ctype)
        if frame is None or frame.empty:
            log.warning("No data found for %s (%s, %s)", pair, tf, ctype)
            return pd.DataFrame()
        return frame.copy()

    def historic_ohlcv(self, pair: str, timeframe: str, candle_type: str = "") -> pd.DataFrame:
        """Candles from the data directory (empty when no loader or no data)."""
        tf, ctype = self._key(timeframe, candle_type)
        frame = self._historic(pair, tf, ctype) if self._historic else None
        return pd.DataFrame() if frame is None else frame.copy()

    def get_analyzed_dataframe(self, pair: str, timeframe: str) -> tuple[pd.DataFrame, datetime]:
        """The last analysed dataframe of `pair` and its analysis time (aware UTC).

        Nothing analysed yet → (empty DataFrame, 1970-01-01 UTC).
        """
        tf, ctype = self._key(timeframe, None)
        found = self._analyzed.get_analyzed(pair, tf, ctype)
        if found is None:
            return pd.DataFrame(), EPOCH
        frame, when = found
        return frame.copy(), when

    @property
    def available_pairs(self) -> list[PairKey]:
        """(pair, timeframe, candle_type) of every cached candle series."""
        return list(self._available_pairs()) if self._available_pairs else []

    def current_whitelist(self) -> list[str]:
        """A copy of the current whitelist; raises when no pairlist is available."""
        if self._whitelist is None:
            raise RuntimeError("The DataProvider has no pairlist in this run mode")
        return list(self._whitelist())

    # -- producers (external signals) ------------------------------------------------------------
    def get_producer_df(
        self,
        pair: str,
        timeframe: str | None = None,
        candle_type: str | None = None,
        producer_name: str = "default",
    ) -> tuple[pd.DataFrame, datetime]:
        """The dataframe a leader sent for `pair` and its analysis time.

        Nothing stored (or no producer configured) → (empty DataFrame, 1970-01-01 UTC).
        """
        if self._producers is None:
            return pd.DataFrame(), EPOCH
        tf, ctype = self._key(timeframe, candle_type)
        found = self._producers.get_producer_df(pair, tf, ctype, producer_name)
        if found is None:
            return pd.DataFrame(), EPOCH
        frame, when = found
        return frame.copy(), when

    # The seed's (pre-release) name of the same method: one function, two names.
    get_external_df = get_producer_df

    def get_producer_pairs(self, producer_name: str = "default") -> list[str]:
        """A copy of the leader's whitelist (empty when unknown)."""
        if self._producers is None:
            return []
        return list(self._producers.get_producer_pairs(producer_name))

    # -- market information (cached, never blocking) --------------------------------------------
    def market(self, pair: str) -> dict[str, object] | None:
        """The ccxt market structure of `pair`, or None."""
        return self._market_info.market(pair) if self._market_info else None

    def ticker(self, pair: str) -> dict[str, object]:
        """The last ticker of `pair`; {} when unavailable."""
        if self._market_info is None:
            return {}
        try:
            return dict(self._market_info.ticker(pair))
        except Exception:  # a ticker is best-effort by contract: {} on any failure
            log.debug("ticker for %s unavailable", pair, exc_info=True)
            return {}

    def orderbook(self, pair: str, maximum: int) -> dict[str, object]:
        """The last order book of `pair` ({"bids": [[price, amount]…], "asks": […]})."""
        if self._market_info is None:
            return {"bids": [], "asks": []}
        return dict(self._market_info.orderbook(pair, maximum))

    # -- notifications -------------------------------------------------------------------------
    def send_msg(self, message: str, *, always_send: bool = False) -> None:
        """Queue a strategy message (dry/live only); identical ones at most once per candle."""
        if self._send is None or self._runmode not in _LIVE_MODES:
            return
        now = self._clock.now()
        period = timeframe_to_prev_date(self._timeframe or "1h", now)
        if not always_send:
            key = (message, period)
            if key in self._sent:
                return
            # Only the current period's keys can still suppress anything.
            self._sent = {sent for sent in self._sent if sent[1] >= period}
            self._sent.add(key)
        self._send(message)
