"""The failed-login throttle of the API (a tradewind extension): too many wrong passwords from
one client address block it for a while (429 + ``Retry-After``, answered by ``ApiAuth``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

__all__ = ["Clock", "LoginThrottle"]

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
"""Wall-clock seconds since the epoch (``time.time``); tests pass a fake."""


class LoginThrottle:
    """Refuses password attempts from a client after too many failures.

    ``max_failures`` failed Basic/login attempts within ``window_seconds`` block the client for
    ``window_seconds`` from the last of them; afterwards it starts afresh. A success with the
    full credentials clears the client's failures (``ApiAuth`` does not reset on read-only
    ones). Not persisted: a restart forgets everything.
    """

    _MAX_TRACKED = 4096

    def __init__(
        self, max_failures: int = 10, window_seconds: float = 60.0, clock: Clock = time.time
    ) -> None:
        self.max_failures = max_failures
        self.window_seconds = window_seconds
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._blocked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def retry_after(self, client: str) -> float | None:
        """Seconds until ``client`` may try again, or ``None`` when it may try now."""
        now = self._clock()
        with self._lock:
            until = self._blocked_until.get(client)
            if until is None:
                return None
            if now >= until:
                del self._blocked_until[client]
                return None
            return until - now

    def record_failure(self, client: str) -> None:
        """Count one failed attempt; the ``max_failures``-th within the window blocks."""
        now = self._clock()
        with self._lock:
            if len(self._failures) >= self._MAX_TRACKED:
                self._forget_stale(now)
            recent = [t for t in self._failures.get(client, []) if now - t < self.window_seconds]
            recent.append(now)
            if len(recent) >= self.max_failures:
                self._blocked_until[client] = now + self.window_seconds
                self._failures.pop(client, None)
                logger.warning("Too many failed login attempts from %s; blocking it", client)
            else:
                self._failures[client] = recent

    def reset(self, client: str) -> None:
        """Forget ``client``'s failures (after a successful login)."""
        with self._lock:
            self._failures.pop(client, None)

    def _forget_stale(self, now: float) -> None:
        self._failures = {
            client: times
            for client, times in self._failures.items()
            if times and now - times[-1] < self.window_seconds
        }
        self._blocked_until = {c: u for c, u in self._blocked_until.items() if u > now}
