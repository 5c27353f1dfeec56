"""The paper broker's fill model against a scripted price feed."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import OrderStatus
from tradewind.domain.order import Order
from tradewind.errors import InsufficientFunds, OrderNotFound, OrderRejected, PairNotTradable
from tradewind.exchange.paper import PaperBroker, TradingRange
from tradewind.exchange.port import Market, Ticker

T0 = datetime(2024, 1, 1, tzinfo=UTC)
FIVE = timedelta(minutes=5)
T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@dataclass
class Segment:
    start: datetime
    end: datetime
    low: float
    high: float
    volume: float


@dataclass
class FakeFeed:
    """Fixed bid/ask and a scripted tape of segments with their low, high and volume."""

    clock: ManualClock
    bid: float = 99.9
    ask: float = 100.1
    tape: list[Segment] = field(default_factory=list)

    async def ticker(self, pair: str) -> Ticker:
        mid = (self.bid + self.ask) / 2
        return Ticker(pair, self.bid, self.ask, mid, self.clock.now())

    async def trading_range(
        self, pair: str, since: datetime, until: datetime
    ) -> TradingRange | None:
        lows, highs, volume = [], [], 0.0
        for seg in self.tape:
            overlap = (min(until, seg.end) - max(since, seg.start)).total_seconds()
            if overlap > 0:
                lows.append(seg.low)
                highs.append(seg.high)
                volume += seg.volume * overlap / (seg.end - seg.start).total_seconds()
        return TradingRange(min(lows), max(highs), volume) if lows else None


MARKET = Market(
    symbol="ETH/USDT",
    base="ETH",
    quote="USDT",
    amount_step=Decimal("0.001"),
    price_step=Decimal("0.01"),
    min_amount=Decimal("0.01"),
    min_cost=Decimal(5),
    maker_fee=Decimal("0.001"),
    taker_fee=Decimal("0.002"),
)


def make(
    *, balances: dict[str, Decimal] | None = None, hour_volume: float = 0.0
) -> tuple[PaperBroker, FakeFeed, ManualClock]:
    clock = ManualClock(T0)
    feed = FakeFeed(clock)
    if hour_volume:
        feed.tape.append(Segment(T0 - timedelta(hours=1), T0, 99.0, 101.0, hour_volume))
    broker = PaperBroker(feed, clock, {"ETH/USDT": MARKET}, balances=balances)
    return broker, feed, clock


def candle(feed: FakeFeed, clock: ManualClock, low: float, high: float, volume: float) -> None:
    """The next 5 minutes trade between low and high; the clock moves to their end."""
    start = clock.now()
    feed.tape.append(Segment(start, start + FIVE, low, high, volume))
    clock.advance(FIVE)


def test_market_buy_fills_at_once_at_the_ask_with_taker_fee() -> None:
    broker, _, _ = make()
    update = run(broker.create_order("ETH/USDT", "buy", "market", Decimal(1), None, "c1"))
    assert update.status == OrderStatus.CLOSED
    assert update.filled == Decimal(1)
    assert update.average == Decimal("100.1")
    assert update.cost == Decimal("100.1")
    assert update.fee_cost == Decimal("100.1") * Decimal("0.002")
    assert update.fee_currency == "USDT"


def test_market_sell_fills_at_the_bid() -> None:
    broker, _, _ = make()
    update = run(broker.create_order("ETH/USDT", "sell", "market", Decimal(2), None, "c1"))
    assert update.average == Decimal("99.9")


def test_big_market_orders_walk_the_book_and_pay_slippage() -> None:
    broker, _, _ = make(hour_volume=1000.0)  # 10 ETH at the touch, 20 at the next level ...
    small = run(broker.create_order("ETH/USDT", "buy", "market", Decimal(1), None, "small"))
    big = run(broker.create_order("ETH/USDT", "buy", "market", Decimal(200), None, "big"))
    assert small.average == Decimal("100.1")
    # levels of 10, 20, 30, 40, 50 ETH each 0.05% dearer, then 50 of the sixth level's 60
    assert big.average == Decimal("100.2625")
    assert big.filled == Decimal(200)


def test_amounts_are_rounded_down_to_the_step() -> None:
    broker, _, _ = make()
    update = run(broker.create_order("ETH/USDT", "buy", "market", Decimal("0.123456"), None, "c"))
    assert update.amount == Decimal("0.123")


def test_below_minimum_amount_is_rejected_with_a_clear_message() -> None:
    broker, _, _ = make()
    with pytest.raises(OrderRejected, match=r"ETH/USDT: amount 0.005 is below the minimum amount"):
        run(broker.create_order("ETH/USDT", "buy", "market", Decimal("0.005"), None, "c"))


def test_below_minimum_cost_is_rejected_with_a_clear_message() -> None:
    broker, _, _ = make()
    with pytest.raises(OrderRejected, match=r"ETH/USDT: order cost .* below the minimum cost 5"):
        run(broker.create_order("ETH/USDT", "buy", "limit", Decimal("0.02"), Decimal(90), "c"))


def test_unknown_pairs_and_orders_raise() -> None:
    broker, _, _ = make()
    with pytest.raises(PairNotTradable):
        run(broker.create_order("NOPE/USDT", "buy", "market", Decimal(1), None, "c"))
    with pytest.raises(OrderNotFound):
        run(broker.fetch_order("missing", "ETH/USDT"))


def test_a_marketable_limit_buy_fills_at_once_at_the_touch_as_taker() -> None:
    broker, _, _ = make()
    update = run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(1), Decimal(105), "c"))
    assert update.status == OrderStatus.CLOSED
    assert update.average == Decimal("100.1")  # better than the limit
    assert update.fee_cost == update.cost * Decimal("0.002")


def test_a_resting_limit_buy_needs_the_price_to_trade_through_it() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(1), Decimal(99), "c"))
    assert placed.status == OrderStatus.OPEN

    candle(feed, clock, low=99.0, high=100.5, volume=100)  # touches 99: not enough
    assert run(broker.fetch_order(placed.order_id, "ETH/USDT")).filled == 0

    candle(feed, clock, low=98.5, high=99.8, volume=100)
    filled = run(broker.fetch_order(placed.order_id, "ETH/USDT"))
    assert filled.status == OrderStatus.CLOSED
    assert filled.average == Decimal(99)
    assert filled.fee_cost == Decimal(99) * Decimal("0.001")  # maker
    assert filled.fill_timestamp == clock.now()


def test_a_resting_limit_sell_fills_when_the_high_goes_above_it() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_order("ETH/USDT", "sell", "limit", Decimal(1), Decimal(101), "c"))
    candle(feed, clock, low=100.0, high=101.5, volume=100)
    assert run(broker.fetch_order(placed.order_id, "ETH/USDT")).status == OrderStatus.CLOSED


def test_big_limit_orders_fill_over_several_intervals() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(10), Decimal(99), "c"))
    fills = []
    for _ in range(4):
        candle(feed, clock, low=98.0, high=99.5, volume=12)  # 25% of 12 = 3 per candle
        fills.append(run(broker.fetch_order(placed.order_id, "ETH/USDT")).filled)
    assert fills == [Decimal(3), Decimal(6), Decimal(9), Decimal(10)]


def test_a_late_check_fills_what_traded_in_the_whole_interval() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(10), Decimal(99), "c"))
    candle(feed, clock, low=98.0, high=99.5, volume=12)
    candle(feed, clock, low=98.0, high=99.5, volume=12)
    assert run(broker.fetch_order(placed.order_id, "ETH/USDT")).filled == Decimal(6)


def test_cancel_applies_fills_up_to_now_then_returns_the_final_state() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(10), Decimal(99), "c"))
    candle(feed, clock, low=98.0, high=99.5, volume=8)
    final = run(broker.cancel_order(placed.order_id, "ETH/USDT"))
    assert final.status == OrderStatus.CANCELED
    assert final.filled == Decimal(2)
    assert final.remaining == Decimal(8)

    candle(feed, clock, low=90.0, high=99.5, volume=100)
    assert run(broker.fetch_order(placed.order_id, "ETH/USDT")).filled == Decimal(2)


def test_cancelling_a_filled_order_returns_it_closed() -> None:
    broker, _, _ = make()
    done = run(broker.create_order("ETH/USDT", "buy", "market", Decimal(1), None, "c"))
    assert run(broker.cancel_order(done.order_id, "ETH/USDT")).status == OrderStatus.CLOSED


def test_orders_are_found_by_client_id_and_ids_are_unique() -> None:
    broker, _, _ = make()
    first = run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(1), Decimal(90), "a"))
    second = run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(1), Decimal(90), "b"))
    assert first.order_id != second.order_id
    found = run(broker.fetch_order_by_client_id("b", "ETH/USDT"))
    assert found is not None and found.order_id == second.order_id
    assert run(broker.fetch_order_by_client_id("never", "ETH/USDT")) is None
    with pytest.raises(OrderRejected, match="duplicate client order id a"):
        run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(1), Decimal(90), "a"))


def test_adopted_orders_continue_from_their_last_update_after_a_restart() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(10), Decimal(99), "c"))
    candle(feed, clock, low=98.0, high=99.5, volume=12)
    seen = run(broker.fetch_order(placed.order_id, "ETH/USDT"))
    booked = Order(
        ft_pair="ETH/USDT",
        ft_order_side="buy",
        side="buy",
        order_type="limit",
        ft_amount=Decimal(10),
        ft_price=Decimal(99),
        client_order_id="c",
        order_date=T0,
    )
    booked.apply_update(seen, "ETH")

    candle(feed, clock, low=98.0, high=99.5, volume=12)  # traded while the bot was down
    restarted = PaperBroker(feed, clock, {"ETH/USDT": MARKET})
    restarted.adopt_open_orders([booked])

    after = run(restarted.fetch_order(placed.order_id, "ETH/USDT"))
    assert after.filled == Decimal(6)
    assert after.cost == Decimal(6) * Decimal(99)
    by_client = run(restarted.fetch_order_by_client_id("c", "ETH/USDT"))
    assert by_client is not None and by_client.order_id == placed.order_id


def test_orders_never_acknowledged_are_not_adopted() -> None:
    broker, _, _ = make()
    unplaced = Order(
        ft_pair="ETH/USDT",
        ft_order_side="buy",
        side="buy",
        order_type="limit",
        ft_amount=Decimal(1),
        ft_price=Decimal(99),
        client_order_id="x",
        order_date=T0,
    )
    broker.adopt_open_orders([unplaced])
    assert run(broker.fetch_order_by_client_id("x", "ETH/USDT")) is None


def test_balances_fund_orders_and_move_with_fills() -> None:
    broker, _, _ = make(balances={"USDT": Decimal(1000)})
    run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(5), Decimal(90), "rest"))
    balances = broker.balances()
    assert balances["USDT"].used == Decimal(450) * Decimal("1.001")

    run(broker.create_order("ETH/USDT", "buy", "market", Decimal(1), None, "m"))
    balances = broker.balances()
    assert balances["ETH"].free == Decimal(1)
    assert balances["USDT"].total == Decimal(1000) - Decimal("100.1") * Decimal("1.002")

    with pytest.raises(InsufficientFunds, match="USDT"):
        run(broker.create_order("ETH/USDT", "buy", "market", Decimal(9), None, "big"))
    with pytest.raises(InsufficientFunds, match="ETH"):
        run(broker.create_order("ETH/USDT", "sell", "market", Decimal(2), None, "oversell"))


def test_bad_order_kinds_are_rejected() -> None:
    broker, _, _ = make()
    with pytest.raises(OrderRejected, match="side"):
        run(broker.create_order("ETH/USDT", "hold", "market", Decimal(1), None, "a"))
    with pytest.raises(OrderRejected, match="order type"):
        run(broker.create_order("ETH/USDT", "buy", "stop", Decimal(1), None, "b"))
    with pytest.raises(OrderRejected, match="positive price"):
        run(broker.create_order("ETH/USDT", "buy", "limit", Decimal(1), None, "c"))
