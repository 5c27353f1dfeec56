"""Stoploss on the exchange: the stop order's life beside a trade, on a paper exchange."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from tests.unit.engine.stoploss_harness import bot, market, move, new_database
from tradewind.domain.enums import ExitType, OrderStatus
from tradewind.domain.order import STOPLOSS
from tradewind.domain.trade import Trade
from tradewind.engine.exit_rules import ExitCheck, ExitRules
from tradewind.engine.stoploss_orders import StoplossOrderSettings
from tradewind.exchange.port import STOP_LOSS_LIMIT
from tradewind.services.trade_views import raw_trade

T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def stops(trade: Trade) -> list[Any]:
    return [o for o in trade.orders if o.ft_order_side == STOPLOSS]


def test_settings_come_from_order_types_with_freqtrade_defaults() -> None:
    settings = StoplossOrderSettings.from_order_types(
        {"stoploss_on_exchange": True, "stoploss_on_exchange_interval": None}
    )
    assert settings.on_exchange and settings.interval.total_seconds() == 60
    assert settings.limit_ratio == Decimal("0.99")
    custom = StoplossOrderSettings.from_order_types(
        {"stoploss_on_exchange_interval": 5, "stoploss_on_exchange_limit_ratio": 0.95}
    )
    assert not custom.on_exchange and custom.limit_ratio == Decimal("0.95")


def test_the_stop_is_placed_once_the_entry_has_filled_for_the_whole_amount() -> None:
    exchange, clock = market()
    b = bot(exchange, clock, new_database())

    async def scenario() -> Trade:
        trade = await b.enter("limit", "99")  # rests below the market
        await b.tick(30)
        assert stops(trade) == [], "no stop while the entry is still open"
        move(exchange, clock, low=98.5, high=100.0, last=99.5)
        await b.tick()
        return trade

    trade = run(scenario())
    (stop,) = stops(trade)
    assert trade.amount == Decimal(1) and stop.ft_amount == trade.amount
    assert stop.order_type == STOP_LOSS_LIMIT and stop.side == "sell" and stop.is_placed
    assert stop.ft_price == Decimal("94.05")  # 99 × 0.95, the trade's stop
    assert stop.price == Decimal("93.11")  # × stoploss_on_exchange_limit_ratio 0.99
    assert stop.ft_order_tag == "stoploss_on_exchange"
    view = raw_trade(trade)
    assert view["has_open_orders"] is False
    assert view["stoploss_last_update_timestamp"] == int(stop.order_date.timestamp() * 1000)
    assert [o["ft_order_side"] for o in view["orders"]] == ["buy", "stoploss"]


def test_the_stop_follows_a_trailing_move_at_most_once_per_interval() -> None:
    exchange, clock = market()
    rules = ExitRules(stoploss=-0.05, trailing_stop=True)
    b = bot(exchange, clock, new_database(), rules)

    async def scenario() -> Trade:
        trade = await b.enter()
        await b.tick()
        first = stops(trade)[0]
        move(exchange, clock, low=100.0, high=110.2, last=110.1)  # 30 s later
        await b.tick()
        assert stops(trade) == [first], "replaced before the interval passed"
        move(exchange, clock, low=109.5, high=110.2, last=110.1)  # 60 s after the first
        await b.tick()
        assert first.status == OrderStatus.CANCELED and first.ft_cancel_reason == "stoploss moved"
        move(exchange, clock, low=109.5, high=110.2, last=110.105, seconds=120)
        await b.tick()  # the stop rose by less than a tick: left alone
        return trade

    trade = run(scenario())
    _, second = stops(trade)
    assert second.ft_is_open and second.ft_price == Decimal("104.5")  # 110 × 0.95
    assert [o.ft_is_open for o in trade.orders].count(True) == 1
    assert b.events == [e for e in b.events if e.kind in ("entry", "entry_fill")]


def test_a_roi_exit_cancels_the_stop_before_it_sells() -> None:
    exchange, clock = market()
    b = bot(exchange, clock, new_database(), ExitRules(minimal_roi=((0, 0.02),), stoploss=-0.05))

    async def scenario() -> Trade:
        trade = await b.enter()
        await b.tick()
        move(exchange, clock, low=100.0, high=105.2, last=105.0)
        await b.tick()
        return trade

    trade = run(scenario())
    stop, sell = stops(trade)[0], trade.orders[-1]
    assert stop.status == OrderStatus.CANCELED and stop.filled == 0
    assert stop.ft_cancel_reason == "replaced by an exit"
    assert sell.ft_order_side == "sell" and sell.status == OrderStatus.CLOSED
    assert not trade.is_open and trade.exit_reason == ExitType.ROI.value
    assert "exit_cancel" not in [e.kind for e in b.events]


def test_a_stop_filled_on_the_exchange_closes_the_trade_as_stoploss_on_exchange() -> None:
    exchange, clock = market()
    b = bot(exchange, clock, new_database())

    async def scenario() -> Trade:
        trade = await b.enter()
        await b.tick()
        move(exchange, clock, low=90.0, high=100.0, last=91.0, seconds=300)  # the crash
        await b.tick()
        return trade

    trade = run(scenario())
    assert not trade.is_open
    assert trade.exit_reason == "stoploss_on_exchange"
    (stop,) = stops(trade)
    assert stop.ft_price == Decimal("95.09")  # 100.1 × 0.95 on the 0.01 tick
    assert trade.close_rate == stop.ft_price  # sold at the stop, above its limit
    assert [o.ft_order_side for o in trade.orders] == ["buy", "stoploss"]  # no second exit
    (fill,) = [e for e in b.events if e.kind == "exit_fill"]
    assert fill.order is not None and fill.order.ft_order_side == STOPLOSS


def test_an_exit_that_finds_the_stop_already_filled_places_nothing() -> None:
    exchange, clock = market()
    b = bot(exchange, clock, new_database())

    async def scenario() -> tuple[Trade, bool]:
        trade = await b.enter()
        await b.tick()
        move(exchange, clock, low=90.0, high=100.0, last=91.0)
        check = ExitCheck(ExitType.FORCE_EXIT, ExitType.FORCE_EXIT.value)
        placed = await b.exits.exit(trade, check, rate=90.9, now=clock.now())
        return trade, placed

    trade, placed = run(scenario())
    assert not placed
    assert not trade.is_open and trade.exit_reason == "stoploss_on_exchange"
    assert [o.ft_order_side for o in trade.orders] == ["buy", "stoploss"]


def test_a_stop_whose_answer_was_lost_is_found_by_its_client_id_after_a_restart() -> None:
    exchange, clock = market()
    database = new_database()
    first = bot(exchange, clock, database)

    async def before_the_kill() -> None:
        await first.enter()
        exchange.lose_next_ack = True
        await first.tick()
        (trade,) = first.trades()
        (stop,) = stops(trade)
        assert stop.ft_is_open and not stop.is_placed  # committed, sent, never acknowledged
        assert first.exits.stops.guards(trade)  # so the bot's own stoploss stands aside

    run(before_the_kill())
    first.session.close()
    restarted = bot(exchange, clock, database)

    async def after_the_restart() -> Trade:
        await restarted.tick(30)
        move(exchange, clock, low=90.0, high=100.0, last=91.0)
        await restarted.tick()
        return restarted.session.get(Trade, 1) or pytest.fail("trade gone")

    trade = run(after_the_restart())
    assert exchange.stop_calls == 1, "the stop was placed twice"
    (stop,) = stops(trade)
    assert stop.is_placed and stop.status == OrderStatus.CLOSED
    assert not trade.is_open and trade.exit_reason == "stoploss_on_exchange"


def test_a_dry_run_restart_adopts_the_stop_and_books_a_crash_that_happened_meanwhile() -> None:
    exchange, clock = market()
    database = new_database()
    first = bot(exchange, clock, database)
    run(first.enter())
    run(first.tick())
    first.session.close()
    move(exchange, clock, low=90.0, high=100.0, last=91.0, seconds=600)  # while down
    fresh, _ = market(clock)  # a new process: an empty paper broker on the same market
    fresh.feed.tape[:] = exchange.feed.tape
    fresh.feed.bid, fresh.feed.ask = exchange.feed.bid, exchange.feed.ask
    restarted = bot(fresh, clock, database)
    fresh.adopt_open_orders([o for t in restarted.trades() for o in t.open_orders if o.is_placed])
    run(restarted.tick())
    trade = restarted.session.get(Trade, 1)
    assert trade is not None and not trade.is_open
    assert trade.exit_reason == "stoploss_on_exchange"


def test_a_refused_stop_leaves_the_stoploss_to_the_bot_and_is_retried_after_the_interval() -> None:
    exchange, clock = market()
    exchange.refuse_stops = True
    b = bot(exchange, clock, new_database())

    async def scenario() -> Trade:
        trade = await b.enter()
        await b.tick()
        await b.tick(30)
        assert exchange.stop_calls == 1  # not again within the interval
        await b.tick(30)
        assert exchange.stop_calls == 2
        move(exchange, clock, low=93.0, high=100.0, last=94.0)
        await b.tick()
        return trade

    trade = run(scenario())
    assert all(o.status == OrderStatus.CANCELED and not o.is_placed for o in stops(trade))
    assert not trade.is_open and trade.exit_reason == ExitType.STOP_LOSS.value
    assert [o.ft_order_side for o in trade.orders].count("sell") == 1


def test_stops_are_exempt_from_the_exit_timeout() -> None:
    exchange, clock = market()
    b = bot(exchange, clock, new_database())

    async def scenario() -> Trade:
        trade = await b.enter()
        await b.tick()
        for _ in range(4):
            await b.tick(300)  # 20 minutes, unfilledtimeout.exit is 10
        return trade

    (stop,) = stops(run(scenario()))
    assert stop.ft_is_open


def test_an_exchange_without_stop_orders_warns_once_and_the_bot_keeps_the_stoploss(
    caplog: pytest.LogCaptureFixture,
) -> None:
    exchange, clock = market(supports=False)
    b = bot(exchange, clock, new_database())
    with caplog.at_level(logging.WARNING):
        b.exits.stops.announce()
        b.exits.stops.announce()
    warnings = [r.getMessage() for r in caplog.records if "stoploss_on_exchange" in r.getMessage()]
    assert warnings == [
        "stoploss_on_exchange is not supported by paper; the bot manages the stoploss"
    ]

    async def scenario() -> Trade:
        trade = await b.enter()
        await b.tick()
        move(exchange, clock, low=93.0, high=100.0, last=94.0)
        await b.tick()
        return trade

    trade = run(scenario())
    assert exchange.stop_calls == 0 and stops(trade) == []
    assert not trade.is_open and trade.exit_reason == ExitType.STOP_LOSS.value


def test_without_stoploss_on_exchange_nothing_changes() -> None:
    exchange, clock = market()
    b = bot(exchange, clock, new_database(), stoploss_on_exchange=False)
    b.exits.stops.announce()
    run(b.enter())
    run(b.tick())
    assert exchange.stop_calls == 0
