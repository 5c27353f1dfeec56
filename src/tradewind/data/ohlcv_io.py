"""Reading and writing one OHLCV file in each on-disk format (config.md §8 "Content").

Every reader returns the same frame: a `date` column of aware UTC open times (DATE_DTYPE),
float value columns, ascending, one row per date. Anything unreadable becomes a `DataError`
that names the file and the cause, so a corrupt download never surfaces as a pyarrow trace.
"""

from __future__ import annotations

import gzip
import os
from enum import StrEnum
from pathlib import Path
from typing import Any, Final

import numpy as np
import orjson
import pandas as pd
import pyarrow as pa
from pyarrow import feather

from tradewind.domain.enums import CandleType
from tradewind.domain.timeframes import timeframe_to_seconds
from tradewind.errors import DataError

# pandas 3 creates microsecond datetimes by default; one unit everywhere keeps merge_asof and
# concat between files, the exchange and strategy-made frames working.
DATE_DTYPE: Final = "datetime64[us, UTC]"
OHLCV_COLUMNS = ("date", "open", "high", "low", "close", "volume")
_EXTRA_COLUMNS: dict[str, tuple[str, ...]] = {
    CandleType.FUNDING_RATE: ("date", "funding_rate"),
    CandleType.OPEN_INTEREST: ("date", "open_interest_amount", "open_interest_value"),
}


class DataFormat(StrEnum):
    """Values of `dataformat_ohlcv`."""

    JSON = "json"
    JSONGZ = "jsongz"
    FEATHER = "feather"
    PARQUET = "parquet"

    @property
    def extension(self) -> str:
        """File extension without the leading dot ("json.gz" for jsongz)."""
        return "json.gz" if self is DataFormat.JSONGZ else self.value


def columns_for(candle_type: str) -> tuple[str, ...]:
    """Columns of a file of `candle_type` (OHLCV except funding rate and open interest)."""
    return _EXTRA_COLUMNS.get(candle_type, OHLCV_COLUMNS)


def read_frame(path: Path, fmt: DataFormat, candle_type: str = CandleType.SPOT) -> pd.DataFrame:
    """Read one file; raises DataError naming the file when it is missing or corrupt."""
    if not path.is_file():
        raise DataError(f"{path}: no such data file")
    try:
        if fmt is DataFormat.FEATHER:
            frame = feather.read_table(path).to_pandas()
        elif fmt is DataFormat.PARQUET:
            frame = pd.read_parquet(path)
        else:
            frame = _read_json(path, fmt, candle_type)
    except DataError:
        raise
    except Exception as exc:  # pyarrow, gzip and orjson raise many unrelated types
        cause = f"{type(exc).__name__}: {exc}"
        raise DataError(f"{path}: cannot read {fmt.value} data ({cause})") from exc
    return normalize_frame(frame, candle_type, source=str(path))


def _read_json(path: Path, fmt: DataFormat, candle_type: str) -> pd.DataFrame:
    raw = gzip.decompress(path.read_bytes()) if fmt is DataFormat.JSONGZ else path.read_bytes()
    rows = orjson.loads(raw)
    if not isinstance(rows, list):
        raise DataError(f"{path}: expected a JSON array of candle arrays")
    columns = list(columns_for(candle_type))
    if not rows:
        return pd.DataFrame({name: [] for name in columns})
    width = len(rows[0]) if isinstance(rows[0], list) else -1
    if width == len(OHLCV_COLUMNS) and len(columns) != width:
        columns = list(OHLCV_COLUMNS)  # older funding files stored the rate in "open"
    if width != len(columns) or any(not isinstance(r, list) or len(r) != width for r in rows):
        raise DataError(f"{path}: every row must be an array of {len(columns)} numbers")
    values = np.asarray(rows, dtype=np.float64)
    frame = pd.DataFrame(values[:, 1:], columns=columns[1:])
    frame.insert(0, "date", pd.to_datetime(values[:, 0].astype(np.int64), unit="ms", utc=True))
    return frame


def normalize_frame(frame: pd.DataFrame, candle_type: str, *, source: str) -> pd.DataFrame:
    """Check the columns, coerce types, sort by date and keep the last row of a repeated date."""
    wanted = columns_for(candle_type)
    if candle_type == CandleType.FUNDING_RATE and "funding_rate" not in frame and "open" in frame:
        frame = frame.rename(columns={"open": "funding_rate"})
    missing = [name for name in wanted if name not in frame.columns]
    if missing:
        raise DataError(f"{source}: missing column(s) {', '.join(missing)}")
    frame = frame.loc[:, list(wanted)]
    dates = frame["date"]
    if pd.api.types.is_numeric_dtype(dates):
        dates = pd.to_datetime(dates, unit="ms", utc=True)
    try:
        dates = pd.to_datetime(dates, utc=True).astype(DATE_DTYPE)
        values = frame[list(wanted[1:])].astype(np.float64)
    except (ValueError, TypeError) as exc:
        raise DataError(f"{source}: unreadable values ({exc})") from exc
    result = values.assign(date=dates)[list(wanted)]
    if not result["date"].is_monotonic_increasing or result["date"].duplicated().any():
        result = result.sort_values("date", kind="stable")
        result = result.drop_duplicates(subset="date", keep="last")
    return result.reset_index(drop=True)


def write_frame(path: Path, frame: pd.DataFrame, fmt: DataFormat) -> None:
    """Write atomically (temporary file + rename) so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    frame = frame.reset_index(drop=True)
    if fmt is DataFormat.FEATHER:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        feather.write_feather(table, tmp, compression="lz4", compression_level=9)
    elif fmt is DataFormat.PARQUET:
        frame.to_parquet(tmp, index=False)
    else:
        payload = orjson.dumps(_json_rows(frame))
        tmp.write_bytes(gzip.compress(payload) if fmt is DataFormat.JSONGZ else payload)
    os.replace(tmp, path)


def _json_rows(frame: pd.DataFrame) -> list[list[Any]]:
    since_epoch = frame["date"].astype(DATE_DTYPE) - pd.Timestamp(0, tz="UTC")
    millis = (since_epoch // pd.Timedelta(milliseconds=1)).to_numpy(dtype=np.int64)
    values = frame.drop(columns="date").to_numpy(dtype=np.float64)
    return [[int(ms), *row] for ms, row in zip(millis.tolist(), values.tolist(), strict=True)]


def fill_gaps(frame: pd.DataFrame, timeframe: str) -> pd.DataFrame:
    """Insert a flat candle (open=high=low=close=previous close, volume 0) for every missing
    open time between the first and the last row."""
    if len(frame) < 2:
        return frame
    if timeframe.endswith("M"):
        freq: str | pd.Timedelta = f"{int(timeframe[:-1])}MS"
    else:
        freq = pd.Timedelta(seconds=timeframe_to_seconds(timeframe))
    dates = pd.DatetimeIndex(frame["date"])
    full = pd.date_range(dates[0], dates[-1], freq=freq).astype(DATE_DTYPE)
    if len(full) == len(frame) and bool((full == dates).all()):
        return frame
    # rows off the grid (a file of another timeframe) are kept rather than silently dropped
    filled = frame.set_index("date").reindex(full.union(dates))
    close = filled["close"].ffill()
    gap = filled["volume"].isna()
    filled["close"] = close
    for name in ("open", "high", "low"):
        filled[name] = filled[name].where(~gap, close)
    filled["volume"] = filled["volume"].fillna(0.0)
    return filled.rename_axis("date").reset_index()
