"""The date flavours of the wire (rest-api.md §0.2) — keep them apart, clients depend on them.

| flavour | helper | example |
|---|---|---|
| (a) naive text | :func:`naive_text` | ``"2026-11-23 23:48:21"`` (trade/lock/profit/log dates) |
| (b) epoch ms | :func:`epoch_ms` | ``1795477701000`` (``*_timestamp``, ``__date_ts``) |
| (c) epoch s | :func:`epoch_s` | ``1795477701`` (``health.*_ts``, ``last_analyzed_ts``) |
| (d) ISO ``Z`` | :func:`iso_z` | ``"2026-11-25T01:49:15Z"`` (health, candle ``date`` cells) |
| (d') naive ISO | :func:`iso_naive` | ``"2026-01-01T00:00:00"`` (``historic_balance`` cells) |
| (e) ``+00:00`` | :func:`offset_text` | ``"2026-11-25 01:34:15+00:00"`` (``data_start/stop``) |
| day | :func:`day_text` | ``"2026-11-25"`` (daily/weekly/monthly ``date``) |
| WS ISO | :func:`iso_offset` | ``"2022-09-08T22:14:41.457786+00:00"`` (WS ``la``) |

Naive datetimes are taken to be UTC everywhere. The annotated types at the bottom let models
accept a ``datetime`` (or an already formatted string) and emit the right flavour.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer

__all__ = [
    "DateText",
    "UtcDatetime",
    "as_utc",
    "day_text",
    "epoch_ms",
    "epoch_s",
    "from_epoch_ms",
    "iso_naive",
    "iso_offset",
    "iso_z",
    "naive_text",
    "offset_text",
]

_NAIVE_FORMAT = "%Y-%m-%d %H:%M:%S"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def as_utc(value: datetime) -> datetime:
    """The same instant as an aware UTC datetime (naive values are read as UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def naive_text(value: datetime) -> str:
    """Flavour (a): ``"YYYY-MM-DD HH:MM:SS"`` in UTC, seconds truncated."""
    return as_utc(value).strftime(_NAIVE_FORMAT)


def epoch_ms(value: datetime) -> int:
    """Flavour (b): integer epoch milliseconds (sub-millisecond part truncated)."""
    return (as_utc(value) - _EPOCH) // timedelta(milliseconds=1)


def epoch_s(value: datetime) -> int:
    """Flavour (c): integer epoch seconds (fraction truncated)."""
    return (as_utc(value) - _EPOCH) // timedelta(seconds=1)


def iso_z(value: datetime) -> str:
    """Flavour (d): ISO-8601 UTC with a ``Z`` suffix; microseconds only when non-zero."""
    return as_utc(value).replace(tzinfo=None).isoformat() + "Z"


def iso_naive(value: datetime) -> str:
    """Flavour (d'): naive ISO-8601 (``"2026-01-01T00:00:00"``), the value's UTC wall time."""
    return as_utc(value).replace(tzinfo=None).isoformat()


def offset_text(value: datetime) -> str:
    """Flavour (e): ``"YYYY-MM-DD HH:MM:SS+00:00"`` (space separator, seconds truncated)."""
    return naive_text(value) + "+00:00"


def iso_offset(value: datetime) -> str:
    """WebSocket flavour: ISO-8601 with ``+00:00``; microseconds only when non-zero."""
    return as_utc(value).isoformat()


def day_text(value: date) -> str:
    """Plain ``"YYYY-MM-DD"`` (daily/weekly/monthly rows); a datetime is taken in UTC."""
    if isinstance(value, datetime):
        value = as_utc(value).date()
    return value.isoformat()


def from_epoch_ms(value: int | float) -> datetime:
    """Aware UTC datetime of an epoch-milliseconds value."""
    return datetime.fromtimestamp(value / 1000, tz=UTC)


DateText = Annotated[datetime, PlainSerializer(naive_text, return_type=str)]
"""A model field that emits flavour (a); accepts a datetime or an ISO/naive date string."""

UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]
"""A model field that is always aware UTC, so pydantic emits flavour (d) (``...Z``)."""
