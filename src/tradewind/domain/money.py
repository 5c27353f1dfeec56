"""Exact money arithmetic: Decimal at the point where orders are created and booked."""

from __future__ import annotations

import math
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
ONE = Decimal(1)


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """Decimal from a float via its shortest repr: 0.1 → Decimal("0.1"), not the binary value."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value}")
        return Decimal(repr(value))
    try:
        return Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {value!r}") from exc


def round_to_step(value: Decimal, step: Decimal | None, *, up: bool = False) -> Decimal:
    """Round `value` down (or up) to a multiple of `step` (exchange precision as a tick size)."""
    if step is None or step <= 0:
        return value
    units = (value / step).to_integral_value(rounding=ROUND_UP if up else ROUND_DOWN)
    return (units * step).normalize() if units else ZERO


def round_price(value: Decimal, step: Decimal | None) -> Decimal:
    """Nearest multiple of the price tick (half-even), never zero for a positive price."""
    if step is None or step <= 0:
        return value
    units = (value / step).to_integral_value(rounding=ROUND_HALF_EVEN)
    if units <= 0 < value:
        units = ONE
    return (units * step).normalize()


def as_float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def round8(value: float) -> float:
    return round(value, 8)
