"""Dry-run: live public data, paper fills, and not one private call."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

from tests.stubs.binance_stub import BinanceStub
from tests.stubs.ccxt_harness import open_adapter
from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import OrderStatus
from tradewind.domain.money import to_decimal

PAIR = "ETH/BTC"


def test_dry_run_fills_through_the_paper_broker_without_private_calls(
    stub: BinanceStub, clock: ManualClock
) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=True) as exchange:
            assert exchange.dry_run
            ticker = await exchange.fetch_ticker(PAIR)
            bought = await exchange.create_order(PAIR, "buy", "market", Decimal("0.05"), None, "m")
            assert bought.status == OrderStatus.CLOSED and bought.order_id.startswith("paper-")
            price = to_decimal(ticker.bid) * Decimal("0.997")
            resting = await exchange.create_order(PAIR, "buy", "limit", Decimal("0.05"), price, "l")
            update = resting
            for _ in range(288):
                clock.advance(timedelta(minutes=5))
                stub.set_time(clock.now())
                update = await exchange.fetch_order(resting.order_id, PAIR)
                if update.status == OrderStatus.CLOSED:
                    break
            assert update.status == OrderStatus.CLOSED and update.average == resting.price
            candles = await exchange.fetch_ohlcv(PAIR, "1m", since=resting.timestamp)
            assert candles["low"].min() < float(price)
            found = await exchange.fetch_order_by_client_id("l", PAIR)
            assert found is not None and found.order_id == resting.order_id
            await exchange.fetch_order_book(PAIR)
            balances = await exchange.fetch_balance()
            assert balances["ETH"].free == Decimal("0.10")
            cancelled = await exchange.create_order(PAIR, "sell", "limit", Decimal("0.05"),
                                                    price * 2, "s")  # fmt: skip
            assert (await exchange.cancel_order(cancelled.order_id, PAIR)).status == "canceled"

    asyncio.run(scenario())
    assert stub.private_calls == []
    assert stub.orders() == []
    assert all(record.known for record in stub.requests)


def test_dry_run_leaves_credentials_out_of_the_ccxt_client(
    stub: BinanceStub, clock: ManualClock
) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=True) as exchange:
            client = exchange._client  # the guarantee lives in the client's own state
            assert not client.apiKey and not client.secret

    asyncio.run(scenario())
