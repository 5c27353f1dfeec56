"""Pair locks: a pair (or "*" for all) is not entered until the lock ends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

ALL_PAIRS = "*"
BOTH_SIDES = "*"


@dataclass(eq=False)
class PairLock:
    pair: str
    lock_time: datetime
    lock_end_time: datetime
    reason: str | None = None
    side: str = BOTH_SIDES
    active: bool = True
    id: int | None = None

    def is_effective(self, now: datetime) -> bool:
        return self.active and self.lock_end_time > now

    def applies_to(self, pair: str, side: str) -> bool:
        return self.pair in (pair, ALL_PAIRS) and self.side in (side, BOTH_SIDES)

    def release(self, now: datetime) -> None:
        self.active = False
        self.lock_end_time = min(self.lock_end_time, now)
