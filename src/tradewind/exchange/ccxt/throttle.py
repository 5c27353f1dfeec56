"""Backoff: a pause shared by every call of one adapter, and retries of idempotent calls.

Rate-limit answers (429/418) make the whole adapter slow down rather than each caller retrying
on its own: the gate spaces request starts `delay` seconds apart, honours the exchange's
`Retry-After`, doubles the delay on every further rate-limit answer and lets it decay with each
success, back to no pause at all.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently an idempotent call is retried after ExchangeUnavailable.

    attempts: total tries (1 = no retry); the n-th retry waits base_delay × 2^(n-1), at most
    max_delay seconds.
    """

    attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 8.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.base_delay < 0 or self.max_delay < 0:
            raise ValueError("attempts must be >= 1 and delays must not be negative")

    def delay(self, retry: int) -> float:
        """Seconds to wait before retry number `retry` (1-based)."""
        return float(min(self.max_delay, self.base_delay * 2.0 ** (retry - 1)))


class RateGate:
    """The shared slow-down.

    initial: the delay after a first rate-limit answer (seconds); maximum: its cap; decay: the
    factor applied after each successful call (the delay drops to zero below initial / 8).
    """

    def __init__(
        self,
        *,
        initial: float = 1.0,
        maximum: float = 60.0,
        decay: float = 0.75,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if initial <= 0 or maximum < initial or not 0 <= decay < 1:
            raise ValueError("need 0 < initial <= maximum and 0 <= decay < 1")
        self._initial, self._maximum, self._decay = initial, maximum, decay
        self._monotonic, self._sleep = monotonic, sleep
        self._delay = 0.0
        self._resume_at = 0.0
        self.rate_limit_answers = 0

    @property
    def delay(self) -> float:
        """Current spacing between request starts (0: no slow-down)."""
        return self._delay

    async def wait(self) -> None:
        """Wait for this call's turn; immediate unless the adapter is slowed down."""
        now = self._monotonic()
        if self._delay <= 0 and now >= self._resume_at:
            return
        start = max(now, self._resume_at)
        self._resume_at = start + self._delay  # the next caller goes one delay later
        if start > now:
            await self._sleep(start - now)

    def rate_limited(self, retry_after: float | None) -> None:
        """The exchange said "too many requests": pause everyone and widen the spacing."""
        self.rate_limit_answers += 1
        self._delay = min(self._maximum, max(self._delay * 2, self._initial))
        pause = max(self._delay, retry_after or 0.0)
        self._resume_at = max(self._resume_at, self._monotonic() + pause)

    def succeeded(self) -> None:
        """A call went through: relax the spacing a little."""
        self._delay *= self._decay
        if self._delay < self._initial / 8:
            self._delay = 0.0
