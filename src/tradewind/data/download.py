"""Downloading candles into the data directory, resumable: only what the files lack is fetched.

For each (pair, timeframe) the stored file is read first; the requested window is compared with
what it holds and only the missing stretches before its first and after its last candle are
fetched, in chunks, from any object with the port's `fetch_ohlcv` (the ccxt adapter, the
simulated exchange, a test double). Only closed candles are written: the one still forming
would otherwise be stored with partial values and never corrected.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from tradewind.data.candle_cache import CandleSource
from tradewind.data.ohlcv_files import load_ohlcv, write_ohlcv
from tradewind.data.ohlcv_io import DATE_DTYPE, OHLCV_COLUMNS, DataFormat
from tradewind.data.timerange import TimeRange
from tradewind.domain.timeframes import (
    timeframe_to_next_date,
    timeframe_to_prev_date,
    timeframe_to_seconds,
)
from tradewind.errors import ExchangeError

log = logging.getLogger(__name__)

DEFAULT_DAYS = 30
Span = tuple[datetime, datetime]  # [since, until) of candle open times


@dataclass(frozen=True)
class DownloadResult:
    """What one (pair, timeframe) download did."""

    pair: str
    timeframe: str
    path: Path | None
    new_candles: int
    total_candles: int
    first: datetime | None
    last: datetime | None


@dataclass
class DownloadSummary:
    """Every (pair, timeframe) downloaded, and the pairs that failed with why."""

    results: list[DownloadResult] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)

    @property
    def new_candles(self) -> int:
        return sum(result.new_candles for result in self.results)


@dataclass(frozen=True)
class _Plan:
    timeframe: str
    existing: pd.DataFrame
    spans: list[Span]

    @property
    def expected(self) -> int:
        step = timeframe_to_seconds(self.timeframe)
        return sum(math.ceil((b - a).total_seconds() / step) for a, b in self.spans)


def download_window(
    timeframe: str, now: datetime, *, days: int | None, timerange: TimeRange | None
) -> Span:
    """[first open, end) to hold: aligned to the timeframe, never past the last closed candle."""
    closed_end = timeframe_to_prev_date(timeframe, now)  # the forming candle opens here
    stop = closed_end if timerange is None or timerange.stop is None else timerange.stop
    if timerange is not None and timerange.start is not None:
        start = timerange.start
    else:
        start = (stop if timerange else now) - timedelta(days=days or DEFAULT_DAYS)
    aligned = timeframe_to_prev_date(timeframe, start)
    if aligned < start:
        aligned = timeframe_to_next_date(timeframe, start)
    return aligned, min(stop, closed_end)


def missing_spans(existing: pd.DataFrame, timeframe: str, window: Span) -> list[Span]:
    """The stretches of `window` the stored candles do not cover, before and after them."""
    start, stop = window
    if start >= stop:
        return []
    if existing.empty:
        return [window]
    first = existing["date"].iloc[0].to_pydatetime()
    after = timeframe_to_next_date(timeframe, existing["date"].iloc[-1].to_pydatetime())
    spans = []
    if start < first:
        spans.append((start, first))
    if after < stop:
        spans.append((after, stop))  # from the stored end, so the file stays without holes
    return spans


async def fetch_span(
    exchange: CandleSource,
    pair: str,
    timeframe: str,
    span: Span,
    *,
    chunk: int = 1000,
    on_candles: Callable[[int], None] = lambda count: None,
) -> pd.DataFrame:
    """Candles opening in [since, until), fetched `chunk` at a time."""
    since, until = span
    step = timeframe_to_seconds(timeframe)
    parts = []
    cursor = since
    while cursor < until:
        count = min(chunk, max(math.ceil((until - cursor).total_seconds() / step), 1))
        frame = await exchange.fetch_ohlcv(pair, timeframe, since=cursor, limit=count)
        dates = frame["date"]
        frame = frame.loc[(dates >= pd.Timestamp(cursor)) & (dates < pd.Timestamp(until))]
        if frame.empty:
            break  # the exchange has nothing more in this stretch
        parts.append(frame)
        on_candles(len(frame))
        cursor = timeframe_to_next_date(timeframe, frame["date"].iloc[-1].to_pydatetime())
    if not parts:
        return _empty()
    return pd.concat(parts, ignore_index=True)


def _empty() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype="float64") for name in OHLCV_COLUMNS[1:]})
    frame.insert(0, "date", pd.Series(dtype=DATE_DTYPE))
    return frame


def _merge(existing: pd.DataFrame, fetched: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in (existing, *fetched) if not f.empty]
    merged = pd.concat(frames, ignore_index=True)
    merged["date"] = merged["date"].astype(DATE_DTYPE)
    merged = merged.drop_duplicates(subset="date", keep="first").sort_values("date")
    return merged.reset_index(drop=True)


async def download_ohlcv(
    exchange: CandleSource,
    datadir: Path,
    pairs: Sequence[str],
    timeframes: Sequence[str],
    *,
    now: datetime,
    days: int | None = None,
    timerange: TimeRange | None = None,
    fmt: DataFormat | str = DataFormat.FEATHER,
    console: Console | None = None,
    chunk: int = 1000,
) -> DownloadSummary:
    """Download pairs × timeframes into `datadir` (see the module docstring).

    A pair the exchange refuses (unknown, delisted, ...) is reported in `failed` and the
    others go on.
    """
    summary = DownloadSummary()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=console, disable=console is None) as progress:
        for pair in pairs:
            plans = [
                _plan(datadir, pair, timeframe, fmt=fmt, now=now, days=days, timerange=timerange)
                for timeframe in timeframes
            ]
            task = progress.add_task(pair, total=sum(plan.expected for plan in plans) or 1)
            try:
                for plan in plans:
                    progress.update(task, description=f"{pair} {plan.timeframe}")
                    advance = partial(progress.advance, task)
                    result = await _download_plan(exchange, datadir, pair, plan, fmt=fmt,
                                                  chunk=chunk, on_candles=advance)  # fmt: skip
                    summary.results.append(result)
            except ExchangeError as exc:
                summary.failed[pair] = str(exc)
                log.warning("skipping %s: %s", pair, exc)
            progress.update(task, completed=progress.tasks[task].total)
    return summary


def _plan(
    datadir: Path,
    pair: str,
    timeframe: str,
    *,
    fmt: DataFormat | str,
    now: datetime,
    days: int | None,
    timerange: TimeRange | None,
) -> _Plan:
    existing = load_ohlcv(datadir, pair, timeframe, fmt, fill_gaps=False)
    window = download_window(timeframe, now, days=days, timerange=timerange)
    return _Plan(timeframe, existing, missing_spans(existing, timeframe, window))


async def _download_plan(
    exchange: CandleSource,
    datadir: Path,
    pair: str,
    plan: _Plan,
    *,
    fmt: DataFormat | str,
    chunk: int,
    on_candles: Callable[[int], None],
) -> DownloadResult:
    fetched = [
        await fetch_span(exchange, pair, plan.timeframe, span, chunk=chunk, on_candles=on_candles)
        for span in plan.spans
    ]
    new = sum(len(frame) for frame in fetched)
    merged = _merge(plan.existing, fetched) if new else plan.existing
    path = write_ohlcv(datadir, pair, plan.timeframe, merged, fmt) if new else None
    dates = merged["date"]
    return DownloadResult(
        pair=pair,
        timeframe=plan.timeframe,
        path=path,
        new_candles=new,
        total_candles=len(merged),
        first=dates.iloc[0].to_pydatetime() if len(dates) else None,
        last=dates.iloc[-1].to_pydatetime() if len(dates) else None,
    )
