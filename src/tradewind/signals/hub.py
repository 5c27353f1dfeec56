"""The leader side of the message WebSocket: one hub, many clients (spec §2–§4).

The hub subscribes to the engine's :class:`EventBus`. Publishing is synchronous and only
enqueues: each event is formatted and serialized **once**, and the same text is appended to the
bounded send queue of every client subscribed to its type. One writer task per client drains
its queue; a client whose queue overflows, or whose send takes longer than the send timeout,
is disconnected with a close reason and logged once, so a slow or stuck client never holds up
the engine or the other clients.

Each client also has a reader task that answers requests (``subscribe``, ``whitelist``,
``analyzed_df``). Request replies are queued like broadcasts but serialized lazily by the
writer, one pair at a time, so a full-history request for a hundred pairs never sits in memory
at once. The transport is abstracted as a :class:`Channel` (``api/ws.py`` adapts Starlette's
WebSocket to it), which keeps the hub testable without a server.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
import pandas as pd
from pydantic import ValidationError

from tradewind.domain.events import Event, EventBus, PairAnalyzed
from tradewind.schemas.json import dumps
from tradewind.schemas.ws import (
    WSErrorMessage,
    WSMessageType,
    WSRequest,
    WSRequestType,
    analyzed_df_limit,
    invalid_request_message,
    subscription_types,
)
from tradewind.signals.connection import (
    Channel,
    ClientConnection,
    ClientGone,
    CloseCode,
    HubLimits,
    Reply,
)
from tradewind.signals.payloads import MessageFormatter, analyzed_df_message, whitelist_message

__all__ = [
    "Channel",
    "ClientGone",
    "CloseCode",
    "HubLimits",
    "HubSource",
    "MessageHub",
]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HubSource:
    """What the hub reads from the running bot (adapted by the composition root)."""

    whitelist: Callable[[], list[str]]
    analyzed: Callable[[str, str, str], tuple[pd.DataFrame, datetime] | None]
    timeframe: str
    candle_type: str = "spot"


_YIELD_EVERY = 8
_REPLY_CACHE_SECONDS = 30.0
_CachedReply = tuple[pd.DataFrame, datetime, str, float]  # frame, la, text, made at
_BROADCAST_TYPES: dict[type, frozenset[str]] = {
    PairAnalyzed: frozenset({WSMessageType.ANALYZED_DF.value, WSMessageType.NEW_CANDLE.value}),
}


class MessageHub:
    """Formats engine events once and fans them out to the subscribed WebSocket clients."""

    def __init__(
        self,
        source: HubSource,
        *,
        formatter: MessageFormatter | None = None,
        limits: HubLimits | None = None,
    ) -> None:
        self.source = source
        self.formatter = formatter or MessageFormatter()
        self.limits = limits or HubLimits()
        self._clients: set[ClientConnection] = set()
        self._ids = itertools.count(1)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._watchdog: asyncio.Task[None] | None = None
        self._replies: dict[tuple[str, int | None], _CachedReply] = {}
        self._unsubscribe: Callable[[], None] | None = None
        self.dropped = 0
        """Clients disconnected for being too slow (for tests and the benchmark)."""

    # -- the engine side -----------------------------------------------------------------------
    def attach(self, events: EventBus) -> None:
        """Subscribe to the engine's events (once)."""
        if self._unsubscribe is None:
            self._unsubscribe = events.subscribe(self.publish)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    @property
    def client_count(self) -> int:
        return len(self._clients)

    def publish(self, event: Event) -> None:
        """EventBus handler: format, serialize once, enqueue for each subscriber. Never blocks.

        Called from the event loop (engine) or from a worker thread (a strategy's
        ``send_msg``): in the latter case the fan-out is handed to the loop.
        """
        loop = self._loop
        if loop is None or not self._clients:
            return
        wanted = self._wanted_types()
        possible = _BROADCAST_TYPES.get(type(event))
        if possible is not None and not (possible & wanted):
            return
        messages = [m for m in self.formatter.format(event) if m["type"] in wanted]
        if not messages:
            return
        encoded = [(str(m["type"]), dumps(m).decode()) for m in messages]
        if threading.get_ident() == self._loop_thread:
            self._fan_out(encoded)
            return
        with contextlib.suppress(RuntimeError):  # the loop closed: the bot is shutting down
            loop.call_soon_threadsafe(self._fan_out, encoded)

    def broadcast(self, message: dict[str, Any]) -> None:
        """Send one ready message dict to its subscribers (from the event loop)."""
        self._fan_out([(str(message["type"]), dumps(message).decode())])

    def _wanted_types(self) -> set[str]:
        wanted: set[str] = set()
        for client in tuple(self._clients):  # may run in a worker thread: copy first
            wanted |= client.subscriptions
        return wanted

    def _fan_out(self, encoded: list[tuple[str, str]]) -> None:
        for client in list(self._clients):
            for kind, text in encoded:
                if kind in client.subscriptions and not client.offer(text):
                    break

    # -- the client side -----------------------------------------------------------------------
    async def serve(self, channel: Channel, peer: str = "?") -> None:
        """Run one accepted connection until it ends; never raises for client misbehaviour."""
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        client = ClientConnection(next(self._ids), channel, peer, self.limits)
        self._clients.add(client)
        if self._watchdog is None or self._watchdog.done():
            self._watchdog = asyncio.create_task(self._watch_sends(), name="ws-send-watchdog")
        tasks = [
            asyncio.create_task(self._read(client), name=f"ws-read-{client.id}"),
            asyncio.create_task(self._write(client), name=f"ws-write-{client.id}"),
            asyncio.create_task(client.dropped.wait(), name=f"ws-drop-{client.id}"),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            self._clients.discard(client)
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            await self._close(client)

    async def _close(self, client: ClientConnection) -> None:
        if client.drop_reason is None:
            return
        code, reason = client.drop_reason
        if code == CloseCode.TRY_AGAIN_LATER:
            self.dropped += 1
        with contextlib.suppress(Exception):
            async with asyncio.timeout(self.limits.close_timeout):
                await client.channel.close(code, reason)

    async def close(self, grace: float = 1.0) -> None:
        """Tell the subscribers of ``status`` the bot goes away, then close every client."""
        self.broadcast({"type": WSMessageType.STATUS.value, "status": "process died"})
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and any(c.queue for c in self._clients):  # noqa: ASYNC110
            await asyncio.sleep(0.01)  # bounded: let the writers deliver what is queued
        for client in list(self._clients):
            client.drop(CloseCode.GOING_AWAY, "bot shutting down")

    # -- reading requests ------------------------------------------------------------------------
    async def _read(self, client: ClientConnection) -> None:
        while client.drop_reason is None:
            try:
                frame = await client.channel.receive()
            except ClientGone:
                return
            if frame is None:
                return
            if not self._accept_frame(client, frame):
                return

    def _accept_frame(self, client: ClientConnection, frame: str | bytes) -> bool:
        """Handle one frame; False when the client must be closed."""
        if isinstance(frame, bytes):
            return self._refuse(client, CloseCode.UNSUPPORTED_DATA, "binary frames not supported")
        if len(frame) > self.limits.max_request_bytes:
            return self._refuse(client, CloseCode.MESSAGE_TOO_BIG, "message too big")
        try:
            payload = orjson.loads(frame)
        except orjson.JSONDecodeError:
            return self._refuse(client, CloseCode.NORMAL, "")
        try:
            request = WSRequest.model_validate(payload)
        except ValidationError:
            kind = payload.get("type") if isinstance(payload, dict) else payload
            return client.offer(dumps(invalid_request_message(kind)).decode())
        try:
            return self._handle(client, request)
        except Exception:  # a bug serving one request must not end the connection
            log.exception("Error processing WebSocket request from %s", client.peer)
            return client.offer(dumps(WSErrorMessage(data="Error processing request")).decode())

    def _refuse(self, client: ClientConnection, code: int, reason: str) -> bool:
        log.info("Closing WebSocket client %s: %s", client.peer, reason or "invalid JSON")
        client.drop(code, reason)
        return False

    def _handle(self, client: ClientConnection, request: WSRequest) -> bool:
        if request.type == WSRequestType.SUBSCRIBE:
            types = subscription_types(request.data)
            if types is not None:
                client.subscriptions = frozenset(t.value for t in types)
            return True
        if request.type == WSRequestType.WHITELIST:
            return client.offer(dumps(whitelist_message(self.source.whitelist())).decode())
        limit = analyzed_df_limit(request.data)
        pair = request.data.get("pair") if isinstance(request.data, dict) else None
        pairs = [pair] if isinstance(pair, str) and pair else self.source.whitelist()
        return client.offer(Reply(self._analyzed_messages(pairs, limit)))

    def _analyzed_messages(self, pairs: list[str], limit: int | None) -> Iterator[str]:
        """One encoded ``analyzed_df`` message per pair, made when the writer asks for it.

        The last text per (pair, limit) is kept while the pair's analysis is unchanged, so
        followers that connect together (or after a leader restart) share one encoding.
        """
        timeframe, candle_type = self.source.timeframe, self.source.candle_type
        for pair in pairs:
            key = (pair, timeframe, candle_type)
            found = self.source.analyzed(*key)
            if found is None:
                yield dumps(analyzed_df_message(key, None, None)).decode()
                continue
            frame, analyzed_at = found
            cached = self._replies.get((pair, limit))
            if cached is not None and cached[0] is frame and cached[1] == analyzed_at:
                yield cached[2]
                continue
            shown = frame if limit is None else frame.tail(limit)
            text = dumps(analyzed_df_message(key, shown, analyzed_at)).decode()
            self._remember(pair, limit, (frame, analyzed_at, text, time.monotonic()))
            yield text

    def _remember(self, pair: str, limit: int | None, entry: _CachedReply) -> None:
        """Keep a reply for a while (a reconnect storm asks for the same frames at once)."""
        oldest = time.monotonic() - _REPLY_CACHE_SECONDS
        for cache_key in [k for k, v in self._replies.items() if v[3] < oldest]:
            del self._replies[cache_key]
        self._replies[(pair, limit)] = entry

    # -- writing ------------------------------------------------------------------------------
    async def _write(self, client: ClientConnection) -> None:
        while True:
            if client.drop_reason is not None:
                return
            if not client.queue:
                client.wakeup.clear()
                await client.wakeup.wait()
                continue
            queued_at, item = client.queue.popleft()
            if isinstance(item, str):
                client.queued_bytes -= len(item)
                if not await self._send(client, item, queued_at):
                    return
            elif not await self._send_reply(client, item, queued_at):
                return

    async def _send_reply(self, client: ClientConnection, reply: Reply, queued_at: float) -> bool:
        while True:
            try:
                text = next(reply.messages, None)
            except Exception:  # reading the bot's state failed: report, keep the connection
                log.exception("Error processing WebSocket request from %s", client.peer)
                text = dumps(WSErrorMessage(data="Error processing request")).decode()
                reply.messages = iter(())
            if text is None:
                return True
            if not await self._send(client, text, queued_at):
                return False

    async def _send(self, client: ClientConnection, text: str, queued_at: float) -> bool:
        started = time.monotonic()
        if started - queued_at > self.limits.behind_warning_seconds and not client.warned_behind:
            client.warned_behind = True
            log.warning("WebSocket client %s is more than 60 s behind the stream", client.peer)
        # No timer per send (it would cost as much as the send): the watchdog checks the
        # clients that are in the middle of a send and drops those past their timeout.
        client.sending_since = started
        try:
            await client.channel.send(text)
        except ClientGone:
            return False
        finally:
            client.sending_since = None
        client.sends += 1
        client.send_seconds += time.monotonic() - started
        if client.sends % _YIELD_EVERY == 0:
            await asyncio.sleep(0)  # a send that did not block never yielded: share the loop
        return True

    async def _watch_sends(self) -> None:
        """Drop every client whose current send has lasted longer than its send timeout."""
        limits = self.limits
        interval = max(
            0.005, min(0.25, limits.initial_send_timeout / 4, limits.min_send_timeout / 4)
        )
        while self._clients:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for client in list(self._clients):
                since = client.sending_since
                timeout = client.send_timeout()
                if since is not None and now - since > timeout and client.drop_reason is None:
                    log.warning(
                        "Dropping WebSocket client %s: a send took longer than %.1f s",
                        client.peer,
                        timeout,
                    )
                    client.drop(CloseCode.TRY_AGAIN_LATER, "send timed out: client too slow")
