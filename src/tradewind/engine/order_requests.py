"""What the order manager is given: entry requests, the `unfilledtimeout` settings and the
strategy's order callbacks."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from tradewind.domain.order import Order
from tradewind.domain.trade import Trade


class OrderCallbacks(Protocol):
    """Strategy hooks around orders (the engine wires the strategy runner in)."""

    def order_filled(self, trade: Trade, order: Order, now: datetime) -> None: ...

    def check_entry_timeout(self, trade: Trade, order: Order, now: datetime) -> bool: ...

    def check_exit_timeout(self, trade: Trade, order: Order, now: datetime) -> bool: ...


@dataclass(frozen=True)
class Timeouts:
    """`unfilledtimeout`: how long an order may stay unfilled before it is cancelled."""

    entry: timedelta | None = None
    exit: timedelta | None = None
    exit_timeout_count: int = 0

    @classmethod
    def from_config(cls, section: object) -> Timeouts:
        if not section:
            return cls()
        data = dict(section) if isinstance(section, Mapping) else section.model_dump()  # type: ignore[attr-defined]
        unit = data.get("unit") or "minutes"
        scale = 60 if unit == "minutes" else 1

        def span(value: float | None) -> timedelta | None:
            return None if value is None else timedelta(seconds=float(value) * scale)

        return cls(
            entry=span(data.get("entry")),
            exit=span(data.get("exit")),
            exit_timeout_count=int(data.get("exit_timeout_count") or 0),
        )


@dataclass(frozen=True)
class EntryRequest:
    pair: str
    amount: Decimal
    rate: Decimal
    order_type: str
    enter_tag: str | None
    stake_currency: str
    base_currency: str
    fee_rate: Decimal
    amount_precision: float | None = None
    price_precision: float | None = None
