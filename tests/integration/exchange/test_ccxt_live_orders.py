"""Live mode against the Binance stub: client ids, rounding, fees, lookups, cancel, balances."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.stubs.binance_stub import BinanceStub
from tests.stubs.ccxt_harness import STUB_START, build_adapter, data_dir, open_adapter
from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import OrderStatus
from tradewind.domain.money import to_decimal
from tradewind.errors import (
    ConfigError,
    InsufficientFunds,
    OrderNotFound,
    OrderRejected,
)
from tradewind.exchange.ccxt import CcxtExchange, Credentials

ORDER = "/api/v3/order"
PAIR = "ETH/BTC"


def advance(stub: BinanceStub, clock: ManualClock, minutes: int) -> None:
    clock.advance(timedelta(minutes=minutes))
    stub.set_time(clock.now())


def test_orders_carry_our_client_id_and_rounded_sizes(
    stub: BinanceStub, clock: ManualClock
) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            ticker = await exchange.fetch_ticker(PAIR)
            price = to_decimal(ticker.bid) * Decimal("0.99") + Decimal("0.000000031")
            placed = await exchange.create_order(PAIR, "buy", "limit", Decimal("0.0123456"),
                                                 price, "tw-client-1")  # fmt: skip
            assert placed.client_order_id == "tw-client-1"
            assert placed.status == OrderStatus.OPEN
            assert placed.amount == Decimal("0.0123")
            assert (
                placed.price is not None
                and placed.price % stub.state.listings["ETHBTC"].rules.tick == 0
            )

    asyncio.run(scenario())
    (post,) = [r for r in stub.requests if r.path == ORDER and r.method == "POST"]
    assert post.params["newClientOrderId"] == "tw-client-1"
    assert post.params["quantity"] == "0.0123"
    (order,) = stub.orders()
    assert order.client_order_id == "tw-client-1"


def test_below_minimum_orders_never_reach_the_exchange(
    stub: BinanceStub, clock: ManualClock
) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            await exchange.fetch_ticker(PAIR)
            with pytest.raises(OrderRejected, match=r"ETH/BTC.*0\.0001.*minimum"):
                await exchange.create_order(PAIR, "buy", "market", Decimal("0.0001"), None, "t")
            with pytest.raises(OrderRejected, match=r"ETH/BTC.*minimum amount"):
                await exchange.create_order(PAIR, "buy", "limit", Decimal("0.00005"),
                                            Decimal("0.05"), "t2")  # fmt: skip

    asyncio.run(scenario())
    assert stub.private_calls == []


def test_a_resting_limit_order_fills_with_fees_read_from_its_trades(
    stub: BinanceStub, clock: ManualClock
) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            ticker = await exchange.fetch_ticker(PAIR)
            price = to_decimal(ticker.bid) * Decimal("0.998")
            placed = await exchange.create_order(PAIR, "buy", "limit", Decimal("0.05"), price, "l1")
            update = placed
            for _ in range(288):
                advance(stub, clock, 5)
                update = await exchange.fetch_order(placed.order_id, PAIR)
                if update.status == OrderStatus.CLOSED:
                    break
            assert update.status == OrderStatus.CLOSED
            assert update.average == placed.price
            assert update.fee_currency == "BTC"
            assert update.fee_cost == update.cost * Decimal("0.001")

    asyncio.run(scenario())
    assert stub.count("/api/v3/myTrades") == 1  # the fee of a filled order is looked up once


def test_partial_fills_show_up_until_the_order_completes(
    stub: BinanceStub, clock: ManualClock
) -> None:
    stub.inject("partial_fill", share=0.5)

    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            ticker = await exchange.fetch_ticker(PAIR)
            placed = await exchange.create_order(PAIR, "buy", "limit", Decimal("0.04"),
                                                 to_decimal(ticker.ask) * 2, "p1")  # fmt: skip
            assert placed.status == OrderStatus.OPEN and placed.filled == Decimal("0.02")
            assert placed.fee_cost == placed.cost * Decimal("0.001")

    asyncio.run(scenario())


def test_cancelling_a_filled_order_returns_it_closed(stub: BinanceStub, clock: ManualClock) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            filled = await exchange.create_order(PAIR, "buy", "market", Decimal("0.01"), None, "m1")
            final = await exchange.cancel_order(filled.order_id, PAIR)
            assert final.status == OrderStatus.CLOSED and final.filled == Decimal("0.01")
            with pytest.raises(OrderNotFound):
                await exchange.fetch_order("987654", PAIR)
            with pytest.raises(OrderNotFound):
                await exchange.cancel_order("987654", PAIR)

    asyncio.run(scenario())


def test_balances_and_insufficient_funds(stub: BinanceStub, clock: ManualClock) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            balances = await exchange.fetch_balance()
            assert balances["BTC"].free == Decimal(10) and balances["BTC"].used == 0
            with pytest.raises(InsufficientFunds):
                await exchange.create_order(PAIR, "buy", "market", Decimal(500), None, "big")
            await exchange.create_order(PAIR, "buy", "limit", Decimal(1), Decimal("0.05"), "rest")
            balances = await exchange.fetch_balance()
            assert balances["BTC"].used == Decimal("0.05") * Decimal("1.001")

    asyncio.run(scenario())


def test_live_mode_refuses_to_start_without_credentials(
    stub: BinanceStub, clock: ManualClock
) -> None:
    with pytest.raises(ConfigError, match=r"exchange.key .*exchange.secret"):
        CcxtExchange("binance", clock, dry_run=False, ccxt_config=stub.ccxt_config())
    with pytest.raises(ConfigError, match=r"exchange.secret") as caught:
        CcxtExchange("binance", clock, dry_run=False, credentials=Credentials(api_key="k"))
    assert "exchange.key" not in str(caught.value)
    with pytest.raises(ConfigError, match=r"exchange.password"):
        CcxtExchange("kucoin", clock, dry_run=False, credentials=Credentials("k", "s"))


def test_rejected_credentials_become_a_config_error(clock: ManualClock) -> None:
    with BinanceStub(data_dir(), STUB_START, api_key="the-real-key") as strict:

        async def scenario() -> None:
            exchange = build_adapter(strict, clock, dry_run=False)
            try:
                with pytest.raises(ConfigError, match="refused the API credentials"):
                    await exchange.fetch_balance()
            finally:
                await exchange.close()

        asyncio.run(scenario())
