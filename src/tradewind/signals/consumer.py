"""The follower: one connection loop per producer, feeding a :class:`ProducerStore` (spec §5–§6).

Each loop connects to ``ws[s]://host:port/api/v1/message/ws?token=…`` (inbound size limited to
``message_size_limit`` MiB, no automatic pings, permessage-deflate offered), subscribes to
``whitelist`` and ``analyzed_df``, asks for the whitelist and the last 1500 candles of every
pair, then reads. After ``wait_timeout`` seconds of silence it pings and waits ``ping_timeout``
for the pong. Any failure ends the connection; the loop waits ``sleep_time`` plus a bounded
exponential backoff with jitter and reconnects, logging a producer that goes away once and its
return once. Only an invalid URL stops a loop for good.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import orjson
import pandas as pd
import websockets
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import InvalidURI

from tradewind.config.models.consumer import ExternalMessageConsumerConfig, ProducerConfig
from tradewind.schemas.ws import ANALYZED_DF_MAX_ROWS, WSMessageType, WSRequestType
from tradewind.signals.encoding import decode_split, parse_la
from tradewind.signals.store import Key, ProducerStore

__all__ = ["Backoff", "ExternalMessageConsumer"]

log = logging.getLogger(__name__)

MergeListener = Callable[[str, Key, datetime], None]
"""Called after a producer frame was stored: (producer name, key, la)."""
_FOLLOW_UP_RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class Backoff:
    """Delay before reconnect attempt ``n`` (0-based): ``sleep_time`` plus a bounded,
    jittered exponential term ("equal jitter": half fixed, half random)."""

    sleep_time: float
    base: float = 1.0
    cap: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Seconds to wait before the ``attempt``-th consecutive reconnect."""
        step = min(self.cap, self.base * float(2 ** min(attempt, 16)))
        return self.sleep_time + step / 2 + rng.uniform(0, step / 2)

    def maximum(self, attempt: int) -> float:
        """The longest ``delay(attempt)`` can be."""
        return self.sleep_time + min(self.cap, self.base * float(2 ** min(attempt, 16)))


class _ConnectionDone(Exception):
    """The session ended in a way that calls for an immediate reconnect (a failed ping)."""


