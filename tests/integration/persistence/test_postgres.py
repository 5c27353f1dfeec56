"""tradewind on a real PostgreSQL server: schema, exact money, the whole engine, two bots."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tests.botconfig import bot_config, loaded
from tests.consistency import check_database
from tests.factories import fill, make_order, make_trade
from tests.postgres import PostgresServer
from tradewind.app import Application, build
from tradewind.domain.clock import ManualClock
from tradewind.persistence.database import Database
from tradewind.persistence.repositories import TradeRepository

pytestmark = pytest.mark.postgres


def test_migrations_create_the_schema_and_money_round_trips_exactly(
    postgres: PostgresServer,
) -> None:
    db = Database(postgres.create_database("schema_test"))
    db.migrate()
    assert db.schema_revision() is not None
    trade = make_trade(rate="0.123456789012345678", amount="3")
    fill(make_order(trade, amount="3", price="0.123456789012345678"), trade)
    with db.transaction() as session:
        TradeRepository(session).add(trade)
    with db.transaction() as session:
        stored = TradeRepository(session).get(trade.id or 0)
        assert stored is not None
        assert stored.open_rate == Decimal("0.123456789012345678")
        assert str(stored.amount) == "3"
        assert stored.orders[0].cost == Decimal("0.370370367037037034")
    db.dispose()


async def _trade(app: Application, clock: ManualClock, ticks: int) -> None:
    await app.engine.start_up()
    for _ in range(ticks):
        clock.advance(timedelta(minutes=5))
        await app.engine.tick()
    app.engine.pause()
    await app.engine.force_exit_all()
    for _ in range(10):
        if not app.engine.open_trades:
            break
        clock.advance(timedelta(minutes=5))
        await app.engine.tick()


def _bot(tmp_path: Path, url: str, seed: int) -> tuple[Application, ManualClock]:
    config = bot_config(tmp_path, db_url=url, exchange={"simulation": {"warmup_candles": 1400,
                                                                        "seed": seed}})  # fmt: skip
    clock = ManualClock(datetime(2018, 1, 15, tzinfo=UTC))
    return build(loaded(config), clock=clock), clock


def test_two_bots_share_one_server_in_separate_databases(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    first_url = postgres.create_database("bot_one")
    second_url = postgres.create_database("bot_two")
    first, first_clock = _bot(tmp_path / "one", first_url, seed=1)
    second, second_clock = _bot(tmp_path / "two", second_url, seed=2)

    async def both() -> None:
        await asyncio.gather(_trade(first, first_clock, 100), _trade(second, second_clock, 70))

    (tmp_path / "one").mkdir(exist_ok=True)
    asyncio.run(both())
    for app in (first, second):
        closed = TradeRepository(app.session).closed_page(10_000, 0)
        assert closed, "each bot traded"
        profit = sum((t.close_profit_abs for t in closed), Decimal(0))
        assert app.engine.parts.wallet.balances()["BTC"].free == Decimal(1) + profit
    ids_one = {o.client_order_id for o in TradeRepository(first.session).all_orders()}
    ids_two = {o.client_order_id for o in TradeRepository(second.session).all_orders()}
    assert ids_one and ids_two and not ids_one & ids_two
    check_database(first_url, Decimal(1))
    check_database(second_url, Decimal(1))
    first.session.close()
    second.session.close()
