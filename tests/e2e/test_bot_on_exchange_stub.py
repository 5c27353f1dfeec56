"""End to end through real ccxt: a whole bot trading against the local Binance stub.

Dry-run must never make a private call; live mode must leave the stub's orders and the bot's
database in agreement, order by order, fill by fill.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.botconfig import REPO, bot_config, loaded
from tests.consistency import check_database
from tests.stubs.binance_stub import BinanceStub
from tests.stubs.ccxt_harness import STUB_START, data_dir
from tradewind.app import Application, build
from tradewind.domain.clock import ManualClock
from tradewind.domain.timeframes import timeframe_to_prev_date
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


def _config(tmp_path: Path, stub: BinanceStub, *, dry_run: bool) -> dict:
    return bot_config(
        tmp_path,
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
