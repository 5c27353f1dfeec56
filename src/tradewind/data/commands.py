"""The data commands behind `tradewind download-data`, `list-data` and `convert-data`.

Each is a plain function the CLI calls with parsed arguments; each returns what it did so the
CLI (and tests) can report it, and prints through a rich console only when one is given.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from rich.console import Console
from rich.table import Table

from tradewind.data.candle_cache import CandleSource
from tradewind.data.download import DownloadSummary, download_ohlcv
from tradewind.data.ohlcv_files import convert_ohlcv, list_available, ohlcv_path
from tradewind.data.ohlcv_io import DataFormat, read_frame
from tradewind.data.timerange import TimeRange
from tradewind.domain.enums import CandleType, TradingMode


class ClosableCandleSource(CandleSource, Protocol):
    """An exchange the command opens and closes (the ccxt adapter, the simulated exchange)."""

    async def close(self) -> None: ...


def download_data(
    datadir: Path,
    exchange_factory: Callable[[], ClosableCandleSource],
    pairs: Sequence[str],
    timeframes: Sequence[str],
    *,
    days: int | None = None,
    timerange: TimeRange | None = None,
    fmt: DataFormat | str = DataFormat.FEATHER,
    console: Console | None = None,
    now: datetime | None = None,
) -> DownloadSummary:
    """`download-data`: fetch what `datadir` lacks of pairs × timeframes for `days` (default 30)
    or `timerange`. The exchange is built inside the command's event loop (ccxt clients belong
    to the loop they run in) and closed at the end."""

    async def run() -> DownloadSummary:
        exchange = exchange_factory()
        try:
            return await download_ohlcv(
                exchange, datadir, pairs, timeframes, now=now or datetime.now(UTC),
                days=days, timerange=timerange, fmt=fmt, console=console,
            )  # fmt: skip
        finally:
            await exchange.close()

    summary = asyncio.run(run())
    if console is not None:
        _report_download(summary, console)
    return summary


def _report_download(summary: DownloadSummary, console: Console) -> None:
    for result in summary.results:
        console.print(f"{result.pair} {result.timeframe}: {result.new_candles} new candles, "
                      f"{result.total_candles} stored")  # fmt: skip
    for pair, reason in summary.failed.items():
        console.print(f"[red]{pair}: not downloaded ({reason})[/red]")


@dataclass(frozen=True)
class DataRow:
    """One stored candle file: `list-data` prints one line per row."""

    pair: str
    timeframe: str
    candle_type: str
    count: int
    first: datetime | None
    last: datetime | None


def list_data(
    datadir: Path,
    fmt: DataFormat | str = DataFormat.FEATHER,
    trading_mode: TradingMode | str = TradingMode.SPOT,
) -> list[DataRow]:
    """`list-data`: every candle file of `fmt` for the trading mode, with its extent."""
    futures = TradingMode(trading_mode) is TradingMode.FUTURES
    types = [t for t in CandleType if t is not CandleType.SPOT] if futures else [CandleType.SPOT]
    rows = []
    for candle_type in types:
        for pair, timeframe, kind in list_available(datadir, fmt, trading_mode, candle_type):
            path = ohlcv_path(datadir, pair, timeframe, fmt, kind)
            frame = read_frame(path, DataFormat(fmt), kind)
            dates = (
                [moment.to_pydatetime() for moment in frame["date"].iloc[[0, -1]]]
                if len(frame)
                else [None, None]
            )
            rows.append(DataRow(pair, timeframe, kind, len(frame), dates[0], dates[1]))
    return rows


def render_data_table(rows: Sequence[DataRow], console: Console) -> None:
    """Print `list-data` rows as a table."""
    table = Table(title=f"Found {len(rows)} candle files")
    for heading in ("Pair", "Timeframe", "Type", "Candles", "From", "To"):
        table.add_column(heading, justify="right" if heading == "Candles" else "left")
    for row in rows:
        table.add_row(row.pair, row.timeframe, row.candle_type, str(row.count),
                      _when(row.first), _when(row.last))  # fmt: skip
    console.print(table)


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def convert_data(
    datadir: Path,
    from_fmt: DataFormat | str,
    to_fmt: DataFormat | str,
    *,
    erase: bool = False,
    console: Console | None = None,
) -> list[Path]:
    """`convert-data`: rewrite every candle file of `from_fmt` in `to_fmt`."""
    written = convert_ohlcv(datadir, from_fmt, to_fmt, erase=erase)
    if console is not None:
        erased = " (sources erased)" if erase else ""
        console.print(f"Converted {len(written)} files from {DataFormat(from_fmt).value} "
                      f"to {DataFormat(to_fmt).value}{erased}")  # fmt: skip
    return written
