"""Market rules (tick sizes, minimums, fees) the simulated exchange derives from price levels."""

from __future__ import annotations

import math
from decimal import Decimal

from tradewind.domain.pairs import split_pair
from tradewind.exchange.port import Market

# Smallest order value per quote currency, in the spirit of real exchanges' "min notional".
_MIN_COST = {
    "USDT": Decimal(5),
    "USDC": Decimal(5),
    "BUSD": Decimal(5),
    "USD": Decimal(5),
    "EUR": Decimal(5),
    "BTC": Decimal("0.0001"),
    "ETH": Decimal("0.001"),
    "BNB": Decimal("0.01"),
}
_DEFAULT_MIN_COST = Decimal(1)


def derive_market(pair: str, price: float, fee: Decimal) -> Market:
    """Rules that look like a real exchange's for a pair trading around `price`.

    Prices get about six significant digits (tick = 10^(floor(log10 price) - 5)); amounts a
    step of about 1% of the smallest order, capped at 1 for very cheap coins; the minimum
    amount is ten steps.
    """
    base, quote = split_pair(pair)
    min_cost = _MIN_COST.get(quote, _DEFAULT_MIN_COST)
    price_step = Decimal(1).scaleb(math.floor(math.log10(price)) - 5)
    amount_exponent = min(math.floor(math.log10(float(min_cost) / price)) - 2, 0)
    amount_step = Decimal(1).scaleb(max(amount_exponent, -8))
    return Market(
        symbol=pair,
        base=base,
        quote=quote,
        active=True,
        amount_step=amount_step,
        price_step=price_step,
        min_amount=amount_step * 10,
        min_cost=min_cost,
        maker_fee=fee,
        taker_fee=fee,
        spot=True,
    )
