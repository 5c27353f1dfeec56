from datetime import timedelta

import pytest

from tests.unit.services.builders import NOW
from tradewind.services.time_text import duration_text, humanized_since


@pytest.mark.parametrize(
    ("ago", "text"),
    [
        (timedelta(0), "now"),
        (timedelta(seconds=1), "a second ago"),
        (timedelta(seconds=42), "42 seconds ago"),
        (timedelta(seconds=90), "a minute ago"),
        (timedelta(minutes=30), "30 minutes ago"),
        (timedelta(minutes=61), "an hour ago"),
        (timedelta(hours=12), "12 hours ago"),
        (timedelta(days=1, hours=3), "a day ago"),
        (timedelta(days=2), "2 days ago"),
        (timedelta(days=45), "a month ago"),
        (timedelta(days=100), "3 months ago"),
        (timedelta(days=365), "a year ago"),
        (timedelta(days=367), "1 year, 2 days ago"),
        (timedelta(days=400), "1 year, 1 month ago"),
        (timedelta(days=800), "2 years ago"),
        (-timedelta(hours=3), "3 hours from now"),
    ],
)
def test_humanized_since(ago: timedelta, text: str) -> None:
    assert humanized_since(NOW - ago, NOW) == text


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "0:00:00"),
        (0, "0:00:00"),
        (59.9, "0:00:59"),
        (3 * 3600 + 5, "3:00:05"),
        (86400 + 3661, "1 day, 1:01:01"),
        (2 * 86400, "2 days, 0:00:00"),
    ],
)
def test_duration_text(seconds: float | None, text: str) -> None:
    assert duration_text(seconds) == text
