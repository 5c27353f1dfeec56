"""The exchange port: the small async interface the engine trades through.

`SimulatedExchange` (offline) and the ccxt adapter implement it. With `dry_run` both route
orders to a `PaperBroker` that fills them against market prices; live ccxt sends them to the
exchange. The engine never knows which implementation it talks to.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from tradewind.domain.order import Order, OrderUpdate

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Market:
    """One tradable symbol with its precision (tick sizes) and minimums."""

    symbol: str
    base: str
    quote: str
    active: bool = True
    amount_step: Decimal | None = None
    price_step: Decimal | None = None
    min_amount: Decimal | None = None
    min_cost: Decimal | None = None
    maker_fee: Decimal = Decimal("0.001")
    taker_fee: Decimal = Decimal("0.001")
    spot: bool = True


@dataclass(frozen=True)
class Ticker:
    pair: str
    bid: float
    ask: float
    last: float
    timestamp: datetime


@dataclass(frozen=True)
class OrderBook:
    pair: str
    bids: list[tuple[float, float]]  # (price, amount), best first
    asks: list[tuple[float, float]]
    timestamp: datetime


@dataclass(frozen=True)
class Balance:
    currency: str
    free: Decimal
    used: Decimal

    @property
    def total(self) -> Decimal:
        return self.free + self.used


OHLCV_COLUMNS = ("date", "open", "high", "low", "close", "volume")
STOP_LOSS_LIMIT = "stop_loss_limit"
"""The order type the bot books for its stop orders (`create_stoploss_order`)."""


@runtime_checkable
class Exchange(Protocol):
    """What the engine needs from an exchange. All prices/amounts of orders are Decimal."""

    @property
    def name(self) -> str:
        """Lower-case exchange id ("simulated", "binance", ...)."""
        ...

    @property
    def dry_run(self) -> bool: ...

    @property
    def markets(self) -> Mapping[str, Market]:
        """Markets loaded by the last `load_markets` call."""
        ...

    async def load_markets(self, *, reload: bool = False) -> Mapping[str, Market]: ...

    async def fetch_ohlcv(
        self, pair: str, timeframe: str, since: datetime | None = None, limit: int | None = None
    ) -> pd.DataFrame:
        """Candles (columns OHLCV_COLUMNS, `date` aware UTC open time, ascending) with open time
        >= `since` (or the most recent `limit` when `since` is None). The last row may be the
        still-forming candle; callers drop it."""
        ...

    async def fetch_ticker(self, pair: str) -> Ticker: ...

    async def fetch_order_book(self, pair: str, depth: int = 5) -> OrderBook: ...

    async def create_order(  # noqa: PLR0917 - mirrors the exchange call
        self,
        pair: str,
        side: str,
        order_type: str,
        amount: Decimal,
        price: Decimal | None,
        client_order_id: str,
    ) -> OrderUpdate:
        """Place an order. Raises OrderRejected (incl. below-minimum amounts), InsufficientFunds,
        ExchangeUnavailable/RateLimited (retry later: look the order up by client id first)."""
        ...

    @property
    def supports_stoploss_orders(self) -> bool:
        """True when `create_stoploss_order` can rest a stop order on this exchange."""
        ...

    async def create_stoploss_order(
        self,
        pair: str,
        amount: Decimal,
        stop_price: Decimal,
        limit_price: Decimal,
        client_order_id: str,
    ) -> OrderUpdate:
        """Rest a stop-limit sell: once the market trades at or below `stop_price` it becomes a
        limit sell of `amount` at `limit_price`. It is then fetched, found by client id and
        cancelled like any order. Raises OrderRejected when the exchange takes no stop orders or
        the stop would trigger at once (the price is already at or below it), and the errors of
        `create_order` otherwise."""
        ...

    async def fetch_order(self, order_id: str, pair: str) -> OrderUpdate: ...

    async def fetch_order_by_client_id(self, client_order_id: str, pair: str) -> OrderUpdate | None:
        """The order placed under `client_order_id`, or None if the exchange never got it."""
        ...

    async def cancel_order(self, order_id: str, pair: str) -> OrderUpdate:
        """Cancel; returns the final view (an order that filled meanwhile comes back closed)."""
        ...

    async def fetch_balance(self) -> Mapping[str, Balance]: ...

    def adopt_open_orders(self, orders: Sequence[Order]) -> None:
        """After a restart, take over the bot's open orders (the paper broker re-registers
        them; a live exchange already knows them)."""
        ...

    def fee_rate(self, pair: str, *, taker: bool = True) -> Decimal: ...

    async def close(self) -> None: ...
