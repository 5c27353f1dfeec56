"""Pair locks: keep the bot from entering a pair (or every pair) until a given time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from tradewind.domain.locks import ALL_PAIRS, BOTH_SIDES, PairLock
from tradewind.domain.timeframes import timeframe_to_next_date
from tradewind.persistence.repositories import LockRepository


class PairLocks:
    """Lock bookkeeping over the engine's session (changes are committed by the caller).

    Every lock change goes through this object, so the active locks are kept in memory and
    the per-pair checks of each tick cost no query.
    """

    def __init__(self, session: Session, timeframe: str) -> None:
        self._repo = LockRepository(session)
        self.timeframe = timeframe
        self._active: list[PairLock] | None = None

    def _locks(self, now: datetime) -> list[PairLock]:
        if self._active is None:
            self._active = self._repo.active(now)
        return [lock for lock in self._active if lock.is_effective(now)]

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
        lock = self._repo.add(
            PairLock(pair=pair, lock_time=now, lock_end_time=end, reason=reason, side=side)
        )
        if self._active is not None:
            self._active.append(lock)
        return lock

    def active(self, now: datetime) -> list[PairLock]:
        return self._locks(now)

    def is_locked(self, pair: str, now: datetime, side: str = BOTH_SIDES) -> bool:
        for lock in self._locks(now):
            if lock.pair not in (pair, ALL_PAIRS):
                continue
            if side == BOTH_SIDES or lock.side in (side, BOTH_SIDES):
                return True
        return False

    def unlock_pair(self, pair: str, now: datetime) -> int:
        released = 0
        for lock in self._locks(now):
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
