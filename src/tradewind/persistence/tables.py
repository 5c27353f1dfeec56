"""Table definitions and the mapping of the domain's Trade, Order and PairLock onto them.

The domain classes stay free of SQLAlchemy; they are mapped imperatively here, once per process
(`ensure_mapped`), so the engine works with plain domain objects that a session tracks.
"""

from __future__ import annotations

import threading

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import registry, relationship

from tradewind.domain.locks import PairLock
from tradewind.domain.order import Order
from tradewind.domain.trade import Trade
from tradewind.persistence.types import ExactDecimal, UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

trades = Table(
    "trades",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("exchange", String(25), nullable=False),
    Column("pair", String(25), nullable=False, index=True),
    Column("base_currency", String(25), nullable=False),
    Column("stake_currency", String(25), nullable=False),
    Column("is_open", Boolean, nullable=False, default=True, index=True),
    Column("is_short", Boolean, nullable=False, default=False),
    Column("leverage", Float, nullable=False, default=1.0),
    Column("trading_mode", String(15), nullable=False, default="spot"),
    Column("strategy", String(100), nullable=False),
    Column("enter_tag", String(255)),
    Column("timeframe", Integer, nullable=False),
    Column("open_date", UtcDateTime, nullable=False),
    Column("close_date", UtcDateTime, index=True),
    Column("fee_open", ExactDecimal, nullable=False),
    Column("fee_close", ExactDecimal, nullable=False),
    Column("fee_open_cost", ExactDecimal, nullable=False),
    Column("fee_close_cost", ExactDecimal, nullable=False),
    Column("fee_open_currency", String(25)),
    Column("fee_close_currency", String(25)),
    Column("amount", ExactDecimal, nullable=False),
    Column("amount_requested", ExactDecimal, nullable=False),
    Column("open_rate", ExactDecimal, nullable=False),
    Column("open_rate_requested", ExactDecimal, nullable=False),
    Column("open_trade_value", ExactDecimal, nullable=False),
    Column("stake_amount", ExactDecimal, nullable=False),
    Column("max_stake_amount", ExactDecimal, nullable=False),
    Column("realized_profit", ExactDecimal, nullable=False),
    Column("close_rate", ExactDecimal),
    Column("close_rate_requested", ExactDecimal),
    Column("close_profit", Float),
    Column("close_profit_abs", ExactDecimal),
    Column("exit_reason", String(255)),
    Column("exit_order_status", String(100)),
    Column("stop_loss", Float, nullable=False, default=0.0),
    Column("stop_loss_pct", Float, nullable=False, default=0.0),
    Column("initial_stop_loss", Float, nullable=False, default=0.0),
    Column("initial_stop_loss_pct", Float, nullable=False, default=0.0),
    Column("is_stop_loss_trailing", Boolean, nullable=False, default=False),
    Column("stoploss_last_update", UtcDateTime),
    Column("max_rate", Float, nullable=False, default=0.0),
    Column("min_rate", Float, nullable=False, default=0.0),
    Column("amount_precision", Float),
    Column("price_precision", Float),
    Column("precision_mode", Integer),
    Column("contract_size", Float, nullable=False, default=1.0),
    Column("funding_fees", Float, nullable=False, default=0.0),
    Column("interest_rate", Float, nullable=False, default=0.0),
    Column("liquidation_price", Float),
    Column("exit_timeout_count", Integer, nullable=False, default=0, server_default="0"),
    sqlite_autoincrement=True,  # a deleted trade's id is never given to a new trade
)

orders = Table(
    "orders",
    metadata,
    Column("id", Integer, primary_key=True),
    # An order is the exchange's record: it outlives a deleted (or never filled) trade.
    Column("trade_id", Integer, ForeignKey("trades.id", ondelete="SET NULL"), index=True),
    Column("ft_pair", String(25), nullable=False),
    Column("ft_order_side", String(25), nullable=False),
    Column("side", String(25), nullable=False),
    Column("order_type", String(25), nullable=False),
    Column("ft_amount", ExactDecimal, nullable=False),
    Column("ft_price", ExactDecimal, nullable=False),
    Column("client_order_id", String(64), nullable=False),
    Column("order_id", String(255)),
    Column("ft_order_tag", String(255)),
    Column("status", String(25), nullable=False),
    Column("ft_is_open", Boolean, nullable=False, default=True, index=True),
    Column("price", ExactDecimal),
    Column("average", ExactDecimal),
    Column("amount", ExactDecimal),
    Column("filled", ExactDecimal, nullable=False),
    Column("remaining", ExactDecimal),
    Column("cost", ExactDecimal, nullable=False),
    Column("fee_cost", ExactDecimal, nullable=False),
    Column("fee_currency", String(25)),
    Column("fee_base", ExactDecimal),
    Column("order_date", UtcDateTime, nullable=False),
    Column("order_filled_date", UtcDateTime),
    Column("order_update_date", UtcDateTime),
    Column("ft_cancel_reason", String(255)),
    UniqueConstraint("client_order_id"),
    UniqueConstraint("ft_pair", "order_id"),
    sqlite_autoincrement=True,
)

pairlocks = Table(
    "pairlocks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("pair", String(25), nullable=False, index=True),
    Column("side", String(25), nullable=False, default="*"),
    Column("reason", String(255)),
    Column("lock_time", UtcDateTime, nullable=False),
    Column("lock_end_time", UtcDateTime, nullable=False, index=True),
    Column("active", Boolean, nullable=False, default=True, index=True),
)

key_values = Table(
    "key_values",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

trade_custom_data = Table(
    "trade_custom_data",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("trade_id", Integer, ForeignKey("trades.id", ondelete="CASCADE"), nullable=False),
    Column("cd_key", String(255), nullable=False),
    Column("cd_type", String(25), nullable=False),
    Column("cd_value", Text, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime),
    UniqueConstraint("trade_id", "cd_key"),
)

wallet_history = Table(
    "wallet_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("date", UtcDateTime, nullable=False),
    Column("currency", String(25), nullable=False),
    Column("total_quote", ExactDecimal, nullable=False),
    Index("ix_wallet_history_date_currency", "date", "currency", unique=True),
)

_mapper_registry = registry(metadata=metadata)
_mapping_lock = threading.Lock()
_mapped = False


def ensure_mapped() -> None:
    """Map the domain classes onto the tables (idempotent, thread-safe)."""
    global _mapped  # noqa: PLW0603 - SQLAlchemy instruments classes once per process
    with _mapping_lock:
        if _mapped:
            return
        _mapper_registry.map_imperatively(Order, orders)
        _mapper_registry.map_imperatively(
            Trade,
            trades,
            properties={
                "orders": relationship(
                    Order,
                    order_by=orders.c.id,
                    cascade="save-update, merge",
                    lazy="selectin",
                )
            },
        )
        _mapper_registry.map_imperatively(PairLock, pairlocks)
        _mapped = True
