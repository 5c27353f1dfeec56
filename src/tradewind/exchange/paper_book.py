"""A synthetic order book around a quote, and walking it to price a taker fill.

The paper broker has no real book, so it assumes one: `levels` price levels on each side,
each `step` (relative) further from the touch than the previous one, holding amounts that grow
with the distance. Walking it gives market orders a fill price that gets worse with size,
which is what keeps big simulated orders honest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from tradewind.domain.money import ZERO, round_price, round_to_step, to_decimal

BUY = "buy"
SELL = "sell"


@dataclass(frozen=True)
class BookShape:
    """How deep the assumed book is.

    level_amount: base amount at the touch (each further level holds one more such amount).
    step: relative price distance between levels. levels: levels shown by `book_side`.
    """

    level_amount: float
    step: float = 0.0005
    levels: int = 10


def book_side(
    touch: float, shape: BookShape, *, side: str, depth: int
) -> list[tuple[float, float]]:
    """The first `depth` levels as (price, amount), best first; `side` is "bids" or "asks"."""
    sign = -1.0 if side == "bids" else 1.0
    return [
        (touch * (1.0 + sign * shape.step * index), shape.level_amount * (index + 1))
        for index in range(depth)
    ]


def _levels(touch: Decimal, shape: BookShape, sign: int) -> Iterator[tuple[Decimal, Decimal]]:
    """Endless levels (price, amount) away from the touch; prices never reach zero."""
    step = to_decimal(shape.step)
    unit = to_decimal(shape.level_amount)
    index = 0
    while True:
        factor = max(Decimal(1) + sign * step * index, Decimal("0.01"))
        yield touch * factor, unit * (index + 1)
        index += 1


@dataclass(frozen=True)
class Fill:
    """The part of an order a walk could fill: amount and its cost (Σ amount × price)."""

    amount: Decimal
    cost: Decimal

    @property
    def average(self) -> Decimal | None:
        return self.cost / self.amount if self.amount else None


def walk(
    touch: float,
    amount: Decimal,
    shape: BookShape,
    *,
    side: str,
    limit: Decimal | None = None,
    price_step: Decimal | None = None,
    amount_step: Decimal | None = None,
) -> Fill:
    """Take `amount` from the book: a buy walks the asks up from `touch`, a sell the bids down.

    Levels priced beyond `limit` are not taken (the rest of a marketable limit order rests).
    Each level's price is rounded to `price_step`, each taken amount down to `amount_step`.
    A book with no depth information (level_amount <= 0) fills everything at the touch.
    """
    touch_price = round_price(to_decimal(touch), price_step)
    if shape.level_amount <= 0 or shape.level_amount != shape.level_amount:
        if limit is not None and not _within(touch_price, limit, side):
            return Fill(ZERO, ZERO)
        return Fill(amount, amount * touch_price)
    sign = 1 if side == BUY else -1
    left, cost = amount, ZERO
    for raw_price, depth in _levels(touch_price, shape, sign):
        price = round_price(raw_price, price_step)
        if limit is not None and not _within(price, limit, side):
            break
        # a level thinner than one amount step still trades one step
        take = min(left, round_to_step(depth, amount_step) or amount_step or depth)
        cost += take * price
        left -= take
        if left <= 0:
            break
    return Fill(amount - left, cost)


def _within(price: Decimal, limit: Decimal, side: str) -> bool:
    return price <= limit if side == BUY else price >= limit
