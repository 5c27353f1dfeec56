"""Repositories: the queries the engine and the services need, over one session each."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import (
    CursorResult,
    Executable,
    Float,
    delete,
    func,
    select,
    type_coerce,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from tradewind.domain.locks import PairLock
from tradewind.domain.order import Order
from tradewind.domain.trade import Trade
from tradewind.persistence.tables import (
    key_values,
    orders,
    pairlocks,
    trade_custom_data,
    trades,
    wallet_history,
)

CLOSED_TRADE_COLUMNS = (
    "id",
    "pair",
    "is_short",
    "leverage",
    "enter_tag",
    "exit_reason",
    "open_date",
    "close_date",
    "close_profit",
    "close_profit_abs",
    "max_stake_amount",
    "fee_open_cost",
    "amount",
    "open_rate",
    "close_rate",
    "stake_amount",
)

STATS_COLUMNS = (
    "id",
    "pair",
    "is_short",
    "leverage",
    "enter_tag",
    "exit_reason",
    "open_date",
    "close_date",
    "close_profit",
    "close_profit_abs",
    "max_stake_amount",
)
"""Columns of `closed_stats_frame`: what the profit and period statistics read."""
_STATS_NUMBERS = ("leverage", "close_profit", "close_profit_abs", "max_stake_amount")
_STATS_DATES = ("open_date", "close_date")


class TradeRepository:
    """Trades and their orders."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, trade: Trade) -> Trade:
        self.session.add(trade)
        self.session.flush()
        for order in trade.orders:
            order.trade_id = trade.id
        return trade

    def get(self, trade_id: int) -> Trade | None:
        return self.session.get(Trade, trade_id)

    def delete(self, trade: Trade) -> None:
        self.session.delete(trade)
        self.session.flush()

    def open_trades(self) -> list[Trade]:
        stmt = select(Trade).where(trades.c.is_open.is_(True)).order_by(trades.c.id)
        return list(self.session.scalars(stmt))

    def closed_count(self) -> int:
        stmt = select(func.count()).select_from(trades).where(trades.c.is_open.is_(False))
        return int(self.session.scalar(stmt) or 0)

    def closed_page(self, limit: int, offset: int, *, order_by_id: bool = True) -> list[Trade]:
        """Closed trades by ascending id, or newest close first when not `order_by_id`."""
        order = trades.c.id.asc() if order_by_id else trades.c.close_date.desc()
        stmt = (
            select(Trade)
            .where(trades.c.is_open.is_(False))
            .order_by(order, trades.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(self.session.scalars(stmt))

    def closed_page_ids(self, limit: int, offset: int, *, order_by_id: bool = True) -> list[int]:
        """Ids of one page of closed trades: ascending id, or newest close first when not
        `order_by_id`."""
        order = trades.c.id.asc() if order_by_id else trades.c.close_date.desc()
        stmt = (
            select(trades.c.id)
            .where(trades.c.is_open.is_(False))
            .order_by(order, trades.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
        return list(self.session.scalars(stmt))

    def by_ids(self, ids: Sequence[int]) -> list[Trade]:
        """The trades with these ids (with their orders), in no particular order."""
        found: list[Trade] = []
        for start in range(0, len(ids), 500):  # bounded IN lists (SQLite caps bound values)
            chunk = ids[start : start + 500]
            found.extend(self.session.scalars(select(Trade).where(trades.c.id.in_(chunk))))
        return found

    def open_trade_ids(self) -> list[int]:
        return list(self.session.scalars(select(trades.c.id).where(trades.c.is_open.is_(True))))

    def all_trade_ids(self) -> list[int]:
        return list(self.session.scalars(select(trades.c.id).order_by(trades.c.id)))

    def count_all(self) -> int:
        return int(self.session.scalar(select(func.count()).select_from(trades)) or 0)

    def closed_frame(self, pair: str | None = None) -> pd.DataFrame:
        """Closed trades as one DataFrame (money as float) for vectorized statistics."""
        columns = [trades.c[name] for name in CLOSED_TRADE_COLUMNS]
        stmt = select(*columns).where(trades.c.is_open.is_(False)).order_by(trades.c.id)
        if pair is not None:
            stmt = stmt.where(trades.c.pair == pair)
        rows = self.session.execute(stmt).all()
        frame = pd.DataFrame(rows, columns=list(CLOSED_TRADE_COLUMNS))
        for name in (
            "close_profit_abs",
            "max_stake_amount",
            "fee_open_cost",
            "amount",
            "open_rate",
            "close_rate",
            "stake_amount",
            "close_profit",
            "leverage",
        ):
            frame[name] = pd.to_numeric(frame[name].map(_to_float), errors="coerce")
        return frame

    def closed_profit_total(self) -> Decimal:
        """Exact Σ close_profit_abs of closed trades (the wallet books from it)."""
        stmt = select(trades.c.close_profit_abs).where(trades.c.is_open.is_(False))
        values = self.session.scalars(stmt)
        return sum((Decimal(v) for v in values if v is not None), Decimal(0))

    def filled_order_volume(self) -> float:
        """Σ cost of filled (status closed) orders, for `trading_volume`."""
        stmt = select(orders.c.cost).where(orders.c.status == "closed")
        return float(sum((Decimal(value) for value in self.session.scalars(stmt)), Decimal(0)))

    def all_orders(self) -> list[Order]:
        """Every order ever placed, also those of deleted or never-filled trades."""
        return list(self.session.scalars(select(Order).order_by(orders.c.id)))

    def orders_for_wallet(self) -> list[Order]:
        """Every order with a fill or still open: what the dry-run wallet books."""
        stmt = select(Order).where((orders.c.filled != "0") | orders.c.ft_is_open.is_(True))
        return list(self.session.scalars(stmt))

    def first_trade_open_date(self) -> datetime | None:
        value: datetime | None = self.session.scalar(select(func.min(trades.c.open_date)))
        return value

    def closed_stats_frame(
        self, *, above_id: int | None = None, among: Sequence[int] = ()
    ) -> pd.DataFrame:
        """Closed trades (`STATS_COLUMNS`, ascending id) as one typed DataFrame, fast.

        Same values as `closed_frame` (money as float64, dates as UTC datetimes) but read for
        10 000+ trades: the driver's raw values are fetched without per-value type processing
        and pandas converts whole columns at once. With `above_id`, only the closed trades
        with a higher id or an id in `among` (to read what closed since an earlier read).
        """
        columns = [type_coerce(trades.c[name], NullType()).label(name) for name in STATS_COLUMNS]
        stmt = select(*columns).where(trades.c.is_open.is_(False)).order_by(trades.c.id)
        if above_id is not None:
            stmt = stmt.where((trades.c.id > above_id) | trades.c.id.in_(list(among)))
        rows = self._raw_rows(stmt)
        values = list(zip(*rows, strict=True)) if rows else [() for _ in STATS_COLUMNS]
        frame = pd.DataFrame(
            {
                name: pd.Series(col, dtype=object)
                for name, col in zip(STATS_COLUMNS, values, strict=True)
            }
        )
        frame["id"] = frame["id"].astype("int64")
        frame["is_short"] = frame["is_short"].astype(bool)
        for name in _STATS_NUMBERS:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        for name in _STATS_DATES:
            frame[name] = pd.to_datetime(frame[name], utc=True, format="ISO8601")
        return frame

    def traded_volume(self) -> float:
        """Σ cost of filled (status closed) orders as a float (`filled_order_volume`, fast).

        Summed by the database: exactly (NUMERIC) on PostgreSQL, in doubles on SQLite, where
        the text is converted per row — a display figure, off by far less than a satoshi.
        """
        sqlite = self.session.get_bind().dialect.name == "sqlite"
        column = sa.cast(orders.c.cost, Float) if sqlite else orders.c.cost
        stmt = select(func.sum(column)).where(orders.c.status == "closed")
        total = self.session.execute(stmt).scalar()
        return float(total) if total is not None else 0.0

    def _raw_rows(self, stmt: Executable) -> list[tuple[Any, ...]]:
        """The DB-API rows of `stmt` as the driver returns them (no SQLAlchemy row objects)."""
        result = cast(CursorResult[Any], self.session.execute(stmt))
        try:
            return list(result.cursor.fetchall()) if result.cursor is not None else []
        finally:
            result.close()


class LockRepository:
    """Pair locks."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, lock: PairLock) -> PairLock:
        self.session.add(lock)
        self.session.flush()
        return lock

    def active(self, now: datetime) -> list[PairLock]:
        stmt = (
            select(PairLock)
            .where(pairlocks.c.active.is_(True), pairlocks.c.lock_end_time > now)
            .order_by(pairlocks.c.id)
        )
        return list(self.session.scalars(stmt))

    def get(self, lock_id: int) -> PairLock | None:
        return self.session.get(PairLock, lock_id)


class KeyValueRepository:
    """Small persisted facts: first bot start, the simulated market's clock anchor …"""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str) -> Any:
        value = self.session.scalar(select(key_values.c.value).where(key_values.c.key == key))
        return None if value is None else json.loads(value)

    def set(self, key: str, value: Any) -> None:
        text = json.dumps(value, default=str)
        updated = self.session.execute(
            update(key_values).where(key_values.c.key == key).values(value=text)
        )
        if updated.rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(key_values.insert().values(key=key, value=text))


class CustomDataRepository:
    """Per-trade custom data written by strategies (`trade.set_custom_data`)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, trade_id: int, key: str | None = None) -> list[dict[str, Any]]:
        stmt = select(trade_custom_data).where(trade_custom_data.c.trade_id == trade_id)
        if key is not None:
            stmt = stmt.where(trade_custom_data.c.cd_key == key)
        rows = self.session.execute(stmt.order_by(trade_custom_data.c.id)).mappings().all()
        return [
            {
                "key": row["cd_key"],
                "type": row["cd_type"],
                "value": json.loads(row["cd_value"]),
                "created_at": row["created_at"],
                "updated_at": row["updated_at"],
            }
            for row in rows
        ]

    def set(self, trade_id: int, key: str, value: Any, now: datetime) -> None:
        text = json.dumps(value)
        kind = type(value).__name__
        table = trade_custom_data
        updated = self.session.execute(
            update(table)
            .where(table.c.trade_id == trade_id, table.c.cd_key == key)
            .values(cd_value=text, cd_type=kind, updated_at=now)
        )
        if updated.rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(
                table.insert().values(
                    trade_id=trade_id, cd_key=key, cd_type=kind, cd_value=text, created_at=now
                )
            )

    def delete_for_trade(self, trade_id: int) -> None:
        self.session.execute(
            delete(trade_custom_data).where(trade_custom_data.c.trade_id == trade_id)
        )


class WalletHistoryRepository:
    """Daily wallet snapshots for `historic_balance`."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def record(self, date: datetime, currency: str, total_quote: Decimal) -> None:
        table = wallet_history
        exists = self.session.scalar(
            select(table.c.id).where(table.c.date == date, table.c.currency == currency)
        )
        if exists is None:
            self.session.execute(
                table.insert().values(date=date, currency=currency, total_quote=total_quote)
            )

    def history(self) -> Sequence[tuple[datetime, Decimal]]:
        table = wallet_history
        stmt = select(table.c.date, table.c.total_quote).order_by(table.c.date)
        return [(row[0], row[1]) for row in self.session.execute(stmt)]


def _to_float(value: Any) -> float | None:
    if value is None:
        return None
    return float(value)
