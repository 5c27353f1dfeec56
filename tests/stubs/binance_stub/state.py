"""The stub's shared state and the parameter helpers its endpoint handlers use."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tests.stubs.binance_stub.account import (
    Account,
    StubError,
)
from tests.stubs.binance_stub.faults import FaultPlan
from tests.stubs.binance_stub.replay import Listing

INTERVALS = {
    "1m": 1,
    "3m": 3,
    "5m": 5,
    "15m": 15,
    "30m": 30,
    "1h": 60,
    "2h": 120,
    "4h": 240,
    "6h": 360,
    "8h": 480,
    "12h": 720,
    "1d": 1440,
    "3d": 4320,
    "1w": 10080,
}
MAX_KLINES = 1000
DEFAULT_KLINES = 500
DAY_MS = 86_400_000

Params = dict[str, str]
Payload = Any


@dataclass
class StubState:
    """Everything the endpoints read and change (guarded by the server's lock)."""

    listings: dict[str, Listing]
    account: Account
    now_ms: int
    spread: float = 0.0005
    faults: FaultPlan = field(default_factory=FaultPlan)

    def listing(self, params: Params) -> Listing:
        symbol = params.get("symbol")
        if symbol is None:
            raise StubError(400, -1102, "Mandatory parameter 'symbol' was not sent.")
        listing = self.listings.get(symbol)
        if listing is None:
            raise StubError(400, -1121, "Invalid symbol.")
        return listing

    def touch(self, listing: Listing) -> tuple[Decimal, Decimal, Decimal]:
        """(bid, ask, last) on the tick grid, half a spread either side of the path price."""
        tick = listing.rules.tick
        price = listing.series.price_at(self.now_ms)
        ticks = float(tick)
        bid = Decimal(math.floor(price * (1 - self.spread / 2) / ticks)) * tick
        ask = Decimal(math.ceil(price * (1 + self.spread / 2) / ticks)) * tick
        ask = max(ask, bid + tick)
        last = min(max(Decimal(round(price / ticks)) * tick, bid), ask)
        return bid, ask, last

    def advance_to(self, now_ms: int) -> None:
        """Move market time forward and fill the resting orders the path crossed."""
        if now_ms < self.now_ms:
            raise ValueError("the stub's clock only moves forward")
        self.now_ms = now_ms
        self.account.match(self.listings, now_ms, self.faults.partial_share)


def num(value: float | Decimal, places: int = 8) -> str:
    return f"{value:.{places}f}"


def as_int(params: Params, name: str) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise StubError(400, -1100, f"Illegal characters found in parameter '{name}'.") from None


def as_decimal(params: Params, name: str) -> Decimal | None:
    value = params.get(name)
    if value is None:
        return None
    try:
        return Decimal(value)
    except ArithmeticError:
        raise StubError(400, -1100, f"Illegal characters found in parameter '{name}'.") from None
