"""Faults injected by the stub: retries with backoff, never a retried create, rate limits."""

from __future__ import annotations

import asyncio
import itertools
import time
from decimal import Decimal

import pytest

from tests.stubs.binance_stub import BinanceStub
from tests.stubs.ccxt_harness import open_adapter
from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import OrderStatus
from tradewind.errors import ExchangeUnavailable, RateLimited
from tradewind.exchange.ccxt import RateGate, RetryPolicy

PAIR = "ETH/BTC"
ORDER = "/api/v3/order"
TIMEOUT_MS = 400
LATE = 0.8  # seconds: beyond the client's timeout


def test_idempotent_calls_are_retried_after_5xx_and_timeouts(
    stub: BinanceStub, clock: ManualClock
) -> None:
    stub.inject("error5xx", "/api/v3/klines", times=2)
    stub.inject("timeout", "/api/v3/ticker/24hr", delay=LATE)
    stub.inject("error5xx", "GET /api/v3/account", status=502)

    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False, timeout_ms=TIMEOUT_MS) as exchange:
            frame = await exchange.fetch_ohlcv(PAIR, "5m", limit=10)
            assert len(frame) == 10
            assert (await exchange.fetch_ticker(PAIR)).bid > 0
            assert (await exchange.fetch_balance())["BTC"].free == Decimal(10)

    asyncio.run(scenario())
    assert stub.count("/api/v3/klines") == 3
    assert stub.count("/api/v3/ticker/24hr") == 2
    assert stub.count("/api/v3/account") == 2


def test_retries_back_off_exponentially_and_give_up(stub: BinanceStub, clock: ManualClock) -> None:
    stub.inject("error5xx", "/api/v3/klines", times=10)
    policy = RetryPolicy(attempts=3, base_delay=0.1, max_delay=1.0)

    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=True, retry=policy) as exchange:
            await exchange.load_markets()
            with pytest.raises(ExchangeUnavailable):
                await exchange.fetch_ohlcv(PAIR, "5m", limit=10)

    asyncio.run(scenario())
    arrivals = [r.at for r in stub.requests if r.path == "/api/v3/klines"]
    gaps = [b - a for a, b in itertools.pairwise(arrivals)]
    assert len(arrivals) == 3
    assert gaps[0] >= 0.1 and gaps[1] >= 0.2  # 0.1 s, then 0.2 s


def test_a_create_that_fails_is_never_sent_twice(stub: BinanceStub, clock: ManualClock) -> None:
    stub.inject("error5xx", "POST /api/v3/order")

    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            with pytest.raises(ExchangeUnavailable):
                await exchange.create_order(PAIR, "buy", "market", Decimal("0.01"), None, "c1")
            assert await exchange.fetch_order_by_client_id("c1", PAIR) is None

    asyncio.run(scenario())
    assert stub.count(ORDER, "POST") == 1
    assert stub.orders() == []


def test_an_order_created_behind_a_timeout_is_found_by_client_id(
    stub: BinanceStub, clock: ManualClock
) -> None:
    stub.inject("late_response", "POST /api/v3/order", delay=LATE)

    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False, timeout_ms=TIMEOUT_MS) as exchange:
            with pytest.raises(ExchangeUnavailable):
                await exchange.create_order(PAIR, "buy", "market", Decimal("0.01"), None, "late1")
            found = await exchange.fetch_order_by_client_id("late1", PAIR)
            assert found is not None
            assert found.client_order_id == "late1" and found.status == OrderStatus.CLOSED
            assert found.fee_cost == found.cost * Decimal("0.001")

    asyncio.run(scenario())
    assert stub.count(ORDER, "POST") == 1
    (order,) = stub.orders()
    assert order.client_order_id == "late1"


def test_rate_limit_answers_slow_the_whole_adapter_down(
    stub: BinanceStub, clock: ManualClock
) -> None:
    stub.inject("rate_limit", "/api/v3/ticker/24hr", retry_after=1)
    gate = RateGate(initial=0.3, maximum=5.0, decay=0.75)

    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=True, gate=gate) as exchange:
            await exchange.load_markets()
            stub.clear_requests()
            await exchange.fetch_ticker(PAIR)  # 429, then retried after Retry-After
            for _ in range(3):
                await exchange.fetch_ticker(PAIR)

    started = time.monotonic()
    asyncio.run(scenario())
    arrivals = [r.at for r in stub.requests if r.path == "/api/v3/ticker/24hr"]
    gaps = [round(b - a, 3) for a, b in itertools.pairwise(arrivals)]
    print(f"gaps between ticker requests after a 429 (Retry-After 1): {gaps}")
    assert stub.requests[0].fault == "rate_limit"
    assert gaps[0] >= 0.95  # honoured Retry-After
    assert all(gap >= 0.1 for gap in gaps[1:])  # still spaced while the delay decays
    assert gate.rate_limit_answers == 1
    assert time.monotonic() - started < 10


def test_a_rate_limited_create_is_reported_not_retried(
    stub: BinanceStub, clock: ManualClock
) -> None:
    stub.inject("rate_limit", "POST /api/v3/order", status=418, retry_after=0)

    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            with pytest.raises(RateLimited):
                await exchange.create_order(PAIR, "buy", "market", Decimal("0.01"), None, "r1")

    asyncio.run(scenario())
    assert stub.count(ORDER, "POST") == 1
