"""Pair locks: keep the bot from entering a pair (or every pair) until a given time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tradewind.domain.locks import ALL_PAIRS, BOTH_SIDES, PairLock
from tradewind.domain.timeframes import timeframe_to_next_date
from tradewind.persistence.repositories import LockRepository


class PairLocks:
    """Lock bookkeeping over the engine's session (changes are committed by the caller)."""

    def __init__(self, session: Session, timeframe: str) -> None:
        self._repo = LockRepository(session)
        self.timeframe = timeframe

    def lock(
        self,
        pair: str,
        until: datetime,
        now: datetime,
        reason: str | None = None,
        side: str = BOTH_SIDES,
    ) -> PairLock:
        """Lock until the candle boundary after `until` (a boundary moves to the next one)."""
        end = timeframe_to_next_date(self.timeframe, until)
        return self._repo.add(
            PairLock(pair=pair, lock_time=now, lock_end_time=end, reason=reason, side=side)
        )

    def active(self, now: datetime) -> list[PairLock]:
        return self._repo.active(now)

    def is_locked(self, pair: str, now: datetime, side: str = BOTH_SIDES) -> bool:
        return any(
            lock.applies_to(pair, side) or (side == BOTH_SIDES and lock.pair in (pair, ALL_PAIRS))
            for lock in self._repo.active(now)
        )

    def unlock_pair(self, pair: str, now: datetime) -> int:
        released = 0
        for lock in self._repo.active(now):
            if lock.pair == pair:
                lock.release(now)
                released += 1
        return released

    def unlock_id(self, lock_id: int, now: datetime) -> bool:
        lock = self._repo.get(lock_id)
        if lock is None or not lock.active:
            return False
        lock.release(now)
        return True
