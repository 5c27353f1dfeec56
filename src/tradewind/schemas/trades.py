"""Model forms of trades and orders (rest-api.md §5.0.3, §5.0.4) and custom data (§5.7).

Field order is the wire order. Dates use :data:`~tradewind.schemas.dates.DateText` (flavour a,
``"YYYY-MM-DD HH:MM:SS"``); ``*_timestamp`` fields are epoch milliseconds. The raw dict forms
of ``GET /trades`` live in :mod:`tradewind.schemas.trades_raw`.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from tradewind.schemas.dates import DateText, UtcDatetime

__all__ = [
    "CustomDataEntry",
    "OpenTradeSchema",
    "OrderSchema",
    "TradeCustomData",
    "TradeSchema",
]


class OrderSchema(BaseModel):
    """An order in its filtered form: exactly 15 keys (§5.0.1)."""

    pair: str
    order_id: str
    status: str | None
    remaining: float | None
    amount: float
    safe_price: float
    cost: float
    filled: float | None
    ft_order_side: str
    order_type: str
    is_open: bool
    order_timestamp: int | None
    order_filled_timestamp: int | None
    ft_fee_base: float | None
    ft_order_tag: str | None


class TradeSchema(BaseModel):
    """A trade in model form (§5.0.3): the force-enter answer; orders are filtered."""

    trade_id: int
    pair: str
    base_currency: str
    quote_currency: str
    is_open: bool
    is_short: bool
    exchange: str
    amount: float
    amount_requested: float | None
    stake_amount: float
    max_stake_amount: float | None
    strategy: str
    enter_tag: str | None
    timeframe: int
    fee_open: float | None
    fee_open_cost: float | None
    fee_open_currency: str | None
    fee_close: float | None
    fee_close_cost: float | None
    fee_close_currency: str | None
    open_date: DateText
    open_timestamp: int
    open_fill_date: DateText | None
    open_fill_timestamp: int | None
    open_rate: float
    open_rate_requested: float | None
    open_trade_value: float
    close_date: DateText | None
    close_timestamp: int | None
    close_rate: float | None
    close_rate_requested: float | None
    close_profit: float | None
    close_profit_pct: float | None
    close_profit_abs: float | None
    profit_ratio: float | None
    profit_pct: float | None
    profit_abs: float | None
    profit_fiat: float | None = None
    realized_profit: float
    realized_profit_ratio: float | None
    exit_reason: str | None
    exit_order_status: str | None
    stop_loss_abs: float | None
    stop_loss_ratio: float | None
    stop_loss_pct: float | None
    stoploss_last_update: DateText | None
    stoploss_last_update_timestamp: int | None
    initial_stop_loss_abs: float | None
    initial_stop_loss_ratio: float | None
    initial_stop_loss_pct: float | None
    min_rate: float | None
    max_rate: float | None
    nr_of_successful_entries: int
    nr_of_successful_exits: int
    has_open_orders: bool
    orders: list[OrderSchema]
    leverage: float
    interest_rate: float
    liquidation_price: float | None
    funding_fees: float | None
    trading_mode: str
    amount_precision: float | None
    price_precision: float | None
    precision_mode: int | None


class OpenTradeSchema(TradeSchema):
    """``/status``, ``/trade/{id}``, reload and cancel answers: model form + 9 keys (§5.0.4)."""

    stoploss_current_dist: float | None
    stoploss_current_dist_pct: float | None
    stoploss_current_dist_ratio: float | None
    stoploss_entry_dist: float | None
    stoploss_entry_dist_ratio: float | None
    current_rate: float | None
    total_profit_abs: float | None
    total_profit_fiat: float | None = None
    total_profit_ratio: float | None


class CustomDataEntry(BaseModel):
    """One stored key of a trade's custom data; ``type`` is the Python type name."""

    key: str
    type: str
    value: Any
    created_at: UtcDatetime
    updated_at: UtcDatetime | None


class TradeCustomData(BaseModel):
    """Custom data of one trade (an element of the custom-data answers, §5.7)."""

    trade_id: int
    custom_data: list[CustomDataEntry]
