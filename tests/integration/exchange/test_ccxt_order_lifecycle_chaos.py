"""The engine's OrderManager trading live through the ccxt adapter against a faulty exchange.

About 20% of all requests fail (5xx, timeouts, late answers to processed requests, 429s) and
some fills come in parts, over a few hundred operations. Afterwards every order the stub holds
must be one the engine intended (no duplicates), known to the database with the same fills and
fees (no lost orders), and every order the database calls "never placed" must be absent.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.stubs.binance_stub import BinanceStub, Fault
from tests.stubs.ccxt_harness import open_adapter
from tradewind.domain.clock import ManualClock
from tradewind.domain.events import EventBus
from tradewind.domain.money import to_decimal
from tradewind.domain.order import Order, OrderUpdate
from tradewind.domain.trade import Trade
from tradewind.engine.order_manager import EntryRequest, OrderManager, Timeouts
from tradewind.exchange.ccxt import CcxtExchange, RateGate, RetryPolicy
from tradewind.persistence.database import Database

PAIRS = ("ETH/BTC", "LTC/BTC", "XMR/BTC", "DASH/BTC")
OPERATIONS = 300
FAULT_RATE = 0.2
CLIENT_TIMEOUT_MS = 300
FAULTS = [Fault("error5xx"), Fault("timeout", delay=0.5), Fault("late_response", delay=0.5),
          Fault("rate_limit", retry_after=0), Fault("partial_fill", share=0.5)]  # fmt: skip


class NoCallbacks:
    def order_filled(self, trade: Trade, order: Order, now: datetime) -> None:
        pass

    def check_entry_timeout(self, trade: Trade, order: Order, now: datetime) -> bool:
        return False

    def check_exit_timeout(self, trade: Trade, order: Order, now: datetime) -> bool:
        return False


class RecordingExchange:
    """The adapter, noting every client id the engine tried to place."""

    def __init__(self, inner: CcxtExchange) -> None:
        self.inner = inner
        self.intended: list[str] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def create_order(
        self,
        pair: str,
        side: str,
        order_type: str,
        amount: Decimal,
        price: Decimal | None,
        client_order_id: str,
    ) -> OrderUpdate:
        self.intended.append(client_order_id)
        return await self.inner.create_order(pair, side, order_type, amount, price,
                                             client_order_id)  # fmt: skip


@dataclass
class Run:
    stub: BinanceStub
    clock: ManualClock
    manager: OrderManager
    session: Session
    rng: random.Random
    trades: list[Trade] = field(default_factory=list)
    actions: Counter[str] = field(default_factory=Counter)

    def live_trades(self) -> list[Trade]:
        self.trades = [t for t in self.trades if t in self.session and t.is_open]
        return self.trades

    def advance(self, minutes: float) -> None:
        self.clock.advance(timedelta(minutes=minutes))
        self.stub.set_time(self.clock.now())


async def _enter(run: Run, exchange: CcxtExchange) -> None:
    pair = run.rng.choice(PAIRS)
    ticker = await exchange.fetch_ticker(pair)
    market = exchange.markets[pair]
    assert market.min_cost is not None
    market_order = run.rng.random() < 0.4
    rate = to_decimal(ticker.ask) if market_order else to_decimal(ticker.bid * 0.999)
    amount = market.min_cost * run.rng.randint(3, 8) / rate
    request = EntryRequest(pair=pair, amount=amount, rate=rate,
                           order_type="market" if market_order else "limit", enter_tag="chaos",
                           stake_currency="BTC", base_currency=pair.split("/")[0],
                           fee_rate=exchange.fee_rate(pair))  # fmt: skip
    trade = await run.manager.open_trade(request, run.clock.now())
    if trade is not None:
        run.trades.append(trade)


async def _exit(run: Run, exchange: CcxtExchange) -> None:
    ready = [t for t in run.live_trades() if t.amount > 0 and not t.open_orders]
    if not ready:
        return
    trade = run.rng.choice(ready)
    ticker = await exchange.fetch_ticker(trade.pair)
    market_order = run.rng.random() < 0.5
    rate = to_decimal(ticker.bid) if market_order else to_decimal(ticker.ask * 1.001)
    await run.manager.place_exit(trade, amount=trade.amount, rate=rate,
                                 order_type="market" if market_order else "limit",
                                 reason="exit_signal", now=run.clock.now())  # fmt: skip


async def _cancel(run: Run) -> None:
    candidates = [(t, o) for t in run.live_trades() for o in t.open_orders]
    if candidates:
        trade, order = run.rng.choice(candidates)
        await run.manager.cancel(trade, order, "chaos cancel", run.clock.now())


async def _step(run: Run, exchange: CcxtExchange) -> None:
    roll = run.rng.random()
    action = ("enter" if roll < 0.3 else "exit" if roll < 0.5 else "cancel" if roll < 0.6
              else "advance" if roll < 0.8 else "sync")  # fmt: skip
    run.actions[action] += 1
    try:
        if action == "enter":
            await _enter(run, exchange)
        elif action == "exit":
            await _exit(run, exchange)
        elif action == "cancel":
            await _cancel(run)
        elif action == "advance":
            run.advance(run.rng.uniform(0.5, 5))
        else:
            await run.manager.sync(run.live_trades(), run.clock.now())
    except Exception as exc:
        run.actions[f"error:{type(exc).__name__}"] += 1


async def _settle(run: Run) -> None:
    """Without faults: resolve unknown orders, cancel what rests, sync until all is final."""
    run.stub.clear_faults()
    for _ in range(5):
        run.advance(1)
        await run.manager.sync(run.live_trades(), run.clock.now())
    for trade in run.live_trades():
        for order in list(trade.open_orders):
            await run.manager.cancel(trade, order, "settle", run.clock.now())
    await run.manager.sync(run.live_trades(), run.clock.now())


@pytest.mark.slow
def test_no_duplicate_and_no_lost_order_under_injected_faults(
    stub: BinanceStub, clock: ManualClock
) -> None:
    stub.set_balances({"BTC": 100})
    database = Database("sqlite://")
    database.migrate()
    session = database.new_session()

    async def scenario() -> list[str]:
        async with open_adapter(
            stub, clock, dry_run=False, timeout_ms=CLIENT_TIMEOUT_MS, rate_limit=False,
            retry=RetryPolicy(attempts=3, base_delay=0.02, max_delay=0.1),
            gate=RateGate(initial=0.02, maximum=0.2),
        ) as adapter:  # fmt: skip
            await adapter.load_markets()
            recording = RecordingExchange(adapter)
            manager = OrderManager(exchange=recording, session=session, events=EventBus(),
                                   clock=clock, callbacks=NoCallbacks(), timeouts=Timeouts(),
                                   strategy_name="Chaos", timeframe_minutes=5)  # fmt: skip
            run = Run(stub, clock, manager, session, random.Random(7))
            stub.random_faults(FAULT_RATE, FAULTS, seed=11)
            for _ in range(OPERATIONS):
                await _step(run, adapter)
            await _settle(run)
            print(dict(run.actions))
            return recording.intended

    intended = asyncio.run(scenario())
    faults = Counter(r.fault for r in stub.requests if r.fault)
    print(f"{len(stub.requests)} requests, faults injected: {dict(faults)}")
    assert sum(faults.values()) > 50  # the run really was faulty
    _check_books_agree(stub, session, intended)


def _check_books_agree(stub: BinanceStub, session: Session, intended: list[str]) -> None:
    on_stub = stub.orders()
    client_ids = [order.client_order_id for order in on_stub]
    assert len(client_ids) == len(set(client_ids)), "an order was placed twice"
    assert set(client_ids) <= set(intended), "the stub holds an order the engine never sent"
    assert all(not order.is_open for order in on_stub), "an order was lost (still resting)"
    booked = {order.client_order_id: order for order in session.scalars(select(Order))}
    for stub_order in on_stub:
        mine = booked.get(stub_order.client_order_id)
        if mine is None:  # only an entry that never filled may go (its trade was removed)
            assert stub_order.executed == 0, f"lost fills of {stub_order.client_order_id}"
            continue
        assert mine.order_id == str(stub_order.order_id)
        assert mine.filled == stub_order.executed
        assert mine.cost == stub_order.quote
        assert mine.fee_cost == stub_order.fee
        assert not mine.ft_is_open
    placed = {order.client_order_id for order in on_stub}
    for order in booked.values():
        if order.order_id is None:
            assert order.client_order_id not in placed, "a placed order was booked as never sent"
    assert len(on_stub) > 40 and any(order.executed > 0 for order in on_stub)
