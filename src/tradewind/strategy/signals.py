"""Reading the signal columns of an analysed dataframe's last row, and its freshness."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd

from tradewind.domain.timeframes import timeframe_to_seconds

SIGNAL_COLUMNS = ("enter_long", "enter_short", "exit_long", "exit_short")


def _flag(row: pd.Series, column: str) -> bool:
    """A signal column is set when it equals 1; absent, NaN or anything else is unset."""
    value = row.get(column)
    try:
        return bool(value == 1)
    except (TypeError, ValueError):
        return False


def _tag(row: pd.Series, column: str) -> str | None:
    """Tags that are not non-empty strings (NaN, None, "") count as no tag."""
    value = row.get(column)
    return value if isinstance(value, str) and value else None


def _as_datetime(value: Any) -> datetime:
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize(UTC) if stamp.tzinfo is None else stamp.tz_convert(UTC)
    return stamp.to_pydatetime()


@dataclass(frozen=True)
class LatestSignals:
    """The signal columns of the last analysed candle."""

    candle_date: datetime  # open time, aware UTC
    enter_long: bool
    enter_short: bool
    exit_long: bool
    exit_short: bool
    enter_tag: str | None
    exit_tag: str | None

    @classmethod
    def of(cls, dataframe: pd.DataFrame) -> LatestSignals | None:
        """The last row's signals, or None for an empty frame or one without dates."""
        if dataframe is None or dataframe.empty or "date" not in dataframe.columns:
            return None
        row = dataframe.iloc[-1]
        if pd.isna(row["date"]):
            return None
        return cls(
            candle_date=_as_datetime(row["date"]),
            enter_long=_flag(row, "enter_long"),
            enter_short=_flag(row, "enter_short"),
            exit_long=_flag(row, "exit_long"),
            exit_short=_flag(row, "exit_short"),
            enter_tag=_tag(row, "enter_tag"),
            exit_tag=_tag(row, "exit_tag"),
        )

    def is_outdated(self, now: datetime, timeframe: str, outdated_offset_minutes: int) -> bool:
        """True when the candle opened more than 2 × timeframe + offset before `now`."""
        limit = timedelta(seconds=2 * timeframe_to_seconds(timeframe))
        return self.candle_date < now - limit - timedelta(minutes=outdated_offset_minutes)

    def is_expired(self, now: datetime, timeframe: str, after_seconds: int) -> bool:
        """True when `now` is more than `after_seconds` past the candle's close (0 = never)."""
        if after_seconds <= 0:
            return False
        close = self.candle_date + timedelta(seconds=timeframe_to_seconds(timeframe))
        return (now - close).total_seconds() > after_seconds


def finite_number(value: Any) -> float | None:
    """`value` as a float when it is a real, finite number (bools excluded), else None."""
    python_number = isinstance(value, int | float) and not isinstance(value, bool)
    # numpy integer/float scalars are not all int/float subclasses (np.float32, np.int64)
    numpy_number = getattr(getattr(value, "dtype", None), "kind", None) in ("i", "u", "f")
    if not (python_number or numpy_number):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
