"""Stop-limit sells through real ccxt against the Binance stub, live and in dry-run."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from decimal import Decimal

import pytest

from tests.stubs.binance_stub import BinanceStub
from tests.stubs.ccxt_harness import open_adapter
from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import OrderStatus
from tradewind.domain.money import to_decimal
from tradewind.errors import OrderRejected

ORDER = "/api/v3/order"
PAIR = "ETH/BTC"
AMOUNT = Decimal("0.5")


def advance(stub: BinanceStub, clock: ManualClock, minutes: int) -> None:
    clock.advance(timedelta(minutes=minutes))
    stub.set_time(clock.now())


def _next_candle(clock: ManualClock) -> int:
    """The stub time (ms) of the next 5m boundary: where a crash may begin."""
    now_ms = int(clock.now().timestamp() * 1000)
    return (now_ms // 300_000 + 1) * 300_000


def test_a_live_stop_rests_untriggered_then_sells_at_its_stop_in_a_crash(
    stub: BinanceStub, clock: ManualClock
) -> None:
    stub.set_balances({"BTC": 10, "ETH": 5})

    async def scenario() -> tuple[Decimal, Decimal]:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            assert exchange.supports_stoploss_orders
            last = to_decimal((await exchange.fetch_ticker(PAIR)).last)
            stop, limit = last * Decimal("0.95"), last * Decimal("0.94")
            placed = await exchange.create_stoploss_order(PAIR, AMOUNT, stop, limit, "tw-stop-1")
            assert placed.status == OrderStatus.OPEN and placed.filled == 0
            assert placed.client_order_id == "tw-stop-1"
            advance(stub, clock, 10)  # an ordinary market: the stop stays put
            assert (await exchange.fetch_order(placed.order_id, PAIR)).filled == 0
            stub.crash(PAIR, _next_candle(clock), 0.8)
            advance(stub, clock, 10)
            found = await exchange.fetch_order_by_client_id("tw-stop-1", PAIR)
            assert found is not None and found.status == OrderStatus.CLOSED
            assert found.filled == AMOUNT and found.fee_cost == found.cost * Decimal("0.001")
            assert found.average is not None
            return found.average, to_decimal(stub.orders()[0].stop_price or 0)

    average, stop_on_stub = asyncio.run(scenario())
    (post,) = [r for r in stub.requests if r.path == ORDER and r.method == "POST"]
    assert post.params["type"] == "STOP_LOSS_LIMIT"
    assert post.params["timeInForce"] == "GTC" and post.params["side"] == "SELL"
    assert Decimal(post.params["stopPrice"]) > Decimal(post.params["price"])
    assert average == stop_on_stub  # the market passed the stop: sold there, above the limit
    (order,) = stub.orders()
    assert order.type == "STOP_LOSS_LIMIT" and order.status == "FILLED"


def test_a_live_stop_the_price_already_reached_is_refused(
    stub: BinanceStub, clock: ManualClock
) -> None:
    stub.set_balances({"BTC": 10, "ETH": 5})

    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=False) as exchange:
            last = to_decimal((await exchange.fetch_ticker(PAIR)).last)
            with pytest.raises(OrderRejected, match="trigger immediately"):
                await exchange.create_stoploss_order(
                    PAIR, AMOUNT, last * Decimal("1.01"), last, "tw-stop-2"
                )
            placed = await exchange.create_stoploss_order(
                PAIR, AMOUNT, last * Decimal("0.9"), last * Decimal("0.89"), "tw-stop-3"
            )
            cancelled = await exchange.cancel_order(placed.order_id, PAIR)
            assert cancelled.status == OrderStatus.CANCELED and cancelled.filled == 0

    asyncio.run(scenario())
    assert [o.status for o in stub.orders()] == ["CANCELED"]


def test_a_dry_run_stop_triggers_on_the_same_crash_without_private_calls(
    stub: BinanceStub, clock: ManualClock
) -> None:
    async def scenario() -> None:
        async with open_adapter(
            stub, clock, dry_run=True, paper_balances={"BTC": Decimal(10), "ETH": Decimal(5)}
        ) as exchange:
            assert exchange.supports_stoploss_orders
            last = to_decimal((await exchange.fetch_ticker(PAIR)).last)
            stop, limit = last * Decimal("0.95"), last * Decimal("0.94")
            placed = await exchange.create_stoploss_order(PAIR, AMOUNT, stop, limit, "tw-stop-4")
            advance(stub, clock, 10)
            assert (await exchange.fetch_order(placed.order_id, PAIR)).filled == 0
            stub.crash(PAIR, _next_candle(clock), 0.8)
            advance(stub, clock, 10)
            filled = await exchange.fetch_order(placed.order_id, PAIR)
            assert filled.status == OrderStatus.CLOSED and filled.filled == AMOUNT
            assert filled.average is not None and limit <= filled.average <= stop

    asyncio.run(scenario())
    assert stub.private_calls == []
