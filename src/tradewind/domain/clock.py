"""Clocks. Every component asks an injected clock for the time; tests step a ManualClock."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Source of market time (aware UTC)."""

    def now(self) -> datetime: ...

    def wall_seconds_for(self, market_seconds: float) -> float:
        """How long to really sleep so that `market_seconds` of market time pass."""
        ...


class SystemClock:
    """Real time."""

    def now(self) -> datetime:
        return datetime.now(UTC)

    def wall_seconds_for(self, market_seconds: float) -> float:
        return market_seconds


class ScaledClock:
    """Market time that runs `speed` times faster than the wall clock from an anchor.

    market_now = market_anchor + (wall_now - wall_anchor) * speed. The anchors are persisted by
    the composition root so that a restarted bot continues the same market timeline.
    """

    def __init__(self, market_anchor: datetime, wall_anchor: float, speed: float) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.market_anchor = market_anchor
        self.wall_anchor = wall_anchor
        self.speed = speed

    def now(self) -> datetime:
        elapsed = (time.time() - self.wall_anchor) * self.speed
        return self.market_anchor + timedelta(seconds=elapsed)

    def wall_seconds_for(self, market_seconds: float) -> float:
        return market_seconds / self.speed


class ManualClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def wall_seconds_for(self, market_seconds: float) -> float:
        return 0.0
