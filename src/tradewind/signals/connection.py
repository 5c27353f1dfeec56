"""One client of the message hub: its channel, bounded send queue and send timeout (spec §4).

A :class:`Channel` is the transport as the hub sees it (``api/ws.py`` adapts Starlette's
WebSocket to it; tests use an in-memory fake). A :class:`ClientConnection` holds what the hub
keeps per client: the subscription set, the queue of texts (and lazily encoded request
replies) waiting to be sent, and the statistics that set its send timeout.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

__all__ = ["Channel", "ClientConnection", "ClientGone", "CloseCode", "HubLimits", "Reply"]

log = logging.getLogger(__name__)


class ClientGone(Exception):
    """The peer disconnected (raised by a :class:`Channel`)."""


class CloseCode:
    """WebSocket close codes the hub uses."""

    NORMAL = 1000
    GOING_AWAY = 1001
    UNSUPPORTED_DATA = 1003
    POLICY_VIOLATION = 1008
    MESSAGE_TOO_BIG = 1009
    TRY_AGAIN_LATER = 1013


class Channel(Protocol):
    """One accepted WebSocket connection, as the hub sees it."""

    async def send(self, text: str) -> None:
        """Send one text frame (raises :class:`ClientGone` when the peer is gone)."""
        ...

    async def receive(self) -> str | bytes | None:
        """The next frame: text, bytes (a binary frame) or None when the peer disconnected."""
        ...

    async def close(self, code: int, reason: str) -> None:
        """Close the connection (never raises)."""
        ...


@dataclass(frozen=True)
class HubLimits:
    """Back-pressure and size limits (spec §1, §4)."""

    max_queue_messages: int = 500
    max_queue_bytes: int = 32 * 2**20
    max_request_bytes: int = 16 * 2**20
    initial_send_timeout: float = 3.0
    min_send_timeout: float = 1.0
    max_send_timeout: float = 3.0
    behind_warning_seconds: float = 60.0
    close_timeout: float = 2.0


@dataclass
class Reply:
    """A request answer the writer serializes when it gets to it (one message per item)."""

    messages: Iterator[str]


@dataclass(eq=False)
class ClientConnection:
    """One connected client: its subscriptions, bounded send queue and send statistics."""

    id: int
    channel: Channel
    peer: str
    limits: HubLimits
    subscriptions: frozenset[str] = frozenset()
    queue: deque[tuple[float, str | Reply]] = field(default_factory=deque)
    queued_bytes: int = 0
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    dropped: asyncio.Event = field(default_factory=asyncio.Event)
    drop_reason: tuple[int, str] | None = None
    sends: int = 0
    send_seconds: float = 0.0
    sending_since: float | None = None
    warned_behind: bool = False

    def offer(self, item: str | Reply) -> bool:
        """Queue ``item``; False (and the client marked for dropping) when the queue is full."""
        if self.drop_reason is not None:
            return False
        size = len(item) if isinstance(item, str) else 0
        limits = self.limits
        if (
            len(self.queue) >= limits.max_queue_messages
            or self.queued_bytes + size > limits.max_queue_bytes
        ):
            self.queue.clear()
            self.queued_bytes = 0
            log.warning("Dropping WebSocket client %s: its send queue is full", self.peer)
            self.drop(CloseCode.TRY_AGAIN_LATER, "send queue full: client too slow")
            return False
        self.queue.append((time.monotonic(), item))
        self.queued_bytes += size
        self.wakeup.set()
        return True

    def drop(self, code: int, reason: str) -> None:
        """Mark the client for closing with ``code``/``reason`` (the first reason wins)."""
        if self.drop_reason is None:
            self.drop_reason = (code, reason)
            self.wakeup.set()
            self.dropped.set()

    def send_timeout(self) -> float:
        """3 s for the first ten sends, then twice the average send time within [1 s, 3 s]."""
        limits = self.limits
        if self.sends < 10:
            return limits.initial_send_timeout
        average = self.send_seconds / self.sends
        return min(max(2 * average, limits.min_send_timeout), limits.max_send_timeout)
