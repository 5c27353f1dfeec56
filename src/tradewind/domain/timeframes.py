"""Timeframe strings ("5m", "1h", "1M") and candle-boundary arithmetic."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, datetime, timedelta

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
_PATTERN = re.compile(r"^(\d+)([smhdwM])$")
MONTH_SECONDS = 2_592_000  # ccxt's convention for "1M" durations

VALID_TIMEFRAMES = (
    "1m",
    "3m",
    "5m",
    "15m",
    "30m",
    "1h",
    "2h",
    "4h",
    "6h",
    "8h",
    "12h",
    "1d",
    "3d",
    "1w",
    "1M",
)


def is_valid_timeframe(timeframe: str) -> bool:
    """True for strings such as "5m", "1h", "1d", "1w", "1M"."""
    match = _PATTERN.match(timeframe)
    return bool(match) and int(match.group(1)) > 0  # type: ignore[union-attr]


def timeframe_to_seconds(timeframe: str) -> int:
    match = _PATTERN.match(timeframe)
    if not match or int(match.group(1)) == 0:
        raise ValueError(f"'{timeframe}' is not a timeframe (expected e.g. 1m, 5m, 1h, 1d)")
    count, unit = int(match.group(1)), match.group(2)
    if unit == "M":
        return count * MONTH_SECONDS
    return count * _UNIT_SECONDS[unit]


def timeframe_to_minutes(timeframe: str) -> int:
    return timeframe_to_seconds(timeframe) // 60


def timeframe_to_msecs(timeframe: str) -> int:
    return timeframe_to_seconds(timeframe) * 1000


def _as_utc(date: datetime) -> datetime:
    return date.replace(tzinfo=UTC) if date.tzinfo is None else date.astimezone(UTC)


def timeframe_to_prev_date(timeframe: str, date: datetime | None = None) -> datetime:
    """Open time of the candle containing `date` (the last boundary at or before it)."""
    date = _as_utc(date or datetime.now(UTC))
    if timeframe.endswith("M"):
        months = int(timeframe[:-1])
        month_index = (date.year * 12 + date.month - 1) // months * months
        return datetime(month_index // 12, month_index % 12 + 1, 1, tzinfo=UTC)
    seconds = timeframe_to_seconds(timeframe)
    stamp = int(date.timestamp())
    return datetime.fromtimestamp(stamp - stamp % seconds, tz=UTC)


def timeframe_to_next_date(timeframe: str, date: datetime | None = None) -> datetime:
    """The next candle boundary strictly after `date`."""
    date = _as_utc(date or datetime.now(UTC))
    if timeframe.endswith("M"):
        start = timeframe_to_prev_date(timeframe, date)
        months = int(timeframe[:-1])
        month_index = start.year * 12 + start.month - 1 + months
        return datetime(month_index // 12, month_index % 12 + 1, 1, tzinfo=UTC)
    return timeframe_to_prev_date(timeframe, date) + timedelta(
        seconds=timeframe_to_seconds(timeframe)
    )


def month_end(date: datetime) -> datetime:
    """First instant of the month after `date`'s month."""
    days = calendar.monthrange(date.year, date.month)[1]
    return datetime(date.year, date.month, 1, tzinfo=UTC) + timedelta(days=days)
