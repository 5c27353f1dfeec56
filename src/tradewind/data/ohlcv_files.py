"""The OHLCV data directory of config.md §8: file names, listing, loading, writing, converting.

Spot candles live in `datadir`, every other candle type in `datadir/futures`; a file is named
`<PAIR>-<TIMEFRAME>[-<CANDLETYPE>].<EXT>` with the pair's special characters replaced by `_`
and monthly candles stored as `1Mo` (case-insensitive file systems would mix up 1m and 1M).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pandas as pd

from tradewind.data.ohlcv_io import (
    DATE_DTYPE,
    DataFormat,
    columns_for,
    read_frame,
    write_frame,
)
from tradewind.data.ohlcv_io import (
    fill_gaps as fill_candle_gaps,
)
from tradewind.data.timerange import TimeRange
from tradewind.domain.enums import CandleType, TradingMode
from tradewind.domain.pairs import pair_to_filename
from tradewind.domain.timeframes import timeframe_to_seconds
from tradewind.errors import DataError

__all__ = [
    "DataFormat",
    "OhlcvFile",
    "convert_ohlcv",
    "list_available",
    "load_ohlcv",
    "ohlcv_path",
    "parse_ohlcv_filename",
    "timeframe_from_filename",
    "timeframe_to_filename",
    "write_ohlcv",
]

log = logging.getLogger(__name__)

FUTURES_DIR = "futures"
_CANDLE_TYPES = {candle_type.value for candle_type in CandleType}
_NAME = re.compile(
    r"^(?P<pair>.+?)-(?P<timeframe>\d+[a-zA-Z]{1,2})(?:-(?P<candle_type>[a-zA-Z_]+))?$"
)


@dataclass(frozen=True)
class OhlcvFile:
    """One data file found on disk."""

    pair: str
    timeframe: str
    candle_type: str
    path: Path


def timeframe_to_filename(timeframe: str) -> str:
    """ "1M" → "1Mo" (monthly), everything else unchanged."""
    return f"{timeframe}o" if timeframe.endswith("M") else timeframe


def timeframe_from_filename(text: str) -> str:
    """ "1Mo"/"1mo" → "1M"; other timeframes unchanged."""
    return f"{text[:-2]}M" if text.lower().endswith("mo") else text


def ohlcv_path(
    datadir: Path,
    pair: str,
    timeframe: str,
    fmt: DataFormat | str,
    candle_type: str = CandleType.SPOT,
) -> Path:
    """Where the candles of (pair, timeframe, candle_type) live in `fmt`."""
    fmt = DataFormat(fmt)
    suffix = "" if candle_type == CandleType.SPOT else f"-{candle_type}"
    name = f"{pair_to_filename(pair)}-{timeframe_to_filename(timeframe)}{suffix}.{fmt.extension}"
    directory = datadir if candle_type == CandleType.SPOT else datadir / FUTURES_DIR
    return directory / name


def parse_ohlcv_filename(name: str, fmt: DataFormat | str) -> tuple[str, str, str] | None:
    """(pair, timeframe, candle_type) from a file name, or None if it is not a candle file.

    The pair is rebuilt by turning the first `_` into `/` and the second into `:`, so a pair
    whose base contains `_` cannot be told apart (the spec accepts that ambiguity).
    """
    ext = f".{DataFormat(fmt).extension}"
    if not name.endswith(ext):
        return None
    match = _NAME.match(name[: -len(ext)])
    if not match:
        return None
    candle_type = match.group("candle_type") or CandleType.SPOT.value
    if candle_type not in _CANDLE_TYPES:
        return None
    pair = match.group("pair").replace("_", "/", 1).replace("_", ":", 1)
    return pair, timeframe_from_filename(match.group("timeframe")), candle_type


def _scan(directory: Path, fmt: DataFormat) -> list[OhlcvFile]:
    if not directory.is_dir():
        return []
    found = []
    for path in directory.glob(f"*.{fmt.extension}"):
        parsed = parse_ohlcv_filename(path.name, fmt)
        if parsed is not None:
            found.append(OhlcvFile(*parsed, path=path))
    return found


def list_available(
    datadir: Path,
    fmt: DataFormat | str,
    trading_mode: TradingMode | str = TradingMode.SPOT,
    candle_type: str | None = None,
) -> list[tuple[str, str, str]]:
    """Sorted (pair, timeframe, candle_type) of every candle file of `fmt` for the mode.

    Spot (and margin) mode scans `datadir`, futures mode `datadir/futures`; only files of the
    requested candle type are listed (default: "spot" for spot, "futures" for futures).
    """
    futures = TradingMode(trading_mode) is TradingMode.FUTURES
    directory = datadir / FUTURES_DIR if futures else datadir
    wanted = candle_type or (CandleType.FUTURES if futures else CandleType.SPOT)
    files = _scan(directory, DataFormat(fmt))
    return sorted({(f.pair, f.timeframe, f.candle_type) for f in files if f.candle_type == wanted})


def load_ohlcv(
    datadir: Path,
    pair: str,
    timeframe: str,
    fmt: DataFormat | str,
    timerange: TimeRange | None = None,
    *,
    startup_candles: int = 0,
    fill_gaps: bool = True,
    candle_type: str = CandleType.SPOT,
    drop_incomplete: bool = False,
) -> pd.DataFrame:
    """Candles of one pair, ready for analysis.

    With a timerange, `startup_candles` extra candles before its start are included (indicator
    warm-up). Gaps become flat candles with volume 0 unless `fill_gaps` is False. A missing
    file gives an empty frame (no data yet is normal); a corrupt one raises DataError.
    """
    path = ohlcv_path(datadir, pair, timeframe, fmt, candle_type)
    if not path.is_file():
        log.debug("no %s data for %s %s at %s", candle_type, pair, timeframe, path)
        return _empty(candle_type)
    frame = read_frame(path, DataFormat(fmt), candle_type)
    if timerange is not None:
        frame = _trim(frame, timeframe, timerange, startup_candles)
    if fill_gaps and columns_for(candle_type)[-1] == "volume":
        frame = fill_candle_gaps(frame, timeframe)
    if drop_incomplete and len(frame):
        frame = frame.iloc[:-1]
    return frame.reset_index(drop=True)


def _trim(
    frame: pd.DataFrame, timeframe: str, timerange: TimeRange, startup_candles: int
) -> pd.DataFrame:
    dates = frame["date"]
    keep = pd.Series(True, index=frame.index)
    if timerange.start is not None:
        start = timerange.start - timedelta(seconds=timeframe_to_seconds(timeframe)) * max(
            startup_candles, 0
        )
        keep &= dates >= pd.Timestamp(start)
    if timerange.stop is not None:
        keep &= dates < pd.Timestamp(timerange.stop)
    return frame.loc[keep]


def _empty(candle_type: str) -> pd.DataFrame:
    columns = columns_for(candle_type)
    frame = pd.DataFrame({name: pd.Series(dtype="float64") for name in columns[1:]})
    frame.insert(0, "date", pd.Series(dtype=DATE_DTYPE))
    return frame


def write_ohlcv(
    datadir: Path,
    pair: str,
    timeframe: str,
    frame: pd.DataFrame,
    fmt: DataFormat | str,
    *,
    candle_type: str = CandleType.SPOT,
) -> Path:
    """Store candles (columns as `columns_for(candle_type)`) and return the file written."""
    missing = [name for name in columns_for(candle_type) if name not in frame.columns]
    if missing:
        raise DataError(f"cannot write {pair} {timeframe}: missing column(s) {', '.join(missing)}")
    path = ohlcv_path(datadir, pair, timeframe, fmt, candle_type)
    write_frame(path, frame.loc[:, list(columns_for(candle_type))], DataFormat(fmt))
    return path


def convert_ohlcv(
    datadir: Path, from_fmt: DataFormat | str, to_fmt: DataFormat | str, erase: bool = False
) -> list[Path]:
    """Rewrite every candle file of `from_fmt` (spot and futures/) in `to_fmt`.

    Returns the files written. With `erase` the source files are deleted once their copy is
    written. A corrupt source raises DataError before anything of it is deleted.
    """
    source, target = DataFormat(from_fmt), DataFormat(to_fmt)
    if source is target:
        return []
    written = []
    for found in _scan(datadir, source) + _scan(datadir / FUTURES_DIR, source):
        frame = read_frame(found.path, source, found.candle_type)
        stem = found.path.name[: -len(source.extension) - 1]
        destination = found.path.with_name(f"{stem}.{target.extension}")
        write_frame(destination, frame, target)
        written.append(destination)
        if erase:
            found.path.unlink()
    return written
