"""ccxt order structures mapped to `OrderUpdate`, with the fee taken from the fills."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from tradewind.domain.enums import OrderStatus
from tradewind.domain.money import ZERO, to_decimal
from tradewind.domain.order import OrderUpdate

log = logging.getLogger(__name__)

_STATUS = {
    "open": OrderStatus.OPEN,
    "canceling": OrderStatus.OPEN,  # still working until the exchange confirms
    "closed": OrderStatus.CLOSED,
    "canceled": OrderStatus.CANCELED,
    "cancelled": OrderStatus.CANCELED,
    "expired": OrderStatus.EXPIRED,
    "rejected": OrderStatus.REJECTED,
}


@dataclass(frozen=True)
class Fee:
    """What an order paid in fees, in one currency."""

    cost: Decimal
    currency: str | None


def _dec(value: Any) -> Decimal | None:
    if value is None:
        return None
    return to_decimal(value if isinstance(value, int | float | str | Decimal) else str(value))


def total_fee(entries: Iterable[Mapping[str, Any] | None]) -> Fee | None:
    """The sum of fee entries (ccxt `{"cost", "currency"}`); None when there is none.

    An order paid in several currencies (e.g. BNB and the quote) cannot be booked as one fee:
    the currency of the first entry is kept and the others are logged.
    """
    fees = [entry for entry in entries if entry and entry.get("cost") is not None]
    if not fees:
        return None
    currency = fees[0].get("currency")
    total = sum((_dec(f["cost"]) or ZERO for f in fees if f.get("currency") == currency), ZERO)
    others = [f for f in fees if f.get("currency") != currency]
    if others:
        log.warning("order fees in several currencies; booking %s %s, ignoring %s",
                    total, currency, others)  # fmt: skip
    return Fee(total, currency)


def order_fee(raw: Mapping[str, Any]) -> Fee | None:
    """The fee a ccxt order structure reports (its `fees` list, else its `fee`)."""
    fees = raw.get("fees") or []
    return total_fee(fees if fees else [raw.get("fee")])


def trades_fee(trades: Iterable[Mapping[str, Any]]) -> Fee:
    """The fee of an order from its trades (zero when the trades report none)."""
    fee = total_fee(trade.get("fee") for trade in trades)
    return fee if fee is not None else Fee(ZERO, None)


def _when(milliseconds: Any) -> datetime | None:
    if milliseconds is None:
        return None
    return datetime.fromtimestamp(int(milliseconds) / 1000, tz=UTC)


def to_update(
    raw: Mapping[str, Any],
    *,
    pair: str,
    requested: Decimal | None,
    now: datetime,
    fee: Fee | None,
) -> OrderUpdate:
    """An `OrderUpdate` from a ccxt order; `requested` fills in an amount ccxt left out."""
    status = _STATUS.get(str(raw.get("status") or "open").lower(), OrderStatus.OPEN)
    filled = _dec(raw.get("filled")) or ZERO
    amount = _dec(raw.get("amount")) or requested or filled
    average = _dec(raw.get("average"))
    cost = _dec(raw.get("cost"))
    if cost is None:
        cost = filled * average if average is not None else ZERO
    if average is None and filled > 0 and cost > 0:
        average = cost / filled
    stamp = raw.get("lastUpdateTimestamp") or raw.get("lastTradeTimestamp") or raw.get("timestamp")
    client_id = raw.get("clientOrderId")
    return OrderUpdate(
        order_id=str(raw["id"]),
        client_order_id=None if client_id is None else str(client_id),
        pair=str(raw.get("symbol") or pair),
        side=str(raw.get("side") or "").lower(),
        order_type=str(raw.get("type") or "").lower(),
        status=status,
        amount=amount,
        filled=filled,
        price=_dec(raw.get("price")) or None,  # some exchanges report 0 for market orders
        average=average,
        cost=cost,
        fee_cost=fee.cost if fee is not None else ZERO,
        fee_currency=fee.currency if fee is not None else None,
        timestamp=_when(stamp) or now,
        fill_timestamp=_when(raw.get("lastTradeTimestamp")),
    )
