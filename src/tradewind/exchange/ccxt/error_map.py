"""ccxt's exceptions translated once into tradewind's tree (errors.py).

The table is keyed by ccxt's class names (a stable, documented part of its API) and walked along
the raised exception's MRO, so the most specific entry wins (OrderNotFound before InvalidOrder)
and this module does not need to import ccxt.

ccxt class                                    tradewind               the caller should
OrderNotFound                                 OrderNotFound           treat the order as gone
InsufficientFunds                             InsufficientFunds       record and move on
InvalidOrder (incl. DuplicateOrderId, …)      OrderRejected           record and move on
BadSymbol                                     PairNotTradable         drop the pair
AuthenticationError (PermissionDenied, …)     ConfigError             fix the keys, restart
RateLimitExceeded, DDoSProtection (429/418)   RateLimited             slow down, retry later
RequestTimeout, ExchangeNotAvailable,
NetworkError, OperationFailed (5xx, -1001)    ExchangeUnavailable     retry later
anything else                                 ExchangeError
"""

from __future__ import annotations

from collections.abc import Mapping

from tradewind.errors import (
    ConfigError,
    ExchangeError,
    ExchangeUnavailable,
    InsufficientFunds,
    OrderNotFound,
    OrderRejected,
    PairNotTradable,
    RateLimited,
    TradewindError,
)

_BY_CCXT_NAME: Mapping[str, type[TradewindError]] = {
    "OrderNotFound": OrderNotFound,
    "InsufficientFunds": InsufficientFunds,
    "InvalidOrder": OrderRejected,
    "BadSymbol": PairNotTradable,
    "AuthenticationError": ConfigError,
    # Binance answers 429 and 418 with DDoSProtection; both mean "slow down"
    "RateLimitExceeded": RateLimited,
    "DDoSProtection": RateLimited,
    "RequestTimeout": ExchangeUnavailable,
    "ExchangeNotAvailable": ExchangeUnavailable,
    "NetworkError": ExchangeUnavailable,
    # Binance's -1000/-1001 "internal error, try again": temporary, outcome unknown
    "OperationFailed": ExchangeUnavailable,
    "ExchangeError": ExchangeError,
}


def translate(exc: BaseException, exchange: str) -> TradewindError:
    """The tradewind exception for a ccxt exception raised while talking to `exchange`."""
    for cls in type(exc).__mro__:
        target = _BY_CCXT_NAME.get(cls.__name__)
        if target is ConfigError:
            return ConfigError(
                f"exchange.key/secret: {exchange} refused the API credentials or their "
                f"permissions ({type(exc).__name__}: {exc})"
            )
        if target is not None:
            return target(f"{exchange}: {exc}")
    return ExchangeError(f"{exchange}: {type(exc).__name__}: {exc}")


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The `Retry-After` of a response (seconds form), if it sent one."""
    if not headers:
        return None
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(float(value), 0.0)
            except ValueError:
                return None  # the HTTP-date form: fall back to the adapter's own backoff
    return None
