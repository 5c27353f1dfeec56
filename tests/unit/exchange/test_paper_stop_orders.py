"""Stop-limit sells in the paper broker (dry-run and the simulated exchange) and the simulated
exchange's port: trigger at or below the stop, fill there, then behave like a limit sell."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.unit.exchange.test_paper_broker import MARKET, T0, candle, make, run
from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import OrderStatus
from tradewind.domain.money import round_price
from tradewind.domain.order import Order
from tradewind.errors import InsufficientFunds, OrderRejected
from tradewind.exchange.paper import PaperBroker
from tradewind.exchange.port import STOP_LOSS_LIMIT
from tradewind.exchange.simulated import SimulatedExchange

PAIR = "ETH/USDT"


def test_a_stop_rests_until_the_price_trades_at_its_stop_then_sells_there() -> None:
    broker, feed, clock = make()  # last price 100
    placed = run(broker.create_stoploss_order(PAIR, Decimal(1), Decimal(95), Decimal(94), "s"))
    assert placed.status == OrderStatus.OPEN and placed.price == Decimal(94)

    candle(feed, clock, low=95.01, high=101.0, volume=100)  # close, but not there
    assert run(broker.fetch_order(placed.order_id, PAIR)).filled == 0

    candle(feed, clock, low=95.0, high=99.0, volume=100)  # at the stop: it triggers
    filled = run(broker.fetch_order(placed.order_id, PAIR))
    assert filled.status == OrderStatus.CLOSED
    assert filled.average == Decimal(95)  # the market was at the stop, above the limit
    assert filled.fee_cost == Decimal(95) * Decimal("0.002")  # taker


def test_what_a_triggered_stop_cannot_sell_at_once_rests_as_a_limit_sell() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_stoploss_order(PAIR, Decimal(10), Decimal(95), Decimal(94), "s"))
    candle(feed, clock, low=93.0, high=99.0, volume=12)  # 25% of 12: 3 sold at the stop
    assert run(broker.fetch_order(placed.order_id, PAIR)).filled == Decimal(3)
    candle(feed, clock, low=92.0, high=94.0, volume=12)  # only touches the limit: nothing
    assert run(broker.fetch_order(placed.order_id, PAIR)).filled == Decimal(3)
    candle(feed, clock, low=93.0, high=94.5, volume=12)  # through the limit: maker fill at 94
    update = run(broker.fetch_order(placed.order_id, PAIR))
    assert update.filled == Decimal(6)
    assert update.cost == 3 * Decimal(95) + 3 * Decimal(94)


def test_a_gap_below_the_limit_triggers_the_stop_but_sells_only_at_the_limit() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_stoploss_order(PAIR, Decimal(1), Decimal(95), Decimal(94), "s"))
    candle(feed, clock, low=85.0, high=90.0, volume=100)
    assert run(broker.fetch_order(placed.order_id, PAIR)).filled == 0
    candle(feed, clock, low=90.0, high=94.2, volume=100)
    assert run(broker.fetch_order(placed.order_id, PAIR)).average == Decimal(94)


def test_stops_the_price_already_reached_or_malformed_are_refused() -> None:
    broker, _, _ = make()
    with pytest.raises(OrderRejected, match="would trigger immediately"):
        run(broker.create_stoploss_order(PAIR, Decimal(1), Decimal(100), Decimal(99), "a"))
    with pytest.raises(OrderRejected, match="limit <= stop"):
        run(broker.create_stoploss_order(PAIR, Decimal(1), Decimal(95), Decimal(96), "b"))
    with pytest.raises(OrderRejected, match="minimum cost"):
        run(broker.create_stoploss_order(PAIR, Decimal("0.05"), Decimal(95), Decimal(94), "c"))
    assert run(broker.open_orders()) == []


def test_a_stop_holds_the_coins_it_may_sell() -> None:
    broker, _, _ = make(balances={"USDT": Decimal(1000), "ETH": Decimal(2)})
    run(broker.create_stoploss_order(PAIR, Decimal("1.5"), Decimal(95), Decimal(94), "s"))
    assert broker.balances()["ETH"].used == Decimal("1.5")
    with pytest.raises(InsufficientFunds, match="ETH"):
        run(broker.create_order(PAIR, "sell", "market", Decimal(1), None, "exit"))


def test_a_cancelled_stop_never_triggers() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_stoploss_order(PAIR, Decimal(1), Decimal(95), Decimal(94), "s"))
    assert run(broker.cancel_order(placed.order_id, PAIR)).status == OrderStatus.CANCELED
    candle(feed, clock, low=80.0, high=99.0, volume=100)
    assert run(broker.fetch_order(placed.order_id, PAIR)).filled == 0


def test_an_adopted_stop_sells_on_a_crash_that_happened_while_the_bot_was_down() -> None:
    broker, feed, clock = make()
    placed = run(broker.create_stoploss_order(PAIR, Decimal(1), Decimal(95), Decimal(94), "s"))
    booked = Order(
        ft_pair=PAIR,
        ft_order_side="stoploss",
        side="sell",
        order_type=STOP_LOSS_LIMIT,
        ft_amount=Decimal(1),
        ft_price=Decimal(95),  # a stop order's own price is its stop
        client_order_id="s",
        order_date=T0,
    )
    booked.apply_update(placed, "ETH")
    candle(feed, clock, low=90.0, high=99.0, volume=100)  # while nobody watched

    restarted = PaperBroker(feed, clock, {PAIR: MARKET})
    restarted.adopt_open_orders([booked])
    after = run(restarted.fetch_order(placed.order_id, PAIR))
    assert after.status == OrderStatus.CLOSED and after.average == Decimal(95)


def test_the_simulated_exchange_runs_stop_orders_on_its_price_path() -> None:
    start = T0.replace(hour=0)
    clock = ManualClock(start)
    sim = SimulatedExchange(["ETH/BTC"], clock, start, seed=3)
    run(sim.load_markets())
    assert sim.supports_stoploss_orders
    last = Decimal(str(sim.ticker_now("ETH/BTC").last))
    stop = last * Decimal("0.999")
    placed = run(sim.create_stoploss_order("ETH/BTC", Decimal(5), stop, stop * Decimal("0.99"),
                                           "s"))  # fmt: skip
    assert placed.status == OrderStatus.OPEN
    for _ in range(288):  # a day of candles: the generated path dips 0.1% sooner or later
        clock.advance(timedelta(minutes=5))
        update = run(sim.fetch_order(placed.order_id, "ETH/BTC"))
        if update.filled:
            break
    assert update.filled > 0 and update.average is not None and placed.price is not None
    step = sim.markets["ETH/BTC"].price_step
    assert placed.price <= update.average <= round_price(stop, step)  # at the stop at best
