"""OHLCV pagination: as many pages as it takes, deduplicated, as the port's DataFrame."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Final

import numpy as np
import pandas as pd

from tradewind.domain.timeframes import timeframe_to_msecs, timeframe_to_prev_date
from tradewind.exchange.port import OHLCV_COLUMNS

# the date unit data/ uses too (pandas 3's default), so frames concatenate and merge cleanly
DATE_DTYPE: Final = "datetime64[us, UTC]"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)

Row = Sequence[Any]
PageFetcher = Callable[[int | None, int], Awaitable[list[Row]]]
"""fetch(since_ms or None for the latest, limit) → ccxt OHLCV rows."""


def to_ms(when: datetime) -> int:
    return (when - _EPOCH) // _MS


async def fetch_candles(
    fetch: PageFetcher,
    timeframe: str,
    *,
    since: datetime | None,
    limit: int | None,
    per_call: int,
    now: datetime,
) -> pd.DataFrame:
    """Candles opening at or after `since` (all up to now, or `limit` of them), or the latest
    `limit` when `since` is None; pages of at most `per_call` rows are requested in turn."""
    if since is None:
        wanted = limit or per_call
        if wanted <= per_call:
            return candle_frame((await fetch(None, wanted))[-wanted:])
        # too many for one page: start where the latest `wanted` candles begin
        newest = timeframe_to_prev_date(timeframe, now)
        since_ms = to_ms(newest) - (wanted - 1) * timeframe_to_msecs(timeframe)
        limit = wanted
    else:
        since_ms = to_ms(since)
    rows = await _forward(
        fetch, since_ms, limit, per_call, to_ms(timeframe_to_prev_date(timeframe, now))
    )
    return candle_frame(rows[:limit] if limit else rows)


async def _forward(
    fetch: PageFetcher, since_ms: int, limit: int | None, per_call: int, newest_open: int
) -> list[Row]:
    collected: dict[int, Row] = {}
    cursor = since_ms
    while True:
        size = per_call if limit is None else min(per_call, limit - len(collected))
        page = await fetch(cursor, size)
        fresh = [row for row in page if int(row[0]) >= cursor and int(row[0]) not in collected]
        for row in fresh:
            collected[int(row[0])] = row
        if not fresh or (limit is not None and len(collected) >= limit):
            break
        newest = max(int(row[0]) for row in fresh)
        if newest >= newest_open:
            break  # reached the forming candle
        cursor = newest + 1  # candles open at or after this: the next one (months included)
    return [collected[key] for key in sorted(collected)]


def candle_frame(rows: Sequence[Row]) -> pd.DataFrame:
    """The port's candle frame from ccxt rows [ms, open, high, low, close, volume]."""
    by_time = {int(row[0]): row for row in rows}  # last answer wins for a repeated candle
    ordered = [by_time[key] for key in sorted(by_time)]
    stamps = np.array([row[0] for row in ordered], dtype=np.int64)
    values = np.array([[_float(v) for v in row[1:6]] for row in ordered], dtype=np.float64)
    values = values.reshape(len(ordered), 5)
    dates = pd.DatetimeIndex(
        (stamps * 1000).view("datetime64[us]"), dtype=pd.DatetimeTZDtype("us", "UTC")
    )
    frame = pd.DataFrame({OHLCV_COLUMNS[0]: dates})
    for index, name in enumerate(OHLCV_COLUMNS[1:]):
        frame[name] = values[:, index]
    return frame


def _float(value: Any) -> float:
    return float("nan") if value is None else float(value)
