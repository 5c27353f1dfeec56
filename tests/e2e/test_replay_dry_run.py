"""End to end: the ten pairs of the shared market data replayed through the simulated exchange
with the sample strategy, stepped candle by candle with a manual clock."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.botconfig import bot_config, loaded
from tradewind.app import Application, build
from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import BotState
from tradewind.engine.wallet import ledger_balance
from tradewind.persistence.repositories import TradeRepository

START = datetime(2018, 1, 15, tzinfo=UTC)
TICKS = 450  # 37.5 hours of 5m candles from Jan 15 2018: every exit type occurs
EXIT_SIGNAL_TAG = "rsi_overbought"  # SampleStrategy's exit_tag: becomes the exit reason


def _config(tmp_path: Path) -> dict:
    # warmup 1400 candles: the replay begins on the 15th, when the market turns wild
    return bot_config(
        tmp_path,
        exchange={"simulation": {"warmup_candles": 1400, "seed": 7}},
        max_open_trades=5,
        stake_amount=0.05,
    )


async def _run(app: Application, clock: ManualClock, ticks: int) -> None:
    for _ in range(ticks):
        clock.advance(timedelta(minutes=5))
        await app.engine.tick()


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Application:
    tmp_path = tmp_path_factory.mktemp("replay")
    clock = ManualClock(START)
    app = build(loaded(_config(tmp_path)), clock=clock)

    async def scenario() -> None:
        await app.engine.start_up()
        await _run(app, clock, TICKS)
        app.engine.pause()  # no new entries; then close everything that is open
        await app.engine.force_exit_all()
        for _ in range(20):
            if not app.engine.open_trades:
                break
            await _run(app, clock, 1)

    asyncio.run(scenario())
    return app


def _closed(app: Application) -> list:
    return TradeRepository(app.session).closed_page(10_000, 0)


def test_every_exit_type_occurs(replayed: Application) -> None:
    reasons = Counter(t.exit_reason for t in _closed(replayed))
    for reason in ("roi", "stop_loss", "trailing_stop_loss", EXIT_SIGNAL_TAG, "force_exit"):
        assert reasons[reason] > 0, f"no {reason} exit in {dict(reasons)}"
    assert not replayed.engine.open_trades


def test_exits_are_consistent_with_their_reason(replayed: Application) -> None:
    roi = replayed.settings.minimal_roi
    for trade in _closed(replayed):
        assert trade.close_date is not None and trade.close_date > trade.open_date
        if trade.exit_reason == "roi":
            minutes = (trade.close_date - trade.open_date).total_seconds() / 60
            threshold = max(ratio for m, ratio in roi if m <= minutes + 5)
            assert trade.close_profit > -0.005 and threshold is not None
        if trade.exit_reason == "stop_loss":
            assert trade.close_profit < 0
            assert float(trade.close_rate) <= trade.initial_stop_loss * 1.01
        if trade.exit_reason == "trailing_stop_loss":
            assert trade.is_stop_loss_trailing
            assert trade.stop_loss > trade.initial_stop_loss


def test_fees_are_charged_on_every_fill(replayed: Application) -> None:
    fee = Decimal("0.001")
    for trade in _closed(replayed):
        entries = [o for o in trade.orders if o.ft_order_side == "buy" and o.filled > 0]
        exits = [o for o in trade.orders if o.ft_order_side == "sell" and o.filled > 0]
        assert entries and exits
        assert trade.fee_open_cost == sum(o.cost for o in entries) * fee
        assert trade.fee_close_cost == sum(o.cost for o in exits) * fee
        gross = sum(o.cost for o in exits) - sum(o.cost for o in entries)
        assert trade.close_profit_abs == gross - trade.fee_open_cost - trade.fee_close_cost


def test_wallet_equals_start_plus_closed_profits_exactly(replayed: Application) -> None:
    closed = _closed(replayed)
    assert len(closed) >= 15
    total_profit = sum((t.close_profit_abs for t in closed), Decimal(0))
    start = Decimal(1)
    balances = replayed.engine.parts.wallet.balances()
    assert balances["BTC"].used == 0
    assert balances["BTC"].free == start + total_profit
    orders = [o for t in closed for o in t.orders]
    assert ledger_balance(start, orders) == start + total_profit
    for currency, balance in balances.items():
        if currency != "BTC":
            assert balance.total == 0, f"{currency} left over: {balance}"


def test_bot_state_after_pause_refuses_entries(replayed: Application) -> None:
    assert replayed.engine.state == BotState.PAUSED
