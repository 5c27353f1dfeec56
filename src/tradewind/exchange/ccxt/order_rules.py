"""Order sizing before anything is sent: kind checks, rounding to the market's steps and the
exchange's minimums, refused with a message naming the pair, the amount and the minimum."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tradewind.domain.money import round_price, round_to_step
from tradewind.errors import OrderRejected
from tradewind.exchange.ccxt.markets import SIGNIFICANT_DIGITS, significant_step
from tradewind.exchange.port import Market


def order_steps(
    market: Market, raw: Mapping[str, Any], mode: int, amount: Decimal, price: Decimal
) -> tuple[Decimal | None, Decimal | None]:
    """(amount step, price step) for an order of `amount` at `price`."""
    if mode != SIGNIFICANT_DIGITS:
        return market.amount_step, market.price_step
    precision = raw.get("precision") or {}
    amount_digits, price_digits = precision.get("amount"), precision.get("price")
    return (
        significant_step(amount, int(amount_digits)) if amount_digits else None,
        significant_step(price, int(price_digits)) if price_digits else None,
    )


def rounded_order(
    amount: Decimal, price: Decimal | None, steps: tuple[Decimal | None, Decimal | None]
) -> tuple[Decimal, Decimal | None]:
    """The amount rounded down to its step and the price to the nearest tick."""
    amount_step, price_step = steps
    return round_to_step(amount, amount_step), (
        None if price is None else round_price(price, price_step)
    )


def checked_kind(pair: str, side: str, order_type: str, price: Decimal | None) -> tuple[str, str]:
    side, order_type = side.lower(), order_type.lower()
    if side not in ("buy", "sell"):
        raise OrderRejected(f"{pair}: unknown order side '{side}' (expected buy or sell)")
    if order_type not in ("limit", "market"):
        raise OrderRejected(f"{pair}: unsupported order type '{order_type}'")
    if order_type == "limit" and (price is None or price <= 0):
        raise OrderRejected(f"{pair}: a limit order needs a positive price, got {price}")
    return side, order_type


def check_minimums(market: Market, amount: Decimal, price: Decimal) -> None:
    """Refuse, before any order call, what the exchange would refuse for its size."""
    pair = market.symbol
    if amount <= 0:
        raise OrderRejected(
            f"{pair}: amount rounds to 0 at the amount step {market.amount_step} "
            f"(minimum amount {market.min_amount})"
        )
    if market.min_amount is not None and amount < market.min_amount:
        raise OrderRejected(
            f"{pair}: amount {amount} is below the minimum amount {market.min_amount}"
        )
    cost = amount * price
    if market.min_cost is not None and cost < market.min_cost:
        raise OrderRejected(
            f"{pair}: order cost {cost.normalize()} (amount {amount} at {price}) is below the "
            f"minimum cost {market.min_cost} {market.quote}"
        )
