"""The wire form of a dataframe (websocket-and-external-signals.md §3.2) and of `la`.

A dataframe travels as ``{"__type__": "dataframe", "__value__": "<split JSON text>"}``: the
inner text is pandas' "split" orientation (``columns``, ``index``, ``data`` rows), datetime
cells are integer epoch milliseconds, NaN/±inf are ``null`` and floats keep at most ten digits
after the decimal point (pandas' ``double_precision=10``).

Encoding works column by column with numpy (rounding, date conversion) and lets orjson write
the rows, so a 1500-row frame costs a few milliseconds rather than one Python call per cell.
Decoding goes the other way; :class:`SplitFrame` keeps the decoded rows as plain lists, which
the follower can merge cheaply before it builds a dataframe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import orjson
import pandas as pd

from tradewind.schemas.dates import as_utc
from tradewind.schemas.json import jsonable

__all__ = [
    "DATE_COLUMN",
    "EPOCH",
    "SplitFrame",
    "dataframe_from_split",
    "decode_dataframe",
    "encode_dataframe",
    "format_la",
    "parse_la",
    "split_json",
]

DATE_COLUMN = "date"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
DATAFRAME_TYPE = "dataframe"
_PRECISION = 10
# Beyond this magnitude a double has no digit left at the 10th decimal: rounding is a no-op
# there, and skipping it avoids the overflow of x * 1e10.
_ROUND_LIMIT = 1e15
_SCALE = 10.0**_PRECISION
_NS_PER_MS = 1_000_000
_ONE_MS = timedelta(milliseconds=1)
_SMALL_FRAME_ROWS = 32


@dataclass
class SplitFrame:
    """A decoded dataframe in split orientation, dates still in epoch milliseconds."""

    columns: list[Any]
    index: list[Any]
    data: list[list[Any]]

    def __len__(self) -> int:
        return len(self.data)

    def column_position(self, name: str) -> int | None:
        """Position of column ``name`` or None."""
        try:
            return self.columns.index(name)
        except ValueError:
            return None


# -- encoding ---------------------------------------------------------------------------------
def _default(obj: Any) -> Any:
    if obj is pd.NA or obj is pd.NaT:
        return None
    return jsonable(obj)


def _round_floats(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    floats = values.astype(np.float64, copy=False)
    with np.errstate(invalid="ignore", over="ignore"):
        small = np.abs(floats) < _ROUND_LIMIT
        return np.where(small, np.round(floats, _PRECISION), floats)


def _epoch_ms_list(values: Any) -> list[Any]:
    """Epoch milliseconds of a datetime-like array (NaT → None)."""
    stamps = pd.DatetimeIndex(values)
    if stamps.tz is not None:
        stamps = stamps.tz_convert(UTC).tz_localize(None)
    nanos = stamps.as_unit("ns").asi8
    millis = (nanos // _NS_PER_MS).tolist()
    if stamps.hasnans:
        mask = stamps.isna()
        return [None if missing else ms for ms, missing in zip(millis, mask, strict=True)]
    return millis


def _column_cells(series: pd.Series[Any]) -> list[Any]:
    """One column as JSON-ready Python values."""
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_dtype(dtype):
        return _epoch_ms_list(series.array)
    if pd.api.types.is_bool_dtype(dtype) and dtype == np.bool_:
        return list(series.to_numpy().tolist())
    if pd.api.types.is_float_dtype(dtype) and isinstance(dtype, np.dtype):
        return list(_round_floats(series.to_numpy()).tolist())
    if pd.api.types.is_integer_dtype(dtype) and isinstance(dtype, np.dtype):
        return list(series.to_numpy().tolist())
    return [_cell(value) for value in series.tolist()]


def _cell(value: Any) -> Any:
    """One cell as a JSON-ready value (the per-cell path of small frames and object columns)."""
    if isinstance(value, float):
        if math.isfinite(value) and abs(value) < _ROUND_LIMIT:
            # the same arithmetic as numpy.round(x, 10): x * 1e10, round half to even, / 1e10
            return round(value * _SCALE) / _SCALE
        return None if math.isnan(value) else value
    if isinstance(value, datetime):  # pandas.Timestamp included
        if value is pd.NaT:
            return None
        return (as_utc(value) - EPOCH) // _ONE_MS
    if value is pd.NA:
        return None
    return value


def _small_rows(frame: pd.DataFrame) -> list[list[Any]]:
    """Rows of a frame of a few rows: one conversion to objects beats column-wise numpy."""
    return [[_cell(value) for value in row] for row in frame.to_numpy(dtype=object).tolist()]


def _index_labels(index: pd.Index[Any]) -> list[Any]:
    if isinstance(index, pd.DatetimeIndex):
        return _epoch_ms_list(index)
    return list(index.tolist())


def _cell_label(label: Any) -> Any:
    return list(label) if isinstance(label, tuple) else label


def split_json(frame: pd.DataFrame) -> str:
    """``frame`` as pandas' split-orientation JSON text (the ``__value__`` string)."""
    columns = [_cell_label(c) for c in frame.columns]
    rows: Any
    if len(frame) <= _SMALL_FRAME_ROWS:
        rows = _small_rows(frame)
    else:
        cells = [_column_cells(frame.iloc[:, i]) for i in range(frame.shape[1])]
        # zip() yields tuples, which orjson writes as arrays: no per-row list is built.
        rows = list(zip(*cells, strict=True)) if cells else [[] for _ in range(len(frame))]
    payload = {"columns": columns, "index": _index_labels(frame.index), "data": rows}
    return orjson.dumps(payload, default=_default, option=orjson.OPT_SERIALIZE_NUMPY).decode()


