"""Human-readable times of the statistics: "2 days ago" and "1 day, 2:03:04"."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

_DAYS_PER_MONTH = 30.5
_MINUTE = 60
_HOUR = 3600


def humanized_since(then: datetime, now: datetime) -> str:
    """Relative text of `then` seen from `now`: "now", "a minute ago", "2 days ago" …"""
    delta = now - then
    future = delta < timedelta(0)
    text = _natural_delta(-delta if future else delta)
    if text == "a moment":
        return "now"
    return f"{text} from now" if future else f"{text} ago"


def duration_text(seconds: float | None) -> str:
    """`H:MM:SS` or `N day(s), H:MM:SS`, seconds truncated; "0:00:00" for none."""
    if seconds is None or not math.isfinite(seconds) or seconds <= 0:
        return "0:00:00"
    return str(timedelta(seconds=int(seconds)))


def _plural(count: int, unit: str) -> str:
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def _natural_delta(delta: timedelta) -> str:
    """The size of a non-negative `delta` in the largest sensible unit."""
    years, days = divmod(delta.days, 365)
    months = int(days // _DAYS_PER_MONTH)
    if not years:
        return _within_day(delta.seconds) if days < 1 else _days_or_months(days, months)
    if years == 1:
        if not days:
            return "a year"
        rest = _plural(months, "month") if months else _plural(days, "day")
        return f"1 year, {rest}"
    return _plural(years, "year")


def _days_or_months(days: int, months: int) -> str:
    if days == 1:
        return "a day"
    if not months:
        return _plural(days, "day")
    return "a month" if months == 1 else _plural(months, "month")


def _within_day(seconds: int) -> str:
    if seconds < _MINUTE:
        return {0: "a moment", 1: "a second"}.get(seconds, f"{seconds} seconds")
    if seconds < _HOUR:
        return "a minute" if seconds < 2 * _MINUTE else f"{seconds // _MINUTE} minutes"
    return "an hour" if seconds < 2 * _HOUR else f"{seconds // _HOUR} hours"
