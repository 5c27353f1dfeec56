"""Schema migrations run at start: from an empty database and from the previous revision."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.integration.persistence.migration_cases import PREVIOUS, seed_previous_schema
from tests.postgres import PostgresServer
from tradewind.persistence.database import Database
from tradewind.persistence.repositories import TradeRepository


def _upgrade_and_check(url: str) -> None:
    seed_previous_schema(url)
    db = Database(url)
    assert db.schema_revision() == PREVIOUS
    db.migrate()
    assert db.schema_revision() != PREVIOUS
    with db.transaction() as session:
        trade = TradeRepository(session).get(1)
        assert trade is not None and not trade.is_open
        assert trade.exit_timeout_count == 0
        assert [o.client_order_id for o in trade.orders] == ["ca", "cb"]
        assert trade.orders[0].ft_cancel_reason is None
        rebuilt_profit = trade.close_profit_abs
        trade.recalculate()
        assert trade.close_profit_abs == rebuilt_profit == Decimal("0.001798")
    db.dispose()


def test_sqlite_upgrades_from_the_previous_schema_keeping_data(tmp_path: Path) -> None:
    _upgrade_and_check(f"sqlite:///{tmp_path / 'old.sqlite'}")


@pytest.mark.postgres
def test_postgres_upgrades_from_the_previous_schema_keeping_data(
    postgres: PostgresServer,
) -> None:
    _upgrade_and_check(postgres.create_database("previous_schema"))


def test_empty_database_gets_the_newest_schema(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite'}")
    db.migrate()
    with db.transaction() as session:
        assert TradeRepository(session).count_all() == 0
    assert db.schema_revision() == "0002"
