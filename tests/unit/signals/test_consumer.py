"""The follower's connection loop against a fake producer on loopback (§6)."""

from __future__ import annotations

import asyncio
import itertools
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import pytest
from websockets.asyncio.server import ServerConnection, serve

from tradewind.config.models.consumer import ExternalMessageConsumerConfig
from tradewind.signals.consumer import Backoff, ExternalMessageConsumer, _ConnectionDone
from tradewind.signals.encoding import SplitFrame

from .fakes import analyzed_frame
from .test_store import KEY, _rows

Handler = Callable[[ServerConnection], Awaitable[None]]


def _config(port: int, **overrides: Any) -> ExternalMessageConsumerConfig:
    values: dict[str, Any] = {
        "enabled": True,
        "producers": [{"name": "default", "host": "127.0.0.1", "port": port, "ws_token": "t k"}],
        "sleep_time": 0,
        "wait_timeout": 5,
        "ping_timeout": 2,
    }
    timings = {k: overrides.pop(k) for k in ("wait_timeout", "ping_timeout") if k in overrides}
    values.update(overrides)
    # sub-second timings (integers in the config) keep these tests fast
    return ExternalMessageConsumerConfig.model_validate(values).model_copy(update=timings)


def _analyzed(split: SplitFrame, la: str = "2026-11-25 01:49:31+00:00") -> str:
    inner = orjson.dumps({"columns": split.columns, "index": split.index, "data": split.data})
    df = {"__type__": "dataframe", "__value__": inner.decode()}
    return orjson.dumps(
        {"type": "analyzed_df", "data": {"key": list(KEY), "df": df, "la": la}}
    ).decode()


async def _until(check: Callable[[], bool], within: float = 5.0) -> None:
    async with asyncio.timeout(within):
        while not check():  # noqa: ASYNC110 - a bounded poll
            await asyncio.sleep(0.01)


def _with_producer(handler: Handler, scenario: Callable[[int], Awaitable[None]]) -> None:
    async def main() -> None:
        async with serve(handler, "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
            await scenario(port)

    asyncio.run(main())


def test_on_connect_it_subscribes_asks_for_the_whitelist_and_1500_candles_then_stores() -> None:
    received: list[Any] = []
    paths: list[str] = []

    async def producer(ws: ServerConnection) -> None:
        paths.append(ws.request.path if ws.request else "")
        for _ in range(3):
            received.append(orjson.loads(await ws.recv()))
        await ws.send(orjson.dumps({"type": "whitelist", "data": ["ETH/USDT"]}).decode())
        await ws.send(_analyzed(_rows(0, 120)))
        await ws.send(_analyzed(_rows(120, 1), la="2026-11-25T01:54:31+00:00"))
        await ws.wait_closed()

    async def scenario(port: int) -> None:
        merged: list[Any] = []
        consumer = ExternalMessageConsumer(
            _config(port), on_merged=lambda *args: merged.append(args)
        )
        stop = asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))
        await _until(lambda: len(merged) == 2)
        assert consumer.get_producer_pairs("default") == ["ETH/USDT"]
        frame, la = consumer.get_producer_df(*KEY, "default")
        assert len(frame) == 121
        assert la.isoformat() == "2026-11-25T01:54:31+00:00"
        stop.set()
        await asyncio.wait_for(task, 3)

    _with_producer(producer, scenario)
    assert paths == ["/api/v1/message/ws?token=t%20k"]
    assert received == [
        {"type": "subscribe", "data": ["whitelist", "analyzed_df"]},
        {"type": "whitelist"},
        {"type": "analyzed_df", "data": {"limit": 1500, "pair": None}},
    ]


def test_a_gap_sends_one_follow_up_request_for_the_missing_candles() -> None:
    requests: list[Any] = []

    async def producer(ws: ServerConnection) -> None:
        for _ in range(3):
            await ws.recv()
        await ws.send(_analyzed(_rows(0, 120)))
        await ws.send(_analyzed(_rows(125, 1)))  # 6 candles after the last (119): ask 7
        await ws.send(_analyzed(_rows(126, 1)))  # still a gap: no second request yet
        requests.append(orjson.loads(await ws.recv()))
        await ws.send(_analyzed(_rows(119, 8)))
        await ws.wait_closed()

    async def scenario(port: int) -> None:
        consumer = ExternalMessageConsumer(_config(port))
        task = asyncio.create_task(consumer.follow(consumer.config.producers[0]))
        await _until(lambda: consumer.store.rows("default", KEY) == 127)
        task.cancel()

    _with_producer(producer, scenario)
    assert requests == [{"type": "analyzed_df", "data": {"limit": 7, "pair": "ETH/USDT"}}]


def test_garbage_from_the_producer_is_dropped_and_the_connection_kept() -> None:
    async def producer(ws: ServerConnection) -> None:
        for _ in range(3):
            await ws.recv()
        for junk in ("not json", '{"type": "whitelist"}', '{"type": "analyzed_df", "data": 1}',
                     '{"type": "analyzed_df", "data": {"key": [1], "df": {}, "la": "x"}}',
                     '{"type": "entry_fill", "data": {"pair": "x"}}'):  # fmt: skip
            await ws.send(junk)
        await ws.send(orjson.dumps({"type": "whitelist", "data": ["A/B"]}).decode())
        await ws.wait_closed()

    async def scenario(port: int) -> None:
        consumer = ExternalMessageConsumer(_config(port))
        task = asyncio.create_task(consumer.follow(consumer.config.producers[0]))
        await _until(lambda: consumer.get_producer_pairs() == ["A/B"])
        assert consumer.connects["default"] == 1
        task.cancel()

    _with_producer(producer, scenario)


