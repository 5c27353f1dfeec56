"""One order held by the paper broker, and the paper wallet that funds it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from tradewind.domain.enums import OrderStatus
from tradewind.domain.money import ZERO
from tradewind.domain.order import Order, OrderUpdate
from tradewind.errors import InsufficientFunds
from tradewind.exchange.port import STOP_LOSS_LIMIT, Balance, Market


@dataclass(eq=False)
class PaperOrder:
    """Mutable broker-side state of one order; `snapshot()` is what callers get."""

    order_id: str
    client_order_id: str | None
    pair: str
    base: str
    quote: str
    side: str
    order_type: str
    amount: Decimal
    price: Decimal | None
    created: datetime
    checked_until: datetime  # fills are applied for the traded range up to this instant
    status: OrderStatus = OrderStatus.OPEN
    filled: Decimal = ZERO
    cost: Decimal = ZERO
    fee_cost: Decimal = ZERO
    updated: datetime | None = None
    fill_timestamp: datetime | None = None
    stop_price: Decimal | None = None
    """A stop order rests untriggered until the market trades at or below this price."""
    triggered: bool = False

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.filled

    @property
    def awaits_trigger(self) -> bool:
        return self.stop_price is not None and not self.triggered

    @property
    def is_open(self) -> bool:
        return self.status == OrderStatus.OPEN

    def add_fill(self, amount: Decimal, cost: Decimal, fee_rate: Decimal, when: datetime) -> None:
        """Book a fill of `amount` for `cost` (quote); the fee is cost × rate, in quote."""
        if amount <= 0:
            return
        self.filled += amount
        self.cost += cost
        self.fee_cost += cost * fee_rate
        self.fill_timestamp = when
        self.updated = when
        if self.filled >= self.amount:
            self.status = OrderStatus.CLOSED

    def cancel(self, when: datetime) -> None:
        if self.is_open:
            self.status = OrderStatus.CANCELED
            self.updated = when

    def snapshot(self) -> OrderUpdate:
        """The exchange's view of this order right now."""
        return OrderUpdate(
            order_id=self.order_id,
            client_order_id=self.client_order_id,
            pair=self.pair,
            side=self.side,
            order_type=self.order_type,
            status=self.status,
            amount=self.amount,
            filled=self.filled,
            price=self.price,
            average=self.cost / self.filled if self.filled else None,
            cost=self.cost,
            fee_cost=self.fee_cost,
            fee_currency=self.quote,
            timestamp=self.updated or self.created,
            fill_timestamp=self.fill_timestamp,
        )


def adopted_order(order: Order, market: Market | None) -> PaperOrder | None:
    """The broker-side twin of a bot order the exchange acknowledged (None: a kind the broker
    cannot hold). It is matched again from its last update on, so fills that would have
    happened while the bot was down are applied at the next check; a stop that filled a part
    has triggered already."""
    if order.order_id is None or order.order_type not in ("limit", "market", STOP_LOSS_LIMIT):
        return None
    base, quote = (market.base, market.quote) if market else order.ft_pair.split("/", 1)
    is_stop = order.order_type == STOP_LOSS_LIMIT  # its ft_price is the stop price
    return PaperOrder(
        order_id=order.order_id,
        client_order_id=order.client_order_id,
        pair=order.ft_pair,
        base=base,
        quote=quote.split(":", 1)[0],
        side=order.side,
        order_type="limit" if is_stop else order.order_type,
        amount=order.amount if order.amount is not None else order.ft_amount,
        price=order.price if order.price is not None else order.ft_price,
        created=order.order_date,
        checked_until=order.order_update_date or order.order_date,
        status=OrderStatus.OPEN,
        filled=order.filled,
        cost=order.cost,
        fee_cost=order.fee_cost,
        updated=order.order_update_date,
        fill_timestamp=order.order_filled_date,
        stop_price=order.ft_price if is_stop else None,
        triggered=is_stop and order.filled > 0,
    )


class PaperWallet:
    """Balances moved by paper fills; open orders hold back what they may still spend.

    Only used when the broker is given starting balances. In dry-run the engine's own wallet,
    rebuilt from the trades, stays authoritative; this one exists so that `fetch_balance`
    answers and oversized orders are refused the way an exchange would.
    """

    def __init__(self, balances: Mapping[str, Decimal]) -> None:
        self._total: dict[str, Decimal] = dict(balances)

    def book_fill(self, order: PaperOrder, amount: Decimal, cost: Decimal, fee: Decimal) -> None:
        sign = 1 if order.side == "buy" else -1
        self._total[order.base] = self._total.get(order.base, ZERO) + sign * amount
        self._total[order.quote] = self._total.get(order.quote, ZERO) - sign * cost - fee

    def balances(self, open_orders: Iterable[PaperOrder], fee_rate: Decimal) -> dict[str, Balance]:
        used = _held(open_orders, fee_rate)
        currencies = set(self._total) | set(used)
        return {
            currency: Balance(
                currency,
                free=self._total.get(currency, ZERO) - used.get(currency, ZERO),
                used=used.get(currency, ZERO),
            )
            for currency in sorted(currencies)
        }

    def require(
        self,
        currency: str,
        needed: Decimal,
        open_orders: Iterable[PaperOrder],
        fee_rate: Decimal,
        pair: str,
    ) -> None:
        """Raise InsufficientFunds unless `needed` of `currency` is free."""
        free = self._total.get(currency, ZERO) - _held(open_orders, fee_rate).get(currency, ZERO)
        if needed > free:
            raise InsufficientFunds(
                f"{pair}: insufficient {currency} balance: order needs {needed}, free {free}"
            )


def _held(open_orders: Iterable[PaperOrder], fee_rate: Decimal) -> dict[str, Decimal]:
    held: dict[str, Decimal] = {}
    for order in open_orders:
        if order.side == "buy":
            price = order.price or ZERO
            amount = order.remaining * price * (1 + fee_rate)
            held[order.quote] = held.get(order.quote, ZERO) + amount
        else:
            held[order.base] = held.get(order.base, ZERO) + order.remaining
    return held
