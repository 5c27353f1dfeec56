"""An order as the bot books it: requested on the bot side, updated from the exchange's view.

State moves only forward: an order placed locally ("open", no exchange id yet) becomes known to
the exchange, fills (partly or fully) and ends closed, canceled, expired or rejected. A filled
amount never decreases and a finished order never reopens; `apply_update` refuses such moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tradewind.domain.enums import OrderStatus
from tradewind.domain.money import ZERO

TERMINAL_STATUSES = frozenset(
    {OrderStatus.CLOSED, OrderStatus.CANCELED, OrderStatus.EXPIRED, OrderStatus.REJECTED}
)

ENTRY = "buy"
EXIT = "sell"
STOPLOSS = "stoploss"


class OrderTransitionError(ValueError):
    """An update would move an order backwards (reopen it or un-fill it)."""


@dataclass(frozen=True)
class OrderUpdate:
    """The exchange's current view of one order (what fetch/create/cancel return)."""

    order_id: str
    client_order_id: str | None
    pair: str
    side: str
    order_type: str
    status: OrderStatus
    amount: Decimal
    filled: Decimal
    price: Decimal | None
    average: Decimal | None
    cost: Decimal
    fee_cost: Decimal
    fee_currency: str | None
    timestamp: datetime
    fill_timestamp: datetime | None = None

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.filled


@dataclass(eq=False)
class Order:
    """One order of a trade. Money fields are Decimal; `cost` and fees are in quote currency
    except `fee_base`, a fee the exchange took in base currency (reducing the amount received)."""

    ft_pair: str
    ft_order_side: str  # "buy" (entry), "sell" (exit) or "stoploss"
    side: str  # exchange side: "buy" / "sell"
    order_type: str  # "limit" / "market"
    ft_amount: Decimal
    ft_price: Decimal
    client_order_id: str
    order_date: datetime
    ft_order_tag: str | None = None
    order_id: str | None = None
    status: str = OrderStatus.OPEN
    ft_is_open: bool = True
    price: Decimal | None = None
    average: Decimal | None = None
    amount: Decimal | None = None
    filled: Decimal = ZERO
    remaining: Decimal | None = None
    cost: Decimal = ZERO
    fee_cost: Decimal = ZERO
    fee_currency: str | None = None
    fee_base: Decimal | None = None
    order_filled_date: datetime | None = None
    order_update_date: datetime | None = None
    ft_cancel_reason: str | None = None
    """Why the bot cancelled the order (timeout, user request, …), if it did."""
    id: int | None = None
    trade_id: int | None = None

    @property
    def is_entry(self) -> bool:
        return self.ft_order_side == ENTRY

    @property
    def is_placed(self) -> bool:
        """The exchange acknowledged the order (we know its id)."""
        return self.order_id is not None

    @property
    def safe_price(self) -> Decimal:
        return self.average or self.price or self.ft_price

    @property
    def fee_quote(self) -> Decimal:
        """Fee paid in quote currency (zero when the exchange charged base currency)."""
        return self.fee_cost if self.fee_base is None else ZERO

    @property
    def net_filled(self) -> Decimal:
        """Base amount actually received (entries) or delivered (exits)."""
        return self.filled - (self.fee_base or ZERO)

    def acknowledge(self, order_id: str) -> None:
        """The exchange accepted the order under `order_id`."""
        if self.order_id is not None and self.order_id != order_id:
            raise OrderTransitionError(
                f"order {self.client_order_id} already has exchange id {self.order_id}"
            )
        self.order_id = order_id

    def apply_update(self, update: OrderUpdate, base_currency: str) -> Decimal:
        """Take the exchange's view; returns the newly filled amount (>= 0)."""
        if update.filled < self.filled:
            raise OrderTransitionError(
                f"order {self.order_id}: filled would drop from {self.filled} to {update.filled}"
            )
        if not self.ft_is_open and update.status == OrderStatus.OPEN:
            raise OrderTransitionError(f"order {self.order_id} is finished and cannot reopen")
        self.acknowledge(update.order_id)
        delta = update.filled - self.filled
        self.status = update.status
        self.amount = update.amount
        self.filled = update.filled
        self.remaining = update.remaining
        self.price = update.price if update.price is not None else self.price
        self.average = update.average if update.average is not None else self.average
        self.cost = update.cost
        self.fee_cost = update.fee_cost
        self.fee_currency = update.fee_currency
        self.fee_base = update.fee_cost if update.fee_currency == base_currency else None
        self.order_update_date = update.timestamp
        if delta > 0:
            self.order_filled_date = update.fill_timestamp or update.timestamp
        if update.status in TERMINAL_STATUSES:
            self.ft_is_open = False
        return delta

    def mark_never_placed(self, when: datetime) -> None:
        """The exchange has no record of this order (it was never placed)."""
        if self.filled > 0:
            raise OrderTransitionError(f"order {self.client_order_id} has fills; it was placed")
        self.status = OrderStatus.CANCELED
        self.ft_is_open = False
        self.remaining = ZERO
        self.order_update_date = when
