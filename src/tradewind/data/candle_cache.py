"""The candle cache: the last `max_candles` CLOSED candles per (pair, timeframe, candle_type).

Each refresh asks the exchange only for what is missing (everything after the last cached
candle) and only for keys whose next candle has closed since, so a tick in which no candle
closed costs a few dictionary look-ups per pair and no exchange call at all.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

import numpy as np
import numpy.typing as npt
import pandas as pd

from tradewind.data.ohlcv_io import DATE_DTYPE, fill_gaps
from tradewind.domain.enums import CandleType
from tradewind.domain.timeframes import (
    timeframe_to_next_date,
    timeframe_to_prev_date,
    timeframe_to_seconds,
)

log = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_DATE_TYPE = pd.DatetimeTZDtype("us", "UTC")  # the same dtype as DATE_DTYPE
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)

CandleKey = tuple[str, str, str]
"""(pair, timeframe, candle_type)"""


class CandleSource(Protocol):
    """The part of the Exchange port the cache uses (data/ may not import exchange/)."""

    async def fetch_ohlcv(
        self, pair: str, timeframe: str, since: datetime | None = None, limit: int | None = None
    ) -> pd.DataFrame: ...


@dataclass
class _Entry:
    """Closed candles as column arrays; the DataFrame is built when first asked for."""

    dates: IntArray  # open times, microseconds since the epoch
    columns: dict[str, FloatArray]
    next_open: datetime  # open time of the candle after the newest: once closed, fetch again
    frame: pd.DataFrame | None = None

    def to_frame(self) -> pd.DataFrame:
        if self.frame is None:
            dates = pd.DatetimeIndex(self.dates.view("datetime64[us]"), dtype=_DATE_TYPE)
            self.frame = pd.DataFrame({"date": dates, **self.columns}, copy=False)
        return self.frame


class CandleCache:
    """Closed candles per key, refreshed incrementally and concurrently.

    `max_candles` bounds every frame (oldest rows are dropped); `concurrency` bounds the
    number of simultaneous exchange requests of one refresh.
    """

    def __init__(self, max_candles: int = 1000, *, concurrency: int = 8) -> None:
        if max_candles < 1:
            raise ValueError("max_candles must be at least 1")
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.max_candles = max_candles
        self.concurrency = concurrency
        self._entries: dict[CandleKey, _Entry] = {}
        self._failing: set[CandleKey] = set()

    def get(
        self, pair: str, timeframe: str, candle_type: str = CandleType.SPOT
    ) -> pd.DataFrame | None:
        """The cached closed candles, or None if the key was never filled.

        The result is a shallow copy: thanks to pandas copy-on-write, a caller that adds
        columns or assigns values changes only its own copy, never the cache, and no data is
        copied until it does.
        """
        entry = self._entries.get((pair, timeframe, candle_type))
        return None if entry is None else entry.to_frame().copy(deep=False)

    def keys(self) -> list[CandleKey]:
        """Every key currently cached."""
        return list(self._entries)

    def forget(self, key: CandleKey) -> None:
        """Drop a key (e.g. a pair that left the whitelist)."""
        self._entries.pop(key, None)
        self._failing.discard(key)

    async def refresh(
        self, exchange: CandleSource, keys: Iterable[CandleKey], now: datetime
    ) -> dict[CandleKey, bool]:
        """Fetch what is missing for every key; True per key when a new closed candle arrived.

        A key whose fetch fails keeps its old candles and reports False; the failure is logged
        once per key until it recovers, and never disturbs the other keys.
        """
        result: dict[CandleKey, bool] = {}
        pending: list[tuple[CandleKey, datetime]] = []
        boundaries: dict[str, datetime] = {}
        for key in keys:
            timeframe = key[1]
            current_open = boundaries.get(timeframe)
            if current_open is None:
                current_open = boundaries[timeframe] = timeframe_to_prev_date(timeframe, now)
            entry = self._entries.get(key)
            result[key] = False
            if entry is None or entry.next_open < current_open:
                pending.append((key, current_open))
        if pending:
            semaphore = asyncio.Semaphore(self.concurrency)
            outcomes = await asyncio.gather(
                *(self._refresh_one(exchange, key, cur, semaphore) for key, cur in pending)
            )
            for (key, _), arrived in zip(pending, outcomes, strict=True):
                result[key] = arrived
        return result

    async def _refresh_one(
        self,
        exchange: CandleSource,
        key: CandleKey,
        current_open: datetime,
        semaphore: asyncio.Semaphore,
    ) -> bool:
        pair, timeframe, _ = key
        entry = self._entries.get(key)
        since, limit = self._request(entry, timeframe, current_open)
        try:
            async with semaphore:
                fetched = await exchange.fetch_ohlcv(pair, timeframe, since=since, limit=limit)
        except Exception as exc:  # one pair's trouble must not stop the others
            self._report_failure(key, exc)
            return False
        if key in self._failing:
            self._failing.discard(key)
            log.info("candles for %s %s are fetched again", pair, timeframe)
        if since is None:
            entry = None  # a full refill replaces whatever was cached
        return self._merge(key, entry, fetched, current_open)

    def _request(
        self, entry: _Entry | None, timeframe: str, current_open: datetime
    ) -> tuple[datetime | None, int]:
        """(since, limit) of the fetch: the missing candles plus the forming one."""
        if entry is None:
            return None, self.max_candles + 1
        seconds = timeframe_to_seconds(timeframe)
        missing = int((current_open - entry.next_open).total_seconds() // seconds) + 1
        if missing >= self.max_candles:
            return None, self.max_candles + 1
        return entry.next_open, missing + 2

    def _report_failure(self, key: CandleKey, exc: Exception) -> None:
        if key in self._failing:
            log.debug("candles for %s %s still failing: %s", key[0], key[1], exc)
            return
        self._failing.add(key)
        log.warning("cannot fetch candles for %s %s: %s", key[0], key[1], exc)

    def _merge(
        self, key: CandleKey, entry: _Entry | None, fetched: pd.DataFrame, current_open: datetime
    ) -> bool:
        """Append the newly closed candles; numpy only, as this runs for every pair per candle."""
        if fetched.empty:
            return False
        dates = _micros(fetched["date"])
        keep = dates < _micros_of(current_open)  # drops the still-forming candle
        if entry is not None:
            keep &= dates > entry.dates[-1]
        if not keep.any():
            return False
        names = [name for name in fetched.columns if name != "date"]
        columns = {name: fetched[name].to_numpy(dtype=np.float64)[keep] for name in names}
        dates = dates[keep]
        if entry is not None and list(entry.columns) == names:
            dates = np.concatenate([entry.dates, dates])
            columns = {n: np.concatenate([entry.columns[n], columns[n]]) for n in names}
        dates, columns = _without_gaps(dates, columns, key[1])
        dates = dates[-self.max_candles :]
        columns = {name: values[-self.max_candles :] for name, values in columns.items()}
        last_open = _EPOCH + timedelta(microseconds=int(dates[-1]))
        self._entries[key] = _Entry(dates, columns, timeframe_to_next_date(key[1], last_open))
        return True


def _micros(dates: pd.Series) -> IntArray:
    if dates.dtype != _DATE_TYPE:
        dates = dates.astype(DATE_DTYPE)
    return pd.DatetimeIndex(dates).asi8


def _micros_of(when: datetime) -> int:
    return (when - _EPOCH) // _MICROSECOND


def _without_gaps(
    dates: IntArray, columns: dict[str, FloatArray], timeframe: str
) -> tuple[IntArray, dict[str, FloatArray]]:
    """Flat candles for missing open times (rare, so the pandas path is fine there)."""
    if timeframe.endswith("M"):
        pass  # months differ in length: always let pandas decide
    elif len(dates) < 2 or bool(np.all(np.diff(dates) == timeframe_to_seconds(timeframe) * 10**6)):
        return dates, columns
    if "volume" not in columns:
        return dates, columns
    stamps = pd.DatetimeIndex(dates.view("datetime64[us]"), dtype=_DATE_TYPE)
    filled = fill_gaps(pd.DataFrame({"date": stamps, **columns}), timeframe)
    names = list(columns)
    return _micros(filled["date"]), {n: filled[n].to_numpy(dtype=np.float64) for n in names}
