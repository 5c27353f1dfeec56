"""End to end through real ccxt: a whole bot trading against the local Binance stub.

Dry-run must never make a private call; live mode must leave the stub's orders and the bot's
database in agreement, order by order, fill by fill. With `stoploss_on_exchange`, a crash
between two ticks is sold by the stop orders resting on the exchange, not by the bot.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pytest

from tests.botconfig import REPO, bot_config, loaded
from tests.consistency import check_database
from tests.stubs.binance_stub import BinanceStub
from tests.stubs.ccxt_harness import STUB_START, data_dir
from tradewind.app import Application, build
from tradewind.domain.clock import ManualClock
from tradewind.domain.order import STOPLOSS
from tradewind.domain.timeframes import timeframe_to_prev_date
from tradewind.domain.trade import Trade
from tradewind.engine.wallet import ledger_balance
from tradewind.persistence.repositories import TradeRepository

PAIRS = ["ETH/BTC", "LTC/BTC", "XMR/BTC", "ZEC/BTC", "DASH/BTC"]
START = timeframe_to_prev_date("5m", STUB_START)
TICKS = 60
STARTUP_CANDLES = 1200  # more than Binance's 1000 per request: the first fill paginates


@pytest.fixture
def stub() -> Iterator[BinanceStub]:
    with BinanceStub(data_dir(), START, balances={"BTC": Decimal(1)}) as running:
        yield running


def _config(tmp_path: Path, stub: BinanceStub, *, dry_run: bool, **extra: object) -> dict:
    return bot_config(
        tmp_path,
        **extra,
        dry_run=dry_run,
        strategy="ChurnStrategy",
        strategy_path=str(REPO / "tests" / "fixtures" / "strategies"),
        startup_candle_count=STARTUP_CANDLES,
        stake_amount=0.02,
        max_open_trades=4,
        exit_pricing={"price_side": "other"},
        exchange={
            "name": "binance",
            "key": "stub-key",
            "secret": "stub-secret",
            "pair_whitelist": PAIRS,
            "ccxt_config": stub.ccxt_config(timeout=5000, enableRateLimit=False),
        },
    )


async def _trade(app: Application, stub: BinanceStub, clock: ManualClock, ticks: int) -> None:
    await app.engine.start_up()
    for _ in range(ticks):
        clock.advance(timedelta(minutes=5))
        stub.set_time(clock.now())
        await app.engine.tick()


def _run(tmp_path: Path, stub: BinanceStub, *, dry_run: bool) -> Application:
    clock = ManualClock(START)
    app = build(loaded(_config(tmp_path, stub, dry_run=dry_run)), clock=clock)

    async def scenario() -> None:
        try:
            await _trade(app, stub, clock, TICKS)
            await app.engine.parts.wallet.refresh()  # the balances after the last tick's orders
        finally:
            await app.exchange.close()

    asyncio.run(scenario())
    return app


def test_dry_run_trades_on_live_prices_without_private_calls(
    tmp_path: Path, stub: BinanceStub
) -> None:
    app = _run(tmp_path, stub, dry_run=True)
    assert set(PAIRS) <= set(app.exchange.markets)
    frame = app.candles.get("ETH/BTC", "5m", "spot")
    assert frame is not None and len(frame) >= STARTUP_CANDLES
    assert stub.count("/api/v3/klines") >= 2 * len(PAIRS)  # first fill needed two pages each
    repo = TradeRepository(app.session)
    assert repo.closed_count() > 0
    assert stub.private_calls == [], [r.path for r in stub.private_calls]
    assert stub.orders() == []
    check_database(app.config.effective_db_url(), Decimal(1))


def test_live_orders_and_database_agree(tmp_path: Path, stub: BinanceStub) -> None:
    app = _run(tmp_path, stub, dry_run=False)
    repo = TradeRepository(app.session)
    trades = repo.open_trades() + repo.closed_page(10_000, 0)
    assert repo.closed_count() > 0
    _assert_books_agree(app, stub, trades)


def _assert_books_agree(app: Application, stub: BinanceStub, trades: list[Trade]) -> None:
    repo = TradeRepository(app.session)
    everything = repo.all_orders()
    assert len(everything) >= sum(len(t.orders) for t in trades)
    ours = {o.order_id: o for o in everything if o.order_id}
    theirs = {str(o.order_id): o for o in stub.orders()}
    assert set(ours) == set(theirs), "orders differ between the bot and the exchange"
    for order_id, order in ours.items():
        remote = theirs[order_id]
        assert order.client_order_id == remote.client_order_id
        assert order.filled == remote.executed, order_id
        assert order.ft_is_open == remote.is_open, order_id
    start = Decimal(1)
    assert stub.balances()["BTC"] == ledger_balance(start, everything)
    balances = app.engine.parts.wallet.balances()
    assert balances["BTC"].total == stub.balances()["BTC"]


STOP_TYPES = {"entry": "limit", "exit": "market", "stoploss": "limit",
              "stoploss_on_exchange": True, "stoploss_on_exchange_interval": 60}  # fmt: skip


def _guarded(app: Application) -> list[Trade]:
    """Open trades whose stop order the exchange has acknowledged."""
    return [t for t in app.engine.open_trades
            if any(o.ft_order_side == STOPLOSS and o.ft_is_open and o.is_placed
                   for o in t.orders)]  # fmt: skip


@pytest.mark.parametrize("dry_run", [False, True], ids=["live", "dry_run"])
def test_a_crash_between_ticks_is_sold_by_the_stops_on_the_exchange(
    tmp_path: Path, stub: BinanceStub, dry_run: bool
) -> None:
    clock = ManualClock(START)
    config = _config(tmp_path, stub, dry_run=dry_run, stoploss=-0.03, order_types=STOP_TYPES)
    app = build(loaded(config), clock=clock)

    async def scenario() -> list[Trade]:
        try:
            await app.engine.start_up()
            for _ in range(30):
                await _trade_ticks(app, stub, clock, 1)
                if guarded := _guarded(app):
                    break
            assert guarded, "no trade got its stop order"
            for trade in guarded:  # from the next candle on, 15% lower
                stub.crash(trade.pair, clock.now() + timedelta(minutes=5), 0.85)
            clock.advance(timedelta(minutes=10))
            stub.set_time(clock.now())  # the exchange trades through it; the bot sleeps
            if not dry_run:
                stops = [o for t in guarded for o in t.orders if o.ft_order_side == STOPLOSS]
                on_stub = {str(o.order_id): o for o in stub.orders()}
                assert all(on_stub[o.order_id or ""].status == "FILLED" for o in stops)
            await app.engine.tick()
            await _trade_ticks(app, stub, clock, 12)
            await app.engine.parts.wallet.refresh()
            return guarded
        finally:
            await app.exchange.close()

    guarded = asyncio.run(scenario())
    for trade in guarded:
        app.session.refresh(trade)
        assert not trade.is_open and trade.exit_reason == "stoploss_on_exchange"
        (stop,) = [o for o in trade.orders if o.filled and o.ft_order_side == STOPLOSS]
        assert trade.close_rate == stop.ft_price  # sold where the market passed the stop
    repo = TradeRepository(app.session)
    trades = repo.open_trades() + repo.closed_page(10_000, 0)
    _assert_one_live_stop_at_a_time(trades)
    check_database(app.config.effective_db_url(), Decimal(1))
    if dry_run:
        assert stub.private_calls == [] and stub.orders() == []
    else:
        kinds = {o.type for o in stub.orders()}
        assert "STOP_LOSS_LIMIT" in kinds
        _assert_books_agree(app, stub, trades)


async def _trade_ticks(app: Application, stub: BinanceStub, clock: ManualClock, n: int) -> None:
    for _ in range(n):
        clock.advance(timedelta(minutes=5))
        stub.set_time(clock.now())
        await app.engine.tick()


def _assert_one_live_stop_at_a_time(trades: list[Trade]) -> None:
    for trade in trades:
        stops = sorted((o for o in trade.orders if o.ft_order_side == STOPLOSS),
                       key=lambda o: o.order_date)  # fmt: skip
        for before, after in pairwise(stops):
            assert not before.ft_is_open
            assert (before.order_update_date or before.order_date) <= after.order_date
