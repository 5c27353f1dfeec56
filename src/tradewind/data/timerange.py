"""Time ranges given on the command line or the API: "20240101-20240201", "20240101-", "-20240201".

Each side is a UTC date written as `YYYYMMDD`, `YYYYMMDDHHMM` or `YYYYMMDDHHMMSS`, or a Unix
timestamp in seconds (10 digits) or milliseconds (13 digits). An empty side is open-ended.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

_SIDE = re.compile(r"^\d*$")
_DATE_FORMATS = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}


class TimeRangeError(ValueError):
    """A time range string that cannot be understood (the message says why)."""


@dataclass(frozen=True)
class TimeRange:
    """A half-open interval [start, stop) of candle open times; None means unbounded."""

    start: datetime | None = None
    stop: datetime | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.stop is not None and self.start >= self.stop:
            raise TimeRangeError(
                f"time range start {self.start:%Y-%m-%d %H:%M} is not before its end "
                f"{self.stop:%Y-%m-%d %H:%M}"
            )

    @classmethod
    def parse(cls, text: str) -> TimeRange:
        """Parse "START-STOP" where either side may be empty (but not both)."""
        cleaned = text.strip()
        if cleaned.count("-") != 1:
            raise TimeRangeError(
                f"time range '{text}' must look like 20240101-20240201, 20240101- or -20240201"
            )
        start_text, stop_text = cleaned.split("-")
        if not start_text and not stop_text:
            raise TimeRangeError(f"time range '{text}' names neither a start nor an end")
        return cls(_parse_side(start_text, text), _parse_side(stop_text, text))

    def contains(self, when: datetime) -> bool:
        """True when `when` lies in [start, stop)."""
        if self.start is not None and when < self.start:
            return False
        return self.stop is None or when < self.stop

    def __str__(self) -> str:
        start = self.start.strftime("%Y%m%d%H%M%S") if self.start else ""
        stop = self.stop.strftime("%Y%m%d%H%M%S") if self.stop else ""
        return f"{start}-{stop}"


def _parse_side(side: str, whole: str) -> datetime | None:
    if not side:
        return None
    if not _SIDE.match(side):
        raise TimeRangeError(f"time range '{whole}': '{side}' is not a date of digits")
    if len(side) in _DATE_FORMATS:
        try:
            return datetime.strptime(side, _DATE_FORMATS[len(side)]).replace(tzinfo=UTC)
        except ValueError as exc:
            raise TimeRangeError(f"time range '{whole}': '{side}' is not a valid date") from exc
    if len(side) == 10:
        return datetime.fromtimestamp(int(side), tz=UTC)
    if len(side) == 13:
        return datetime.fromtimestamp(int(side) / 1000, tz=UTC)
    raise TimeRangeError(
        f"time range '{whole}': '{side}' has {len(side)} digits; expected YYYYMMDD, "
        "YYYYMMDDHHMM, YYYYMMDDHHMMSS or a Unix timestamp (10 or 13 digits)"
    )
