"""An event loop in a background thread, and an Exchange proxy that runs its calls there.

ccxt's async client belongs to the event loop it first ran in. Tests that call `asyncio.run`
per step (as the contract suite does) would hand it a new loop each time, so the adapter lives
on one LoopThread and `LoopBoundExchange` forwards every coroutine to it.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import pandas as pd

from tradewind.domain.order import Order, OrderUpdate
from tradewind.exchange.port import Balance, Exchange, Market, OrderBook, Ticker

T = TypeVar("T")


class LoopThread:
    """A private event loop running in a daemon thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, name="loop", daemon=True)
        self._thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 120) -> T:
        """Run `coro` on the thread's loop and wait for it (from synchronous code)."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    async def run_async(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run `coro` on the thread's loop and await it from another loop."""
        return await asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coro, self.loop))

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


class LoopBoundExchange:
    """An Exchange whose coroutines run on `thread` (see the module docstring).

    `on_close` callbacks run after the exchange closed (stop the stub, the thread, ...).
    """

    def __init__(
        self, exchange: Exchange, thread: LoopThread, on_close: Sequence[Callable[[], None]] = ()
    ) -> None:
        self.inner = exchange
        self._thread = thread
        self._on_close = list(on_close)

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dry_run(self) -> bool:
        return self.inner.dry_run

    @property
    def markets(self) -> Mapping[str, Market]:
        return self.inner.markets

    async def load_markets(self, *, reload: bool = False) -> Mapping[str, Market]:
        return await self._thread.run_async(self.inner.load_markets(reload=reload))

    async def fetch_ohlcv(
        self, pair: str, timeframe: str, since: datetime | None = None, limit: int | None = None
    ) -> pd.DataFrame:
        return await self._thread.run_async(self.inner.fetch_ohlcv(pair, timeframe, since, limit))

    async def fetch_ticker(self, pair: str) -> Ticker:
        return await self._thread.run_async(self.inner.fetch_ticker(pair))

    async def fetch_order_book(self, pair: str, depth: int = 5) -> OrderBook:
        return await self._thread.run_async(self.inner.fetch_order_book(pair, depth))

    async def create_order(
        self,
        pair: str,
        side: str,
        order_type: str,
        amount: Decimal,
        price: Decimal | None,
        client_order_id: str,
    ) -> OrderUpdate:
        return await self._thread.run_async(
            self.inner.create_order(pair, side, order_type, amount, price, client_order_id)
        )

    @property
    def supports_stoploss_orders(self) -> bool:
        return self.inner.supports_stoploss_orders

    async def create_stoploss_order(
        self,
        pair: str,
        amount: Decimal,
        stop_price: Decimal,
        limit_price: Decimal,
        client_order_id: str,
    ) -> OrderUpdate:
        return await self._thread.run_async(
            self.inner.create_stoploss_order(pair, amount, stop_price, limit_price, client_order_id)
        )

    async def fetch_order(self, order_id: str, pair: str) -> OrderUpdate:
        return await self._thread.run_async(self.inner.fetch_order(order_id, pair))

    async def fetch_order_by_client_id(self, client_order_id: str, pair: str) -> OrderUpdate | None:
        return await self._thread.run_async(
            self.inner.fetch_order_by_client_id(client_order_id, pair)
        )

    async def cancel_order(self, order_id: str, pair: str) -> OrderUpdate:
        return await self._thread.run_async(self.inner.cancel_order(order_id, pair))

    async def fetch_balance(self) -> Mapping[str, Balance]:
        return await self._thread.run_async(self.inner.fetch_balance())

    def adopt_open_orders(self, orders: Sequence[Order]) -> None:
        self.inner.adopt_open_orders(orders)

    def fee_rate(self, pair: str, *, taker: bool = True) -> Decimal:
        return self.inner.fee_rate(pair, taker=taker)

    async def close(self) -> None:
        try:
            await self._thread.run_async(self.inner.close())
        finally:
            for callback in self._on_close:
                callback()
