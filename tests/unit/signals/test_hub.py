"""The producer side: subscriptions, requests, fan-out and back-pressure (§2–§4)."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import pytest

from tradewind.domain.enums import BotState
from tradewind.domain.events import EventBus, PairAnalyzed, StateChanged, StrategyMessage
from tradewind.signals.connection import ClientConnection
from tradewind.signals.hub import CloseCode, HubLimits, MessageHub

from .fakes import T0, FakeBot, FakeChannel, analyzed_frame

PAIRS = ["ETH/BTC", "XRP/BTC"]


def _run(scenario: Callable[[MessageHub, EventBus], Awaitable[None]], **limits: Any) -> None:
    async def main() -> None:
        bot = FakeBot(list(PAIRS), {"ETH/BTC": analyzed_frame(20)})
        hub = MessageHub(bot.source(), limits=HubLimits(**limits))
        events = EventBus()
        hub.attach(events)
        await scenario(hub, events)

    asyncio.run(main())


async def _connect(hub: MessageHub, channel: FakeChannel) -> asyncio.Task[None]:
    task = asyncio.create_task(hub.serve(channel, "test"))
    for _ in range(100):
        if hub.client_count and channel in [c.channel for c in hub._clients]:
            break
        await asyncio.sleep(0)
    return task


async def _settle() -> None:
    for _ in range(20):
        await asyncio.sleep(0)


def _analysis(pair: str = "ETH/BTC", new_candle: bool = True) -> PairAnalyzed:
    return PairAnalyzed(pair, "5m", "spot", analyzed_frame(20), T0, new_candle=new_candle)


def test_a_fresh_connection_receives_nothing_until_it_subscribes() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        channel = FakeChannel()
        task = await _connect(hub, channel)
        events.publish(StateChanged(BotState.RUNNING, "running"))
        await _settle()
        assert channel.sent == []
        channel.request({"type": "subscribe", "data": ["status"]})
        await _settle()
        events.publish(StateChanged(BotState.RUNNING, "running"))
        assert await channel.wait_for(1) == [{"type": "status", "status": "running"}]
        task.cancel()

    _run(scenario)


def test_subscribe_replaces_the_set_only_when_every_type_is_valid_and_never_replies() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        channel = FakeChannel()
        task = await _connect(hub, channel)
        channel.request({"type": "subscribe", "data": ["status", "strategy_msg"]})
        channel.request({"type": "subscribe", "data": ["status", "bogus"]})  # ignored entirely
        channel.request({"type": "subscribe", "data": []})  # ignored
        await _settle()
        events.publish(StrategyMessage("hello"))
        assert await channel.wait_for(1) == [{"type": "strategy_msg", "msg": "hello"}]
        channel.request({"type": "subscribe", "data": ["whitelist"]})
        await _settle()
        events.publish(StrategyMessage("not for you"))
        await _settle()
        assert len(channel.sent) == 1
        task.cancel()

    _run(scenario)


def test_whitelist_and_analyzed_df_requests_are_answered_without_subscribing() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        channel = FakeChannel()
        task = await _connect(hub, channel)
        channel.request({"type": "whitelist", "data": ""})
        channel.request({"type": "analyzed_df", "data": {"limit": 5, "pair": None}})
        whitelist, eth, xrp = await channel.wait_for(3)
        assert whitelist == {"type": "whitelist", "data": PAIRS}
        eth_df = orjson.loads(eth["data"]["df"]["__value__"])  # type: ignore[index]
        assert eth["data"]["key"] == ["ETH/BTC", "5m", "spot"]  # type: ignore[index]
        assert eth_df["index"] == [15, 16, 17, 18, 19]
        assert eth["data"]["la"] == "2026-11-25T01:00:00+00:00"  # type: ignore[index]
        assert xrp["data"]["df"]["__value__"] == '{"columns":[],"index":[],"data":[]}'  # type: ignore[index]
        assert xrp["data"]["la"] == "1970-01-01T00:00:00+00:00"  # type: ignore[index]
        task.cancel()

    _run(scenario)


@pytest.mark.parametrize(
    ("data", "rows"),
    [({"limit": 3000, "pair": "ETH/BTC"}, 20), ({"pair": "ETH/BTC", "limit": 2}, 2), ({}, 20)],
)
def test_analyzed_df_limit_and_pair_follow_the_spec(data: object, rows: int) -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        channel = FakeChannel()
        task = await _connect(hub, channel)
        channel.request({"type": "analyzed_df", "data": data})
        messages = await channel.wait_for(1)
        await _settle()
        expected = 1 if data else len(PAIRS)
        assert len(channel.sent) == expected
        inner = orjson.loads(messages[0]["data"]["df"]["__value__"])  # type: ignore[index]
        assert len(inner["data"]) == rows
        task.cancel()

    _run(scenario)


def test_an_unknown_request_type_gets_an_exception_message_and_the_connection_stays() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        channel = FakeChannel()
        task = await _connect(hub, channel)
        channel.request({"type": "ping"})
        channel.request({"type": "whitelist"})
        error, whitelist = await channel.wait_for(2)
        assert error == {"type": "exception", "data": "Invalid request type: ping"}
        assert whitelist["type"] == "whitelist"
        assert channel.closed is None
        task.cancel()

    _run(scenario)


def test_analysis_broadcast_is_the_last_row_followed_by_new_candle() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        channel = FakeChannel()
        task = await _connect(hub, channel)
        channel.request({"type": "subscribe", "data": ["analyzed_df", "new_candle"]})
        await _settle()
        events.publish(_analysis())
        analyzed, new_candle = await channel.wait_for(2)
        inner = orjson.loads(analyzed["data"]["df"]["__value__"])  # type: ignore[index]
        assert inner["index"] == [19]
        assert new_candle == {"type": "new_candle", "data": ["ETH/BTC", "5m", "spot"]}
        task.cancel()

    _run(scenario)


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("{not json", CloseCode.NORMAL),
        (b'{"type": "whitelist"}', CloseCode.UNSUPPORTED_DATA),
        ('{"type": "whitelist", "data": "' + "x" * 2048 + '"}', CloseCode.MESSAGE_TOO_BIG),
    ],
    ids=["malformed", "binary", "oversized"],
)
def test_a_bad_frame_closes_only_that_client(
    frame: str | bytes, code: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="tradewind.signals.hub")

    async def scenario(hub: MessageHub, events: EventBus) -> None:
        bad, good = FakeChannel(), FakeChannel()
        bad_task = await _connect(hub, bad)
        good_task = await _connect(hub, good)
        good.request({"type": "subscribe", "data": ["status"]})
        bad.incoming.put_nowait(frame)
        assert (await bad.wait_closed())[0] == code
        await bad_task
        events.publish(StateChanged(BotState.RUNNING, "running"))
        assert await good.wait_for(1) == [{"type": "status", "status": "running"}]
        assert hub.client_count == 1
        good_task.cancel()

    _run(scenario, max_request_bytes=1024)
    assert len([r for r in caplog.records if "Closing WebSocket client" in r.getMessage()]) == 1


def test_a_client_that_never_reads_is_dropped_while_another_keeps_receiving() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        stuck, good = FakeChannel(stuck=True), FakeChannel()
        stuck_task = await _connect(hub, stuck)
        good_task = await _connect(hub, good)
        for channel in (stuck, good):
            channel.request({"type": "subscribe", "data": ["status"]})
        await _settle()
        for i in range(30):
            started = asyncio.get_running_loop().time()
            events.publish(StateChanged(BotState.RUNNING, f"s{i}"))
            assert asyncio.get_running_loop().time() - started < 0.05  # publishing never waits
            if i % 5 == 4:
                await _settle()  # the good client's writer drains between bursts
        code, reason = await stuck.wait_closed()
        await stuck_task
        assert code == CloseCode.TRY_AGAIN_LATER
        assert "too slow" in reason
        assert len(await good.wait_for(30)) == 30
        assert hub.dropped == 1
        good_task.cancel()

    _run(scenario, max_queue_messages=10)


def test_a_send_slower_than_the_timeout_drops_the_client() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        stuck = FakeChannel(stuck=True)
        task = await _connect(hub, stuck)
        stuck.request({"type": "whitelist"})
        code, reason = await stuck.wait_closed(within=2)
        await task
        assert (code, reason) == (CloseCode.TRY_AGAIN_LATER, "send timed out: client too slow")

    _run(scenario, initial_send_timeout=0.05)


def test_messages_published_from_a_worker_thread_reach_the_clients() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        channel = FakeChannel()
        task = await _connect(hub, channel)
        channel.request({"type": "subscribe", "data": ["strategy_msg"]})
        await _settle()
        worker = threading.Thread(target=events.publish, args=(StrategyMessage("from a thread"),))
        worker.start()
        worker.join()
        assert await channel.wait_for(1) == [{"type": "strategy_msg", "msg": "from a thread"}]
        task.cancel()

    _run(scenario)


def test_without_analyzed_df_subscribers_nothing_is_encoded() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        channel = FakeChannel()
        task = await _connect(hub, channel)
        channel.request({"type": "subscribe", "data": ["status"]})
        await _settle()
        calls: list[object] = []
        hub.formatter.format = lambda event: calls.append(event) or []  # type: ignore[method-assign]
        events.publish(_analysis())
        assert calls == []
        task.cancel()

    _run(scenario)


def test_closing_the_hub_announces_the_end_and_closes_the_clients() -> None:
    async def scenario(hub: MessageHub, events: EventBus) -> None:
        channel = FakeChannel()
        task = await _connect(hub, channel)
        channel.request({"type": "subscribe", "data": ["status"]})
        await _settle()
        await hub.close()
        await task
        assert channel.messages() == [{"type": "status", "status": "process died"}]
        assert channel.closed == (CloseCode.GOING_AWAY, "bot shutting down")

    _run(scenario)


def test_the_send_timeout_adapts_to_the_average_send_time() -> None:
    client = ClientConnection(1, FakeChannel(), "p", HubLimits())
    assert client.send_timeout() == 3.0
    client.sends, client.send_seconds = 10, 0.01
    assert client.send_timeout() == 1.0
    client.send_seconds = 10 * 1.2
    assert client.send_timeout() == 2.4
    client.send_seconds = 100.0
    assert client.send_timeout() == 3.0
