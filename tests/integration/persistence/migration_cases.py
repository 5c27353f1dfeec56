"""A database left at the previous schema revision, with data, to upgrade in tests."""

from __future__ import annotations

from typing import Any

from alembic import command
from sqlalchemy import Connection, create_engine, text

from tradewind.persistence.database import alembic_config

PREVIOUS = "0001"

TRADE: dict[str, Any] = {
    "id": 1, "exchange": "simulated", "pair": "ETH/BTC", "base_currency": "ETH",
    "stake_currency": "BTC", "is_open": False, "is_short": False, "leverage": 1.0,
    "trading_mode": "spot", "strategy": "SampleStrategy", "timeframe": 5,
    "open_date": "2018-01-15 10:00:00", "close_date": "2018-01-15 11:00:00",
    "fee_open": "0.001", "fee_close": "0.001", "fee_open_cost": "0.0001",
    "fee_close_cost": "0.000102", "amount": "0", "amount_requested": "2", "open_rate": "0.05",
    "open_rate_requested": "0.05", "open_trade_value": "0", "stake_amount": "0",
    "max_stake_amount": "0.1", "realized_profit": "0.001798", "close_rate": "0.051",
    "close_profit": 0.01796203796, "close_profit_abs": "0.001798", "exit_reason": "roi",
    "stop_loss": 0.0, "stop_loss_pct": -0.1, "initial_stop_loss": 0.045,
    "initial_stop_loss_pct": -0.1, "is_stop_loss_trailing": False, "max_rate": 0.052,
    "min_rate": 0.049, "contract_size": 1.0, "funding_fees": 0.0, "interest_rate": 0.0,
}  # fmt: skip

ORDERS: list[dict[str, Any]] = [
    {"side": side, "price": price, "cost": cost, "fee_cost": fee, "client_order_id": f"c{oid}",
     "order_id": f"x{oid}"}
    for oid, side, price, cost, fee in (("a", "buy", "0.05", "0.1", "0.0001"),
                                        ("b", "sell", "0.051", "0.102", "0.000102"))
]  # fmt: skip


def _insert(connection: Connection, table: str, row: dict[str, Any]) -> None:
    columns = ", ".join(row)
    values = ", ".join(f":{name}" for name in row)
    connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({values})"), row)


def seed_previous_schema(url: str) -> None:
    """Migrate an empty database to PREVIOUS and store one closed trade with its orders."""
    engine = create_engine(url)
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, PREVIOUS)
        _insert(connection, "trades", TRADE)
        for order in ORDERS:
            _insert(connection, "orders", {
                "trade_id": 1, "ft_pair": "ETH/BTC", "ft_order_side": order["side"],
                "side": order["side"], "order_type": "limit", "ft_amount": "2",
                "ft_price": order["price"], "client_order_id": order["client_order_id"],
                "order_id": order["order_id"], "status": "closed", "ft_is_open": False,
                "price": order["price"], "average": order["price"], "amount": "2",
                "filled": "2", "remaining": "0", "cost": order["cost"],
                "fee_cost": order["fee_cost"], "fee_currency": "BTC",
                "order_date": "2018-01-15 10:00:00", "order_filled_date": "2018-01-15 10:05:00",
            })  # fmt: skip
    engine.dispose()
