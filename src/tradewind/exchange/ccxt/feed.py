"""The dry-run PriceFeed: live tickers and small candles of the real exchange.

The paper broker asks what traded over [since, until). The answer comes from the exchange's
smallest candles (1m where it has them) plus the last prices seen in tickers. A candle that
began before `since` contributes only its close (the one price known to lie inside the interval)
and a share of its volume, so a resting order never fills on a price from before its check.
Closed candles are cached per pair; each question costs at most one small candle request.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import pandas as pd

from tradewind.domain.clock import Clock
from tradewind.domain.timeframes import timeframe_to_prev_date, timeframe_to_seconds
from tradewind.exchange.paper import TradingRange
from tradewind.exchange.port import Ticker

_TICKS_KEPT = 500
_CACHE_SPAN = timedelta(hours=3)
_TINY = timedelta(microseconds=1)


class PublicMarketData(Protocol):
    """The adapter's public calls the feed uses."""

    async def fetch_ticker(self, pair: str) -> Ticker: ...

    async def fetch_ohlcv(
        self, pair: str, timeframe: str, since: datetime | None = None, limit: int | None = None
    ) -> pd.DataFrame: ...


@dataclass
class _PairCache:
    closed: dict[datetime, tuple[float, float, float, float, float]] = field(default_factory=dict)
    ticks: deque[tuple[datetime, float]] = field(default_factory=lambda: deque(maxlen=_TICKS_KEPT))


class LiveFeed:
    """PriceFeed backed by an exchange's public market data (see the module docstring)."""

    def __init__(self, market: PublicMarketData, clock: Clock, timeframe: str = "1m") -> None:
        self._market = market
        self._clock = clock
        self._timeframe = timeframe
        self._step = timedelta(seconds=timeframe_to_seconds(timeframe))
        self._pairs: dict[str, _PairCache] = {}

    def _cache(self, pair: str) -> _PairCache:
        return self._pairs.setdefault(pair, _PairCache())

    async def ticker(self, pair: str) -> Ticker:
        ticker = await self._market.fetch_ticker(pair)
        self._cache(pair).ticks.append((self._clock.now(), ticker.last))
        return ticker

    async def trading_range(
        self, pair: str, since: datetime, until: datetime
    ) -> TradingRange | None:
        if until <= since:
            return None
        candles = await self._candles(pair, since, until)
        prices: list[float] = []
        volume = 0.0
        now = self._clock.now()
        for opened, (_, high, low, close, base_volume) in candles.items():
            ends = min(opened + self._step, now)
            covered = (min(ends, until) - max(opened, since)) / max(ends - opened, _TINY)
            if covered <= 0:
                continue
            prices += [close] if opened < since else [high, low]
            volume += base_volume * min(covered, 1.0)
        prices += [price for at, price in self._cache(pair).ticks if since <= at < until]
        if not prices:
            return None
        return TradingRange(low=min(prices), high=max(prices), base_volume=volume)

    async def _candles(
        self, pair: str, since: datetime, until: datetime
    ) -> Mapping[datetime, tuple[float, float, float, float, float]]:
        """Candles overlapping [since, until): cached closed ones plus a fetch of the rest."""
        cache = self._cache(pair)
        first = timeframe_to_prev_date(self._timeframe, since)
        forming = timeframe_to_prev_date(self._timeframe, self._clock.now())
        needed = [first + self._step * i for i in range(int((until - first) / self._step) + 1)]
        needed = [opened for opened in needed if opened < until]
        missing = [opened for opened in needed if opened not in cache.closed]
        result = {opened: cache.closed[opened] for opened in needed if opened in cache.closed}
        if missing:
            frame = await self._market.fetch_ohlcv(pair, self._timeframe, since=missing[0],
                                                   limit=len(needed) + 1)  # fmt: skip
            stamps = pd.DatetimeIndex(frame["date"]).to_pydatetime()
            rows = frame[["open", "high", "low", "close", "volume"]].to_numpy(dtype=float)
            for opened, row in zip(stamps, rows, strict=True):
                values = (float(row[0]), float(row[1]), float(row[2]), float(row[3]), float(row[4]))
                if opened < forming:
                    cache.closed[opened] = values
                if opened in needed:
                    result[opened] = values
        horizon = forming - _CACHE_SPAN
        for opened in [key for key in cache.closed if key < horizon]:
            del cache.closed[opened]
        return dict(sorted(result.items()))


def choose_feed_timeframe(available: Sequence[str], preferred: str) -> str:
    """`preferred` if the exchange has it (or says nothing), else its smallest timeframe."""
    if not available or preferred in available:
        return preferred
    return min(available, key=timeframe_to_seconds)
