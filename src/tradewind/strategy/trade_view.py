"""Read-only float views of trades and orders: what strategy callbacks receive as `trade`/`order`.

The domain keeps money as Decimal and lets only the engine change it. Callbacks get these views,
which present the Freqtrade `Trade`/`Order` attribute names as floats and offer no setters; the
only thing a strategy may write is its own custom data, through an injected store.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Protocol

from tradewind.domain.money import as_float
from tradewind.domain.order import Order
from tradewind.domain.trade import Trade


class CustomDataStore(Protocol):
    """Per-trade key/value storage for strategies (values are JSON-serialisable)."""

    def get(self, trade_id: int, key: str, default: Any = None) -> Any:
        """The stored value or `default`."""
        ...

    def set(self, trade_id: int, key: str, value: Any) -> None:
        """Store (replace) a value."""
        ...


class InMemoryCustomData:
    """A CustomDataStore kept in memory (backtests, tests, or until persistence provides one)."""

    def __init__(self) -> None:
        self._data: dict[tuple[int, str], str] = {}

    def get(self, trade_id: int, key: str, default: Any = None) -> Any:
        """The stored value or `default`."""
        raw = self._data.get((trade_id, key))
        return default if raw is None else json.loads(raw)

    def set(self, trade_id: int, key: str, value: Any) -> None:
        """Store a JSON round-tripped copy, so later mutation by the caller has no effect."""
        self._data[(trade_id, key)] = json.dumps(value)


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _float(value: Decimal | float | None) -> float:
    return 0.0 if value is None else float(value)


class OrderView:
    """A read-only float view of a domain `Order`."""

    __slots__ = ("_order",)

    def __init__(self, order: Order) -> None:
        self._order = order

    pair = property(lambda self: self._order.ft_pair)
    order_id = property(lambda self: self._order.order_id)
    ft_order_side = property(lambda self: self._order.ft_order_side)
    side = property(lambda self: self._order.side)
    order_type = property(lambda self: self._order.order_type)
    status = property(lambda self: str(self._order.status))
    ft_is_open = property(lambda self: self._order.ft_is_open)
    ft_order_tag = property(lambda self: self._order.ft_order_tag)
    ft_price = property(lambda self: _float(self._order.ft_price))
    price = property(lambda self: as_float(self._order.price))
    average = property(lambda self: as_float(self._order.average))
    safe_price = property(lambda self: _float(self._order.safe_price))
    amount = property(lambda self: _float(self._order.amount or self._order.ft_amount))
    safe_amount = amount
    filled = property(lambda self: _float(self._order.filled))
    safe_filled = filled
    remaining = property(lambda self: as_float(self._order.remaining))
    cost = property(lambda self: _float(self._order.cost))
    order_date = property(lambda self: _utc(self._order.order_date))
    order_date_utc = order_date
    order_filled_date = property(lambda self: _utc(self._order.order_filled_date))
    order_filled_utc = order_filled_date

    def __repr__(self) -> str:
        return f"OrderView({self.pair} {self.ft_order_side} {self.status} {self.amount})"


class TradeView:
    """A read-only float view of a domain `Trade` (Freqtrade `Trade` attribute names)."""

    __slots__ = ("_store", "_trade")

    def __init__(self, trade: Trade, custom_data: CustomDataStore | None = None) -> None:
        self._trade = trade
        self._store = custom_data

    id = property(lambda self: self._trade.id)
    trade_id = id
    pair = property(lambda self: self._trade.pair)
    base_currency = property(lambda self: self._trade.base_currency)
    stake_currency = property(lambda self: self._trade.stake_currency)
    exchange = property(lambda self: self._trade.exchange)
    strategy = property(lambda self: self._trade.strategy)
    timeframe = property(lambda self: self._trade.timeframe)
    is_open = property(lambda self: self._trade.is_open)
    is_short = property(lambda self: self._trade.is_short)
    trade_direction = property(lambda self: "short" if self._trade.is_short else "long")
    entry_side = property(lambda self: self._trade.entry_side)
    exit_side = property(lambda self: self._trade.exit_side)
    amount = property(lambda self: _float(self._trade.amount))
    amount_requested = property(lambda self: _float(self._trade.amount_requested))
    stake_amount = property(lambda self: _float(self._trade.stake_amount))
    max_stake_amount = property(lambda self: _float(self._trade.max_stake_amount))
    open_rate = property(lambda self: _float(self._trade.open_rate))
    open_rate_requested = property(lambda self: _float(self._trade.open_rate_requested))
    open_trade_value = property(lambda self: _float(self._trade.open_trade_value))
    open_date = property(lambda self: _utc(self._trade.open_date))
    open_date_utc = open_date
    close_date = property(lambda self: _utc(self._trade.close_date))
    close_date_utc = close_date
    close_rate = property(lambda self: as_float(self._trade.close_rate))
    close_profit = property(lambda self: self._trade.close_profit)
    close_profit_abs = property(lambda self: as_float(self._trade.close_profit_abs))
    realized_profit = property(lambda self: _float(self._trade.realized_profit))
    enter_tag = property(lambda self: self._trade.enter_tag)
    exit_reason = property(lambda self: self._trade.exit_reason)
    leverage = property(lambda self: float(self._trade.leverage))
    max_rate = property(lambda self: float(self._trade.max_rate))
    min_rate = property(lambda self: float(self._trade.min_rate))
    stop_loss = property(lambda self: float(self._trade.stop_loss))
    stop_loss_pct = property(lambda self: float(self._trade.stop_loss_pct))
    initial_stop_loss = property(lambda self: float(self._trade.initial_stop_loss))
    initial_stop_loss_pct = property(lambda self: float(self._trade.initial_stop_loss_pct))
    is_stop_loss_trailing = property(lambda self: self._trade.is_stop_loss_trailing)
    liquidation_price = property(lambda self: self._trade.liquidation_price)
    fee_open = property(lambda self: _float(self._trade.fee_open))
    fee_close = property(lambda self: _float(self._trade.fee_close))
    trading_mode = property(lambda self: self._trade.trading_mode)
    nr_of_successful_entries = property(lambda self: self._trade.nr_of_successful_entries)
    nr_of_successful_exits = property(lambda self: self._trade.nr_of_successful_exits)
    has_open_orders = property(lambda self: self._trade.has_open_orders)

    @property
    def orders(self) -> list[OrderView]:
        """All orders of the trade, oldest first."""
        return [OrderView(order) for order in self._trade.orders]

    @property
    def open_orders(self) -> list[OrderView]:
        """Orders still open on the exchange."""
        return [OrderView(order) for order in self._trade.open_orders]

    def select_filled_orders(self, order_side: str | None = None) -> list[OrderView]:
        """Orders with a fill, optionally only one side ("buy"/"sell")."""
        return [
            OrderView(order)
            for order in self._trade.orders
            if order.filled > 0 and (order_side is None or order.ft_order_side == order_side)
        ]

    def calc_profit_ratio(self, rate: float) -> float:
        """Profit ratio if the remaining position were exited at `rate` (fees included)."""
        return self._trade.profit_ratio_at(float(rate))

    def calc_profit(self, rate: float) -> float:
        """Absolute profit (stake currency) if the remaining position were exited at `rate`."""
        return float(self._trade.profit_at(Decimal(repr(float(rate)))).abs)

    def get_custom_data(self, key: str, default: Any = None) -> Any:
        """A value the strategy stored on this trade, or `default`."""
        if self._store is None or self._trade.id is None:
            return default
        return self._store.get(self._trade.id, key, default)

    def set_custom_data(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value on this trade (raises TypeError/ValueError otherwise)."""
        if self._store is None or self._trade.id is None:
            raise RuntimeError("custom data needs a persisted trade and a custom-data store")
        json.dumps(value)  # refuse values persistence could not store, at the caller's line
        self._store.set(self._trade.id, key, value)

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed"
        return f"TradeView(id={self.id}, pair={self.pair}, amount={self.amount}, {state})"
