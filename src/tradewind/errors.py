"""The exception tree: each branch tells the caller what to do.

TradewindError
├── ConfigError            refuse to start (message names the key path)
├── DataError              a data file is missing or corrupt
├── ExchangeError
│   ├── ExchangeUnavailable    network trouble, 5xx, timeout: retry later
│   │   └── RateLimited        429/418: slow down, retry later
│   ├── OrderRejected          the exchange refused the order: record and move on
│   │   └── InsufficientFunds
│   ├── OrderNotFound          the exchange does not know the order
│   └── PairNotTradable        unknown or inactive market
├── StrategyError          user code failed: skip that pair for this candle
└── ServiceError           a remote caller asked for something wrong
    ├── NotFound               404 where the API says so
    ├── InvalidRequest         bot-logic error (502 {"error": ...} on the wire)
    └── WrongState             the bot's state forbids the action
"""

from __future__ import annotations


class TradewindError(Exception):
    """Base of every error tradewind raises on purpose."""


class ConfigError(TradewindError):
    """The configuration is unusable; the bot refuses to start."""


class DataError(TradewindError):
    """OHLCV data on disk is missing or cannot be read."""


class ExchangeError(TradewindError):
    """Something went wrong talking to the exchange."""


class ExchangeUnavailable(ExchangeError):
    """Temporary: network error, timeout, 5xx. Retry later."""


class RateLimited(ExchangeUnavailable):
    """The exchange asked us to slow down (429/418)."""


class OrderRejected(ExchangeError):
    """The exchange refused the order; retrying will not help."""


class InsufficientFunds(OrderRejected):
    """Not enough balance for the order."""


class OrderNotFound(ExchangeError):
    """The exchange does not know this order."""


class PairNotTradable(ExchangeError):
    """The pair is not listed or not active on the exchange."""


class StrategyError(TradewindError):
    """User strategy code raised or returned something unusable."""

    def __init__(self, pair: str, cause: str | BaseException) -> None:
        self.pair = pair
        self.cause = cause
        super().__init__(f"strategy failed on {pair}: {cause}")


class ServiceError(TradewindError):
    """A remote caller's request cannot be honoured."""


class NotFound(ServiceError):
    """The requested object does not exist (HTTP 404 where the API spec says so)."""


class InvalidRequest(ServiceError):
    """A bot-logic refusal: wrong argument or impossible action (HTTP 502 with "error")."""


class WrongState(InvalidRequest):
    """The bot's current state forbids the action."""
