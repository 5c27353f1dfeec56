"""Builders for domain objects used across tests (factories over fixtures)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tradewind.domain.enums import OrderStatus
from tradewind.domain.order import Order, OrderUpdate
from tradewind.domain.trade import Trade

T0 = datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
FEE = Decimal("0.001")
_ids = itertools.count()


def make_trade(pair: str = "ETH/BTC", rate: str = "0.05", amount: str = "2", **kw: object) -> Trade:
    base, quote = pair.split("/")
    fields: dict[str, object] = dict(
        pair=pair,
        base_currency=base,
        stake_currency=quote,
        exchange="simulated",
        strategy="TestStrategy",
        timeframe=5,
        open_date=T0,
        fee_open=FEE,
        fee_close=FEE,
        open_rate_requested=Decimal(rate),
        amount_requested=Decimal(amount),
    )
    fields.update(kw)
    return Trade(**fields)  # type: ignore[arg-type]


def make_order(
    trade: Trade, side: str = "buy", amount: str = "2", price: str = "0.05", when: datetime = T0
) -> Order:
    order = Order(
        ft_pair=trade.pair,
        ft_order_side=side,
        side=side,
        order_type="limit",
        ft_amount=Decimal(amount),
        ft_price=Decimal(price),
        client_order_id=f"c{next(_ids)}-{side}",
        order_date=when,
        amount=Decimal(amount),
        remaining=Decimal(amount),
    )
    trade.add_order(order)
    return order


def fill(
    order: Order,
    trade: Trade,
    filled: str | None = None,
    price: str | None = None,
    status: OrderStatus | None = None,
    when: datetime | None = None,
    fee_rate: Decimal = FEE,
) -> Decimal:
    """Apply an exchange update that fills `order` (fully by default) at its price."""
    amount = order.ft_amount
    done = Decimal(filled) if filled is not None else amount
    rate = Decimal(price) if price is not None else order.ft_price
    cost = done * rate
    state = status or (OrderStatus.CLOSED if done == amount else OrderStatus.OPEN)
    update = OrderUpdate(
        order_id=order.order_id or f"x-{order.client_order_id}",
        client_order_id=order.client_order_id,
        pair=order.ft_pair,
        side=order.side,
        order_type=order.order_type,
        status=state,
        amount=amount,
        filled=done,
        price=order.ft_price,
        average=rate if done else None,
        cost=cost,
        fee_cost=cost * fee_rate,
        fee_currency=trade.stake_currency,
        timestamp=when or order.order_date + timedelta(minutes=1),
    )
    delta = order.apply_update(update, trade.base_currency)
    trade.recalculate()
    return delta
