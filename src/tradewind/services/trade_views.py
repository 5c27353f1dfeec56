"""Trades and orders as the API shows them (rest-api.md §5.0): model forms and raw dicts.

Money is Decimal inside the bot and becomes float only here, rounded as the spec says (amounts,
stakes and trade values to 8 places, percentages to 2). Dates use the wire's flavours: naive
UTC text for `*_date`, epoch milliseconds for `*_timestamp`.
"""

from __future__ import annotations

import math
from datetime import datetime
from decimal import Decimal
from typing import Any

from tradewind.domain.money import round_price, to_decimal
from tradewind.domain.order import STOPLOSS, Order
from tradewind.domain.trade import Trade
from tradewind.schemas import trades_raw
from tradewind.schemas.dates import epoch_ms, naive_text
from tradewind.schemas.trades import OpenTradeSchema, OrderSchema, TradeSchema
from tradewind.services.context import BotContext

__all__ = [
    "listed_orders",
    "open_trade_schema",
    "order_schema",
    "raw_order",
    "raw_trade",
    "trade_schema",
]

# Keys of the model form taken verbatim from the shared field set (orders are added apart).
_MODEL_KEYS = tuple(k for k in TradeSchema.model_fields if k not in ("orders", "profit_fiat"))
_DATE_KEYS = ("open_date", "open_fill_date", "close_date", "stoploss_last_update")
_OPEN_PROFIT_KEYS = (
    "current_rate",
    "profit_ratio",
    "profit_pct",
    "profit_abs",
    "total_profit_abs",
    "total_profit_ratio",
)


# -- small conversions --------------------------------------------------------------------------
def _f8(value: Decimal | float | None) -> float | None:
    return None if value is None else round(float(value), 8)


