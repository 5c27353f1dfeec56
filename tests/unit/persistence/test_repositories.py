from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from tests.factories import T0, fill, make_order, make_trade
from tradewind.domain.locks import PairLock
from tradewind.persistence.database import Database
from tradewind.persistence.repositories import (
    CustomDataRepository,
    KeyValueRepository,
    LockRepository,
    TradeRepository,
)


def _closed_trade(pair: str, buy: str, sell: str, hours: int):
    trade = make_trade(pair, rate=buy, amount="1")
    fill(make_order(trade, amount="1", price=buy), trade)
    fill(make_order(trade, "sell", amount="1", price=sell, when=T0 + timedelta(hours=hours)), trade)
    return trade


def test_decimals_round_trip_exactly_through_sqlite(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    db.migrate()
    trade = make_trade(rate="0.123456789012345678", amount="3")
    fill(make_order(trade, amount="3", price="0.123456789012345678"), trade)
    with db.transaction() as session:
        TradeRepository(session).add(trade)
    with db.transaction() as session:
        loaded = TradeRepository(session).get(trade.id or 0)
        assert loaded is not None
        assert loaded.open_rate == Decimal("0.123456789012345678")
        assert loaded.open_trade_value == trade.open_trade_value
        assert loaded.open_date == T0 and loaded.open_date.tzinfo is not None
        assert loaded.orders[0].cost == Decimal("0.370370367037037034")


def test_closed_paging_and_counts_use_only_closed_trades(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    db.migrate()
    with db.transaction() as session:
        repo = TradeRepository(session)
        for hours in (3, 1, 2):
            repo.add(_closed_trade("ETH/BTC", "0.05", "0.051", hours))
        still_open = make_trade("LTC/BTC")
        fill(make_order(still_open), still_open)
        repo.add(still_open)
    with db.transaction() as session:
        repo = TradeRepository(session)
        assert repo.closed_count() == 3
        by_id = [t.id for t in repo.closed_page(10, 0)]
        assert by_id == sorted(by_id)
        newest_first = repo.closed_page(2, 0, order_by_id=False)
        assert [t.close_date for t in newest_first] == sorted(
            [t.close_date for t in newest_first], reverse=True
        )
        assert len(repo.closed_page(2, 2)) == 1
        assert [t.pair for t in repo.open_trades()] == ["LTC/BTC"]
        frame = repo.closed_frame()
        assert len(frame) == 3 and frame["close_profit_abs"].notna().all()
        assert repo.closed_profit_total() == sum(
            (t.close_profit_abs for t in repo.closed_page(10, 0)), Decimal(0)
        )


def test_locks_key_values_and_custom_data(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'db.sqlite'}")
    db.migrate()
    with db.transaction() as session:
        LockRepository(session).add(PairLock("ETH/BTC", T0, T0 + timedelta(hours=1), "test"))
        KeyValueRepository(session).set("bot_start_time", "2024-01-01T00:00:00+00:00")
        trade = TradeRepository(session).add(make_trade())
        CustomDataRepository(session).set(trade.id or 0, "note", {"a": 1}, T0)
        CustomDataRepository(session).set(trade.id or 0, "note", {"a": 2}, T0)
    with db.transaction() as session:
        assert [lock.pair for lock in LockRepository(session).active(T0)] == ["ETH/BTC"]
        assert LockRepository(session).active(T0 + timedelta(hours=2)) == []
        assert KeyValueRepository(session).get("bot_start_time").startswith("2024")
        data = CustomDataRepository(session).get(1)
        assert data[0]["value"] == {"a": 2} and data[0]["type"] == "dict"


def test_migrate_is_idempotent_and_records_revision(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Database(url).migrate()
    db = Database(url)
    db.migrate()
    assert db.schema_revision() == "0002"


def test_an_unopenable_database_is_a_clear_config_error(tmp_path: Path) -> None:
    import pytest

    from tradewind.errors import ConfigError

    db = Database(f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}")
    with pytest.raises(ConfigError, match=r"db_url: cannot open the database sqlite:///.*missing"):
        db.migrate()