def encode_dataframe(frame: pd.DataFrame) -> dict[str, str]:
    """The ``{"__type__": "dataframe", "__value__": …}`` wrapper of ``frame``."""
    return {"__type__": DATAFRAME_TYPE, "__value__": split_json(frame)}


# -- decoding ---------------------------------------------------------------------------------
def decode_split(wrapped: Any) -> SplitFrame:
    """Parse the wrapper (or the bare split text / object) into a :class:`SplitFrame`.

    Raises ``ValueError`` when it is not a split-orientation dataframe.
    """
    value = wrapped
    if isinstance(wrapped, dict) and "__value__" in wrapped:
        if wrapped.get("__type__") != DATAFRAME_TYPE:
            raise ValueError(f"not a dataframe: __type__ = {wrapped.get('__type__')!r}")
        value = wrapped["__value__"]
    if isinstance(value, str | bytes):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError as exc:
            raise ValueError(f"dataframe text is not JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ValueError("a dataframe must be an object with columns, index and data")
    columns, index, data = value.get("columns", []), value.get("index"), value.get("data", [])
    if not isinstance(columns, list) or not isinstance(data, list):
        raise ValueError("dataframe columns and data must be lists")
    if any(not isinstance(row, list) or len(row) != len(columns) for row in data):
        raise ValueError("every dataframe row must have one cell per column")
    if not isinstance(index, list) or len(index) != len(data):
        index = list(range(len(data)))
    return SplitFrame(columns, index, data)


def dataframe_from_split(split: SplitFrame, *, index: Sequence[Any] | None = None) -> pd.DataFrame:
    """A dataframe of ``split``: pandas infers the dtypes, ``date`` becomes aware UTC."""
    labels = [tuple(c) if isinstance(c, list) else c for c in split.columns]
    row_labels = pd.Index(split.index if index is None else index)
    frame = pd.DataFrame(split.data or None, columns=labels, index=row_labels)
    for label in frame.columns:
        column = frame[label]
        if column.dtype == object and len(column) and column.isna().all():
            frame[label] = column.astype(np.float64)  # an all-null column was a float column
    if DATE_COLUMN in frame.columns:
        dates = pd.to_datetime(frame[DATE_COLUMN], unit="ms", utc=True)
        frame[DATE_COLUMN] = dates.astype("datetime64[ns, UTC]")
    return frame


def decode_dataframe(wrapped: Any) -> pd.DataFrame:
    """The dataframe of a ``{"__type__": "dataframe", …}`` wrapper (or its bare text)."""
    return dataframe_from_split(decode_split(wrapped))


# -- la ("last analyzed") ---------------------------------------------------------------------
def format_la(when: datetime) -> str:
    """ISO-8601 with ``+00:00``; microseconds only when non-zero."""
    aware = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return aware.isoformat()


def parse_la(text: Any) -> datetime:
    """An aware UTC datetime from ``la`` (``T`` or space separator; naive read as UTC).

    Raises ``ValueError`` when it is not a date.
    """
    if isinstance(text, int | float) and not isinstance(text, bool):
        return datetime.fromtimestamp(text / 1000, tz=UTC)
    if not isinstance(text, str):
        raise ValueError(f"la is not a date: {text!r}")
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