def _f(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def _pct(ratio: float | None) -> float | None:
    """round(ratio × 100, 2); None for a zero or missing ratio (the spec's "null when 0")."""
    return round(ratio * 100, 2) if ratio else None


def _text(value: datetime | None) -> str | None:
    return None if value is None else naive_text(value)


def _ms(value: datetime | None) -> int | None:
    return None if value is None else epoch_ms(value)


def _nonzero(value: float | None) -> float | None:
    return value if value else None


# -- orders -------------------------------------------------------------------------------------
def listed_orders(trade: Trade) -> list[Order]:
    """Orders the API lists: open ones and finished ones with a fill (unfilled cancels hidden)."""
    return [o for o in trade.orders if o.ft_is_open or o.filled > 0]


def _order_fields(order: Order) -> dict[str, Any]:
    return {
        "pair": order.ft_pair,
        "order_id": order.order_id or order.client_order_id,
        "status": str(order.status) if order.status is not None else None,
        "remaining": _f(order.remaining),
        "amount": float(order.amount if order.amount is not None else order.ft_amount),
        "safe_price": float(order.safe_price),
        "cost": float(order.cost or 0),
        "filled": _f(order.filled),
        "ft_order_side": order.ft_order_side,
        "order_type": order.order_type,
        "is_open": order.ft_is_open,
        "order_timestamp": _ms(order.order_date),
        "order_filled_timestamp": _ms(order.order_filled_date),
        "ft_fee_base": _f(order.fee_base),
        "ft_order_tag": order.ft_order_tag,
    }


def order_schema(order: Order) -> OrderSchema:
    """The 15-key filtered order form (§5.0.1)."""
    return OrderSchema(**_order_fields(order))


def raw_order(order: Order, trade: Trade) -> trades_raw.RawOrderDict:
    """The 21-key raw order form of `GET /trades` (§5.0.1)."""
    fields = _order_fields(order)
    return trades_raw.raw_order(
        **fields,
        ft_is_entry=order.ft_order_side == trade.entry_side,
        average=round(float(order.average), 8) if order.average else 0.0,
        order_date=_text(order.order_date),
        order_filled_date=_text(order.order_filled_date),
        price=_f(order.price if order.price is not None else order.ft_price),
        funding_fee=None,
    )


# -- trades -------------------------------------------------------------------------------------
def _stoploss_update(trade: Trade) -> datetime | None:
    """Date of the newest open stoploss order (None without one)."""
    dates = [o.order_date for o in trade.orders if o.ft_is_open and o.ft_order_side == STOPLOSS]
    return max(dates) if dates else None


def _trade_fields(trade: Trade) -> dict[str, Any]:
    """Every field the raw and the model form share, plus the raw-only ones (dates as
    datetimes: the model formats them, `raw_trade` turns them into text)."""
    fields = _identity_fields(trade)
    fields.update(_money_fields(trade))
    fields.update(_close_fields(trade))
    fields.update(_stop_fields(trade))
    return fields


def _identity_fields(trade: Trade) -> dict[str, Any]:
    return {
        "trade_id": trade.id,
        "pair": trade.pair,
        "base_currency": trade.base_currency,
        "quote_currency": trade.stake_currency,
        "is_open": trade.is_open,
        "is_short": trade.is_short,
        "exchange": trade.exchange.lower(),
        "strategy": trade.strategy,
        "enter_tag": trade.enter_tag,
        "timeframe": int(trade.timeframe),
        "open_date": trade.open_date,
        "open_timestamp": epoch_ms(trade.open_date),
        "open_fill_date": trade.open_fill_date,
        "open_fill_timestamp": _ms(trade.open_fill_date),
        "leverage": float(trade.leverage),
        "interest_rate": float(trade.interest_rate),
        "liquidation_price": trade.liquidation_price,
        "trading_mode": str(trade.trading_mode),
        "funding_fees": trade.funding_fees,
        "amount_precision": trade.amount_precision,
        "price_precision": trade.price_precision,
        "precision_mode": trade.precision_mode,
        "precision_mode_price": trade.precision_mode,
        "contract_size": trade.contract_size,
        "nr_of_successful_entries": trade.nr_of_successful_entries,
        "nr_of_successful_exits": trade.nr_of_successful_exits,
        "has_open_orders": trade.has_open_orders,
    }


def _position(trade: Trade) -> tuple[Decimal, Decimal]:
    """(amount, stake) of the position: for a closed trade, the one its final exit closed.

    The domain books a closed trade's held amount as 0; the API (like Freqtrade) shows the
    size that was closed, so trade lists keep meaningful amount and stake columns.
    """
    if trade.is_open or not trade.filled_exits:
        return trade.amount, trade.stake_amount
    last = max(trade.filled_exits, key=lambda o: (o.order_date, o.id or 0))
    return last.filled, last.filled * trade.open_rate / to_decimal(float(trade.leverage))


def _money_fields(trade: Trade) -> dict[str, Any]:
    amount, stake = _position(trade)
    return {
        "amount": _f8(amount),
        "amount_requested": _f8(trade.amount_requested),
        "stake_amount": _f8(stake),
        "max_stake_amount": _f8(trade.max_stake_amount),
        "fee_open": _f(trade.fee_open),
        "fee_open_cost": _f(trade.fee_open_cost) if trade.filled_entries else None,
        "fee_open_currency": trade.fee_open_currency,
        "fee_close": _f(trade.fee_close),
        "fee_close_cost": _f(trade.fee_close_cost) if trade.filled_exits else None,
        "fee_close_currency": trade.fee_close_currency,
        "open_rate": float(trade.open_rate),
        "open_rate_requested": _f(trade.open_rate_requested),
        "open_trade_value": _f8(trade.open_trade_value),
        "realized_profit": float(trade.realized_profit or 0),
        "min_rate": _nonzero(trade.min_rate),
        "max_rate": _nonzero(trade.max_rate),
    }


def _close_fields(trade: Trade) -> dict[str, Any]:
    ratio = trade.close_profit
    seconds = None
    if trade.close_date is not None:
        seconds = int((trade.close_date - trade.open_date).total_seconds())
    return {
        "close_date": trade.close_date,
        "close_timestamp": _ms(trade.close_date),
        "close_rate": _f(trade.close_rate),
        "close_rate_requested": _f(trade.close_rate_requested),
        "close_profit": ratio,
        "close_profit_pct": _pct(ratio),
        "close_profit_abs": _f(trade.close_profit_abs),
        "realized_profit_ratio": ratio or None,
        "trade_duration_s": seconds,
        "trade_duration": None if seconds is None else seconds // 60,
        "profit_ratio": ratio,
        "profit_pct": _pct(ratio),
        "profit_abs": _f(trade.close_profit_abs),
        "exit_reason": trade.exit_reason,
        "exit_order_status": trade.exit_order_status,
    }


def _stop_fields(trade: Trade) -> dict[str, Any]:
    updated = _stoploss_update(trade)
    return {
        "stop_loss_abs": _nonzero(trade.stop_loss),
        "stop_loss_ratio": _nonzero(trade.stop_loss_pct),
        "stop_loss_pct": trade.stop_loss_pct * 100 if trade.stop_loss_pct else None,
        "stoploss_last_update": updated,
        "stoploss_last_update_timestamp": _ms(updated),
        "initial_stop_loss_abs": _nonzero(trade.initial_stop_loss),
        "initial_stop_loss_ratio": _nonzero(trade.initial_stop_loss_pct),
        "initial_stop_loss_pct": (
            trade.initial_stop_loss_pct * 100 if trade.initial_stop_loss_pct else None
        ),
    }


def raw_trade(trade: Trade, ctx: BotContext | None = None) -> trades_raw.RawTradeDict:
    """The raw trade dict of `GET /trades` (§5.0.2), keys in wire order."""
    fields = _trade_fields(trade)
    for key in _DATE_KEYS:  # the raw form carries dates as text (no model formats them)
        fields[key] = _text(fields[key])
    fields["orders"] = [raw_order(o, trade) for o in listed_orders(trade)]
    return trades_raw.raw_trade(**fields)


def _model_fields(trade: Trade) -> dict[str, Any]:
    fields = _trade_fields(trade)
    model = {key: fields[key] for key in _MODEL_KEYS}
    model["orders"] = [order_schema(o) for o in listed_orders(trade)]
    return model


def trade_schema(trade: Trade, ctx: BotContext | None = None) -> TradeSchema:
    """The model form (§5.0.3): the force-enter answer."""
    return TradeSchema(**_model_fields(trade))


# -- open-trade form ----------------------------------------------------------------------------
def open_trade_schema(
    trade: Trade, current_rate: float | None, ctx: BotContext | None = None
) -> OpenTradeSchema:
    """The open-trade form (§5.0.4) of `trade`, valued at `current_rate` when it is open.

    `current_rate` is the exit-side price (None when pricing failed); closed trades are shown
    with their close rate and realized profit whatever is passed.
    """
    fields = _model_fields(trade)
    if trade.is_open:
        rate = current_rate if current_rate is not None and math.isfinite(current_rate) else None
        fields.update(_open_profit(trade, rate))
        fields["close_profit"] = None
    else:
        rate = float(trade.close_rate or 0)
        ratio = trade.close_profit
        fields.update(
            current_rate=rate,
            profit_pct=None if ratio is None else round(ratio * 100, 2),
            total_profit_abs=0.0,
            total_profit_ratio=None,
        )
    fields.update(_stoploss_distances(trade, rate))
    return OpenTradeSchema(**fields)


def _open_profit(trade: Trade, rate: float | None) -> dict[str, Any]:
    """Profit of an open trade if it were exited now at `rate` (fees included)."""
    if not trade.filled_entries:
        return {
            "current_rate": rate,
            "profit_ratio": 0.0,
            "profit_pct": 0.0,
            "profit_abs": 0.0,
            "total_profit_abs": 0.0,
            "total_profit_ratio": None,
        }
    if rate is None:  # pricing failed: the profit is unknown, not zero
        return dict.fromkeys(_OPEN_PROFIT_KEYS)
    figures = trade.profit_at(to_decimal(rate))
    invested = _invested(trade)
    ratio = round(figures.ratio, 8)
    return {
        "current_rate": rate,
        "profit_ratio": ratio,
        "profit_pct": round(ratio * 100, 2),
        "profit_abs": round(float(figures.abs), 8),
        "total_profit_abs": round(float(figures.total_abs), 8),
        "total_profit_ratio": round(float(figures.total_abs / invested), 8) if invested else None,
    }


def _invested(trade: Trade) -> Decimal:
    """What the entries cost, fees included (the basis of the total profit ratio)."""
    return sum((o.cost + o.fee_quote for o in trade.filled_entries), Decimal(0))


def _stoploss_distances(trade: Trade, rate: float | None) -> dict[str, Any]:
    """Distance of the stop from `rate`, and the profit the trade would realize at the stop."""
    result: dict[str, Any] = dict.fromkeys(
        (
            "stoploss_current_dist",
            "stoploss_current_dist_pct",
            "stoploss_current_dist_ratio",
            "stoploss_entry_dist",
            "stoploss_entry_dist_ratio",
        )
    )
    if not trade.stop_loss:
        return result
    stop = to_decimal(trade.stop_loss)
    at_stop = trade.profit_at(stop)
    result["stoploss_entry_dist"] = round(float(at_stop.abs), 8)
    result["stoploss_entry_dist_ratio"] = round(at_stop.ratio, 8)
    if rate:
        step = to_decimal(trade.price_precision) if trade.price_precision else None
        distance = float(round_price(stop - to_decimal(rate), step))
        ratio = round(distance / rate, 8)
        result["stoploss_current_dist"] = distance
        result["stoploss_current_dist_ratio"] = ratio
        result["stoploss_current_dist_pct"] = round(ratio * 100, 2)
    return result
