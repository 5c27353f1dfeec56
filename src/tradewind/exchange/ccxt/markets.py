"""ccxt market structures, tickers and balances mapped to the port's `Market`, `Ticker` and
`Balance`.

ccxt reports precision in one of three modes (its `precisionMode`): TICK_SIZE (the step
itself, e.g. 0.001), DECIMAL_PLACES (a count of decimals, e.g. 3) or SIGNIFICANT_DIGITS (a count
of significant digits, e.g. 5, whose step depends on the value). The port wants steps, so the
first two become steps at load time; the third has no fixed step and is resolved per order.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from tradewind.domain.money import to_decimal
from tradewind.errors import ExchangeUnavailable
from tradewind.exchange.port import Balance, Market, Ticker

# ccxt's precisionMode values (ccxt.base.decimal_to_precision; public, stable constants)
DECIMAL_PLACES = 2
SIGNIFICANT_DIGITS = 3
TICK_SIZE = 4
DEFAULT_FEE = Decimal("0.001")


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        number = to_decimal(value if isinstance(value, int | float | str | Decimal) else str(value))
    except ValueError:
        return None
    return number if number.is_finite() else None


def precision_step(value: Any, mode: int) -> Decimal | None:
    """The step (tick) a ccxt precision value means; None when it is unknown or value-dependent."""
    number = _decimal(value)
    if number is None or number < 0:
        return None
    if mode == TICK_SIZE:
        return number if number > 0 else None
    if mode == DECIMAL_PLACES:
        return Decimal(1).scaleb(-int(number))
    return None


def significant_step(value: Decimal, digits: int) -> Decimal | None:
    """The step that keeps `digits` significant digits of `value` (SIGNIFICANT_DIGITS mode)."""
    if value <= 0 or digits <= 0:
        return None
    return Decimal(1).scaleb(math.floor(math.log10(value)) - digits + 1)


def to_market(raw: Mapping[str, Any], mode: int, fee: Decimal | None = None) -> Market:
    """A `Market` from a ccxt market structure; `fee` (config `fee`) overrides its fees."""
    precision = raw.get("precision") or {}
    limits = raw.get("limits") or {}
    amount_limits = limits.get("amount") or {}
    cost_limits = limits.get("cost") or {}
    active = raw.get("active")
    return Market(
        symbol=str(raw["symbol"]),
        base=str(raw["base"]),
        quote=str(raw["quote"]),
        active=active is not False,  # ccxt's None means "unknown": assume tradable
        amount_step=precision_step(precision.get("amount"), mode),
        price_step=precision_step(precision.get("price"), mode),
        min_amount=_positive(amount_limits.get("min")),
        min_cost=_positive(cost_limits.get("min")),
        maker_fee=fee if fee is not None else _decimal(raw.get("maker")) or DEFAULT_FEE,
        taker_fee=fee if fee is not None else _decimal(raw.get("taker")) or DEFAULT_FEE,
        spot=bool(raw.get("spot", True)),
    )


def _positive(value: Any) -> Decimal | None:
    number = _decimal(value)
    return number if number is not None and number > 0 else None


def spot_markets(
    raw_markets: Mapping[str, Mapping[str, Any]], mode: int, fee: Decimal | None = None
) -> dict[str, Market]:
    """Every spot market of a ccxt `markets` dict, by unified symbol."""
    return {
        symbol: to_market(raw, mode, fee)
        for symbol, raw in raw_markets.items()
        if raw.get("spot") and raw.get("base") and raw.get("quote")
    }


def to_ticker(pair: str, raw: Mapping[str, Any], now: datetime) -> Ticker:
    """A `Ticker` from a ccxt ticker; a missing side falls back to the last price."""
    last = raw.get("last") or raw.get("close")
    bid = raw.get("bid") or last
    ask = raw.get("ask") or last
    if bid is None or ask is None:
        raise ExchangeUnavailable(f"{pair}: the exchange sent a ticker without prices")
    last = last if last is not None else (bid + ask) / 2
    stamp = raw.get("timestamp")
    return Ticker(pair, float(bid), float(ask), float(last), from_ms(stamp) if stamp else now)


def from_ms(milliseconds: Any) -> datetime:
    """An aware UTC datetime from epoch milliseconds."""
    return pd.Timestamp(int(milliseconds), unit="ms", tz="UTC").to_pydatetime()


def to_balances(raw: Mapping[str, Any]) -> dict[str, Balance]:
    """The currencies of a ccxt balance structure that hold anything (free or in orders)."""
    free, used = raw.get("free") or {}, raw.get("used") or {}
    return {
        currency: Balance(
            currency, to_decimal(free.get(currency) or 0), to_decimal(used.get(currency) or 0)
        )
        for currency, total in (raw.get("total") or {}).items()
        if total or free.get(currency) or used.get(currency)
    }
