"""TimeRange parsing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tradewind.data.timerange import TimeRange, TimeRangeError


def test_both_sides_are_parsed_as_utc_dates() -> None:
    timerange = TimeRange.parse("20240101-20240201")
    assert timerange.start == datetime(2024, 1, 1, tzinfo=UTC)
    assert timerange.stop == datetime(2024, 2, 1, tzinfo=UTC)


def test_either_side_may_be_open() -> None:
    assert TimeRange.parse("20240101-").stop is None
    assert TimeRange.parse("-20240201").start is None


def test_minutes_seconds_and_timestamps_are_accepted() -> None:
    assert TimeRange.parse("202401011230-").start == datetime(2024, 1, 1, 12, 30, tzinfo=UTC)
    assert TimeRange.parse("20240101123045-").start == datetime(2024, 1, 1, 12, 30, 45, tzinfo=UTC)
    assert TimeRange.parse("1704067200-").start == datetime(2024, 1, 1, tzinfo=UTC)
    assert TimeRange.parse("-1704067200000").stop == datetime(2024, 1, 1, tzinfo=UTC)


def test_contains_is_half_open() -> None:
    timerange = TimeRange.parse("20240101-20240102")
    assert timerange.contains(datetime(2024, 1, 1, tzinfo=UTC))
    assert not timerange.contains(datetime(2024, 1, 2, tzinfo=UTC))
    assert str(timerange) == "20240101000000-20240102000000"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("20240101", "must look like"),
        ("2024-01-01-2024", "must look like"),
        ("-", "neither"),
        ("2024013a-", "digits"),
        ("20241301-", "not a valid date"),
        ("202401-", "has 6 digits"),
        ("20240201-20240101", "not before"),
    ],
)
def test_bad_ranges_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(TimeRangeError, match=message):
        TimeRange.parse(text)