def test_a_message_over_the_size_limit_ends_the_connection_and_it_reconnects() -> None:
    connections: list[int] = []

    async def producer(ws: ServerConnection) -> None:
        connections.append(1)
        for _ in range(3):
            await ws.recv()
        if len(connections) == 1:
            await ws.send("x" * (2**20 + 10))  # over 1 MiB
        else:
            await ws.send(orjson.dumps({"type": "whitelist", "data": ["A/B"]}).decode())
        await ws.wait_closed()

    async def scenario(port: int) -> None:
        consumer = ExternalMessageConsumer(
            _config(port, message_size_limit=1), backoff=Backoff(0, base=0.05)
        )
        task = asyncio.create_task(consumer.follow(consumer.config.producers[0]))
        await _until(lambda: consumer.get_producer_pairs() == ["A/B"])
        task.cancel()

    _with_producer(producer, scenario)
    assert len(connections) == 2


def test_after_silence_it_pings_and_keeps_a_live_connection() -> None:
    async def producer(ws: ServerConnection) -> None:
        await ws.wait_closed()

    async def scenario(port: int) -> None:
        consumer = ExternalMessageConsumer(_config(port, wait_timeout=0.05))
        task = asyncio.create_task(consumer.follow(consumer.config.producers[0]))
        await asyncio.sleep(0.5)  # ~10 ping rounds
        assert consumer.connects == {"default": 1}
        task.cancel()

    _with_producer(producer, scenario)


def test_an_unanswered_ping_drops_the_connection() -> None:
    class SilentPeer:
        async def recv(self) -> str:
            await asyncio.Event().wait()
            return ""

        async def ping(self) -> asyncio.Future[float]:
            return asyncio.get_running_loop().create_future()  # the pong never comes

    async def main() -> None:
        consumer = ExternalMessageConsumer(_config(1, wait_timeout=0.01, ping_timeout=0.01))
        with pytest.raises(_ConnectionDone):
            await consumer._receive(consumer.config.producers[0], SilentPeer())  # type: ignore[arg-type]

    asyncio.run(main())


def test_backoff_is_bounded_jittered_and_never_below_sleep_time() -> None:
    backoff = Backoff(2.0, base=1.0, cap=30.0)
    rng = random.Random(3)
    delays = [backoff.delay(n, rng) for n in range(12)]
    for n, delay in enumerate(delays):
        assert 2.0 + min(30.0, 2**n) / 2 <= delay <= backoff.maximum(n)
    assert max(delays) <= 32.0


def test_a_producer_that_is_down_is_logged_once_and_retried_with_backoff(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="tradewind.signals.consumer")

    async def main() -> None:
        async with serve(lambda ws: ws.wait_closed(), "127.0.0.1", 0) as server:
            port = server.sockets[0].getsockname()[1]
        # the port is closed now: every attempt is refused
        consumer = ExternalMessageConsumer(_config(port), backoff=Backoff(0.05, base=0.05, cap=0.2))
        attempts: list[float] = []
        original = consumer._connect_and_read

        async def counting(producer: Any) -> None:
            attempts.append(time.monotonic())
            await original(producer)

        consumer._connect_and_read = counting  # type: ignore[method-assign]
        task = asyncio.create_task(consumer.follow(consumer.config.producers[0]))
        await asyncio.sleep(1.0)
        task.cancel()
        gaps = [b - a for a, b in itertools.pairwise(attempts)]
        assert 3 <= len(attempts) <= 12  # not a tight loop
        assert all(gap >= 0.05 + 0.025 for gap in gaps)
        assert all(gap <= 0.05 + 0.2 + 0.5 for gap in gaps)  # upper bound + scheduling slack

    asyncio.run(main())
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1
    assert "unreachable" in warnings[0].getMessage()


def test_it_reconnects_after_the_producer_closes_and_logs_the_return_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="tradewind.signals.consumer")
    seen: list[float] = []

    async def producer(ws: ServerConnection) -> None:
        seen.append(time.monotonic())
        if len(seen) == 1:
            await ws.close()
            return
        await ws.wait_closed()

    async def scenario(port: int) -> None:
        consumer = ExternalMessageConsumer(
            _config(port, sleep_time=0), backoff=Backoff(0.2, base=0.1)
        )
        task = asyncio.create_task(consumer.follow(consumer.config.producers[0]))
        await _until(lambda: consumer.connects.get("default") == 2)
        task.cancel()

    _with_producer(producer, scenario)
    assert 0.2 + 0.05 <= seen[1] - seen[0] <= 0.2 + 0.1 + 1.0  # bound + scheduling slack
    messages = [r.getMessage() for r in caplog.records]
    assert sum("Connected to producer" in m for m in messages) == 2
    assert sum("unreachable" in m for m in messages) == 1


def test_an_invalid_url_stops_that_producer_for_good() -> None:
    async def main() -> None:
        consumer = ExternalMessageConsumer(_config(1))
        consumer._url = lambda producer: "not a url"  # type: ignore[method-assign]
        await asyncio.wait_for(consumer.follow(consumer.config.producers[0]), 2)

    asyncio.run(main())


def test_a_follower_that_processes_only_new_candles_is_warned(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ExternalMessageConsumer(_config(1), process_only_new_candles=True)
    assert "process_only_new_candles" in caplog.text
    assert analyzed_frame(1).shape == (1, 2)
