"""Calendar periods of `/daily`, `/weekly` and `/monthly` (rest-api.md §6.7), in UTC.

A period is named by its first day: the day itself, the Monday of its ISO week, or the 1st of
its month.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

import pandas as pd

Unit = Literal["days", "weeks", "months"]


def period_start(day: date, unit: Unit) -> date:
    """The first day of the period of `unit` that contains `day`."""
    if unit == "weeks":
        return day - timedelta(days=day.weekday())
    if unit == "months":
        return day.replace(day=1)
    return day


def recent_periods(today: date, unit: Unit, count: int) -> list[date]:
    """The first days of the current period and the `count − 1` before it, newest first.

    The calendar ends at year 1: a longer request gets the periods that exist.
    """
    current = period_start(today, unit)
    if unit == "months":
        months = current.year * 12 + current.month - 1  # months since year 0
        first = 12  # January of year 1
        return [
            date(m // 12, m % 12 + 1, 1) for m in range(months, max(months - count, first - 1), -1)
        ]
    step = 7 if unit == "weeks" else 1
    available = (current - date.min).days // step + 1
    return [current - timedelta(days=i * step) for i in range(min(count, available))]


def period_starts(close_dates: pd.Series, unit: Unit) -> pd.Series:
    """Vectorized `period_start` of UTC timestamps, as naive midnight timestamps."""
    days: pd.Series = close_dates.dt.tz_convert("UTC").dt.tz_localize(None).dt.normalize()
    if unit == "days":
        return days
    offset = days.dt.day_of_week if unit == "weeks" else days.dt.day - 1
    starts: pd.Series = days - pd.to_timedelta(offset, unit="D")
    return starts
