import asyncio
from datetime import timedelta

import pandas as pd
import pytest
from sqlalchemy import update

from tests.unit.services.builders import NOW, closed_trade, open_trade, reload_engine, store
from tests.unit.services.conftest import BotFactory
from tradewind.persistence.repositories import STATS_COLUMNS, TradeRepository
from tradewind.persistence.tables import trades
from tradewind.services.closed_trades import closed_frame, current_total_stake, starting_balance

DAY = timedelta(days=1)


def test_fast_stats_frame_reads_what_the_orm_frame_reads(bot: BotFactory) -> None:
    app = bot(stake_currency="USDT", dry_run_wallet=1000)
    store(
        app,
        closed_trade("ETH/USDT", "100", "110", opened=NOW - 3 * DAY, enter_tag="a"),
        closed_trade("LTC/USDT", "0.123456789", "0.1", opened=NOW - 2 * DAY, exit_reason=None),
        open_trade("XRP/USDT", "1", opened=NOW - DAY),
    )
    with app.db.transaction() as session:
        repo = TradeRepository(session)
        fast, reference = repo.closed_stats_frame(), repo.closed_frame()
        assert repo.traded_volume() == pytest.approx(repo.filled_order_volume())
    assert list(fast.columns) == list(STATS_COLUMNS)
    pd.testing.assert_frame_equal(
        fast, reference[list(STATS_COLUMNS)], check_dtype=False, check_exact=True
    )
    assert str(fast["close_date"].dtype).startswith("datetime64")
    assert fast["close_profit_abs"].dtype == "float64"


def test_empty_stats_frame_keeps_typed_columns(bot: BotFactory) -> None:
    app = bot()
    frame = closed_frame(app.context())
    assert frame.empty and list(frame.columns) == list(STATS_COLUMNS)
    assert frame["close_profit_abs"].dtype == "float64"
    assert str(frame["open_date"].dtype).startswith("datetime64")


def test_the_frame_is_read_once_per_closed_revision(bot: BotFactory) -> None:
    app = bot(stake_currency="USDT", dry_run_wallet=1000)
    store(app, closed_trade("ETH/USDT", "100", "110", opened=NOW - 3 * DAY))
    ctx = app.context()
    first = closed_frame(ctx)
    app.engine.revision += 1
    assert closed_frame(ctx) is first
    store(app, closed_trade("ETH/USDT", "100", "90", opened=NOW - 2 * DAY))
    assert len(closed_frame(ctx)) == 2


def test_trades_that_close_later_are_appended_exactly_as_a_full_read(bot: BotFactory) -> None:
    app = bot(stake_currency="USDT", dry_run_wallet=1000)
    early, _ = store(
        app,
        open_trade("XRP/USDT", "1", opened=NOW - 4 * DAY),  # the lowest id, closes last
        closed_trade("ETH/USDT", "100", "110", opened=NOW - 3 * DAY),
    )
    ctx = app.context()

    def full_read() -> pd.DataFrame:
        with app.db.transaction() as session:
            return TradeRepository(session).closed_stats_frame()

    assert len(closed_frame(ctx)) == 1
    store(app, closed_trade("LTC/USDT", "50", "45", opened=NOW - 2 * DAY))
    with app.engine.session.begin_nested():  # the open trade closes (as the engine would)
        app.engine.session.execute(
            update(trades)
            .where(trades.c.id == early.id)
            .values(is_open=False, close_date=NOW, close_rate=1.2, close_profit=0.2,
                    close_profit_abs=0.2, exit_reason="roi")
        )  # fmt: skip
    app.engine.session.commit()
    reload_engine(app)
    appended = closed_frame(ctx)
    assert list(appended["id"]) == sorted(appended["id"]) and len(appended) == 3
    pd.testing.assert_frame_equal(appended, full_read(), check_exact=True)
    asyncio.run(app.engine.delete_trade(early.id or 0))  # an edit: read whole again
    pd.testing.assert_frame_equal(closed_frame(ctx), full_read(), check_exact=True)
    assert len(closed_frame(ctx)) == 2


def test_balances_follow_the_spec_definitions(bot: BotFactory) -> None:
    app = bot(stake_currency="USDT", dry_run_wallet=1000, tradable_balance_ratio=0.5)
    store(
        app,
        closed_trade("ETH/USDT", "100", "110", opened=NOW - 3 * DAY),  # +9.79
        open_trade("XRP/USDT", "100", opened=NOW - DAY),  # ties 100.1
    )
    assert starting_balance(app.engine) == pytest.approx(500.0)
    assert current_total_stake(app.engine) == pytest.approx((1000 + 9.79) * 0.5)
    capped = bot(stake_currency="USDT", dry_run_wallet=1000, available_capital=300)
    store(capped, closed_trade("ETH/USDT", "100", "110", opened=NOW - 3 * DAY))
    assert starting_balance(capped.engine) == 300.0
    assert current_total_stake(capped.engine) == pytest.approx(309.79)