class ExternalMessageConsumer:
    """Follows every configured producer; a ``ProducerSource`` for the DataProvider."""

    def __init__(
        self,
        config: ExternalMessageConsumerConfig,
        *,
        process_only_new_candles: bool = False,
        store: ProducerStore | None = None,
        backoff: Backoff | None = None,
        on_merged: MergeListener | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.config = config
        self.store = store or ProducerStore(
            remove_entry_exit_signals=config.remove_entry_exit_signals
        )
        self.backoff = backoff or Backoff(float(config.sleep_time))
        self.on_merged = on_merged
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._online: dict[str, bool] = {}
        self._pending: dict[tuple[str, str], float] = {}
        self.connects: dict[str, int] = {}
        """Successful connections per producer (for tests and the benchmark)."""
        if process_only_new_candles:
            log.warning(
                "external_message_consumer is enabled but the strategy processes only new "
                "candles: set process_only_new_candles = False so that leader data arriving "
                "between candles is used."
            )

    # -- the DataProvider's ProducerSource --------------------------------------------------------
    def get_producer_df(
        self, pair: str, timeframe: str, candle_type: str, producer_name: str = "default"
    ) -> tuple[pd.DataFrame, datetime]:
        """A copy of the producer's frame and its ``la`` (empty and 1970 when none)."""
        return self.store.get_producer_df(pair, timeframe, candle_type, producer_name)

    def get_producer_pairs(self, producer_name: str = "default") -> list[str]:
        """A copy of the producer's whitelist."""
        return self.store.get_producer_pairs(producer_name)

    # -- running -------------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Follow every producer until ``stop`` is set (or the task is cancelled)."""
        tasks = [
            asyncio.create_task(self.follow(producer), name=f"consumer-{producer.name}")
            for producer in self.config.producers
        ]
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def follow(self, producer: ProducerConfig) -> None:
        """Connect, read, reconnect — for one producer, until cancelled."""
        attempt = 0
        while True:
            connects = self.connects.get(producer.name, 0)
            try:
                await self._connect_and_read(producer)
            except InvalidURI as exc:
                log.error(
                    "Producer %s: invalid URL (%s); not connecting to it.", producer.name, exc
                )
                return
            except _ConnectionDone:
                attempt = 0
                continue  # the spec's immediate reconnect after a failed ping
            except Exception as exc:  # every network/protocol failure means: wait, reconnect
                self._went_away(producer, exc)
            else:
                self._went_away(producer, None)
            if self.connects.get(producer.name, 0) > connects:
                attempt = 0  # it was connected: start the backoff afresh
            delay = self.backoff.delay(attempt, self._rng)
            attempt += 1
            log.debug("Producer %s: reconnecting in %.1f s", producer.name, delay)
            await asyncio.sleep(delay)

    def _url(self, producer: ProducerConfig) -> str:
        return f"{producer.url()}?token={quote(producer.ws_token, safe='')}"

    async def _connect_and_read(self, producer: ProducerConfig) -> None:
        async with connect(
            self._url(producer),
            max_size=self.config.message_size_bytes,
            ping_interval=None,
            ping_timeout=None,
            compression="deflate",
            proxy=None,
            open_timeout=max(float(self.config.wait_timeout), 5.0),
            close_timeout=2,
        ) as ws:
            self._came_back(producer)
            await self._session(producer, ws)

    def _came_back(self, producer: ProducerConfig) -> None:
        self.connects[producer.name] = self.connects.get(producer.name, 0) + 1
        if self._online.get(producer.name) is None or not self._online[producer.name]:
            log.info("Connected to producer %s at %s", producer.name, producer.url())
        self._online[producer.name] = True
        self._pending = {k: v for k, v in self._pending.items() if k[0] != producer.name}

    def _went_away(self, producer: ProducerConfig, exc: Exception | None) -> None:
        was_online = self._online.get(producer.name)
        self._online[producer.name] = False
        reason = _describe(exc)
        if was_online is not False:
            log.warning(
                "Producer %s at %s is unreachable (%s); reconnecting every %s s or more.",
                producer.name,
                producer.url(),
                reason,
                self.config.sleep_time,
            )
        else:
            log.debug("Producer %s still unreachable: %s", producer.name, reason)

    async def _session(self, producer: ProducerConfig, ws: ClientConnection) -> None:
        subscribe = [WSMessageType.WHITELIST.value, WSMessageType.ANALYZED_DF.value]
        await _send(ws, WSRequestType.SUBSCRIBE, subscribe)
        await _send(ws, WSRequestType.WHITELIST, None)
        initial = self.config.initial_candle_limit or ANALYZED_DF_MAX_ROWS
        await _send(ws, WSRequestType.ANALYZED_DF, {"limit": initial, "pair": None})
        while True:
            raw = await self._receive(producer, ws)
            if raw is None:
                continue
            follow_up = self.handle(producer.name, raw)
            if follow_up is not None:
                await _send(ws, WSRequestType.ANALYZED_DF, follow_up)

    async def _receive(self, producer: ProducerConfig, ws: ClientConnection) -> str | bytes | None:
        """The next message; None after a good ping, ``_ConnectionDone`` after a failed one."""
        try:
            async with asyncio.timeout(float(self.config.wait_timeout) or None):
                return await ws.recv()
        except TimeoutError:
            pass
        started = time.monotonic()
        try:
            pong = await ws.ping()
            async with asyncio.timeout(float(self.config.ping_timeout) or None):
                await pong
        except (TimeoutError, websockets.ConnectionClosed) as exc:
            log.warning("Producer %s did not answer a ping; reconnecting.", producer.name)
            self._online[producer.name] = False
            raise _ConnectionDone from exc
        log.debug("Producer %s ping: %.1f ms", producer.name, (time.monotonic() - started) * 1e3)
        return None

    # -- messages ------------------------------------------------------------------------------
    def handle(self, producer_name: str, raw: str | bytes) -> dict[str, Any] | None:
        """Handle one producer message; returns a follow-up ``analyzed_df`` request's data."""
        try:
            message = orjson.loads(raw)
        except orjson.JSONDecodeError:
            log.debug("Producer %s sent a message that is not JSON; dropped", producer_name)
            return None
        if not isinstance(message, dict) or not message.get("data"):
            log.debug("Producer %s sent a message without data; dropped", producer_name)
            return None
        kind, data = message.get("type"), message["data"]
        if kind == WSMessageType.WHITELIST.value and isinstance(data, list):
            self.store.set_pairs(producer_name, data)
        elif kind == WSMessageType.ANALYZED_DF.value and isinstance(data, dict):
            return self._analyzed(producer_name, data)
        return None

    def _analyzed(self, producer_name: str, data: dict[str, Any]) -> dict[str, Any] | None:
        try:
            key = _key(data.get("key"))
            received = decode_split(data.get("df"))
            analyzed_at = parse_la(data.get("la"))
        except ValueError as exc:
            log.warning("Producer %s sent an unreadable analyzed_df: %s", producer_name, exc)
            return None
        wanted = self.store.merge(producer_name, key, received, analyzed_at)
        if wanted is None:
            self._pending.pop((producer_name, key[0]), None)
            if received.data and self.on_merged is not None:
                self.on_merged(producer_name, key, analyzed_at)
            return None
        return self._follow_up(producer_name, key[0], wanted)

    def _follow_up(self, producer_name: str, pair: str, limit: int) -> dict[str, Any] | None:
        """The request for missing candles, unless one for that pair is still on its way."""
        now = time.monotonic()
        asked = self._pending.get((producer_name, pair))
        if asked is not None and now - asked < _FOLLOW_UP_RETRY_SECONDS:
            return None
        self._pending[(producer_name, pair)] = now
        log.debug("Producer %s: asking for %d candles of %s", producer_name, limit, pair)
        return {"limit": limit, "pair": pair}


async def _send(ws: ClientConnection, kind: WSRequestType, data: Any) -> None:
    request: dict[str, Any] = {"type": kind.value}
    if data is not None:
        request["data"] = data
    await ws.send(orjson.dumps(request).decode())


def _key(value: Any) -> Key:
    if (
        not isinstance(value, list | tuple)
        or len(value) != 3
        or not all(isinstance(part, str) for part in value)
    ):
        raise ValueError(f"key must be [pair, timeframe, candle_type], not {value!r}")
    return (value[0], value[1], value[2])


def _describe(exc: Exception | None) -> str:
    if exc is None:
        return "connection closed"
    text = str(exc) or type(exc).__name__
    return text if len(text) < 200 else text[:200] + "…"
