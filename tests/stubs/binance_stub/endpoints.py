"""The subset of Binance's spot REST API (v3) that ccxt's `binance` calls for tradewind.

Each handler takes the stub's state and the request parameters and returns the JSON payload,
or raises StubError with Binance's error code and message. Numbers go out as strings with
Binance's formatting, as the real API does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.stubs.binance_stub import private_api as private
from tests.stubs.binance_stub import public_api as public
from tests.stubs.binance_stub.state import Params, Payload, StubState

__all__ = ["ENDPOINTS", "Endpoint", "Params", "StubState"]

Handler = Callable[[StubState, Params], Payload]


@dataclass(frozen=True)
class Endpoint:
    handler: Handler
    private: bool = False


ENDPOINTS: dict[tuple[str, str], Endpoint] = {
    ("GET", "/api/v3/ping"): Endpoint(public.ping),
    ("GET", "/api/v3/time"): Endpoint(public.server_time),
    ("GET", "/api/v3/exchangeInfo"): Endpoint(public.exchange_info),
    ("GET", "/api/v3/klines"): Endpoint(public.klines_endpoint),
    ("GET", "/api/v3/ticker/24hr"): Endpoint(public.ticker_24hr),
    ("GET", "/api/v3/ticker/bookTicker"): Endpoint(public.book_ticker),
    ("GET", "/api/v3/depth"): Endpoint(public.depth),
    ("POST", "/api/v3/order"): Endpoint(private.create_order, private=True),
    ("GET", "/api/v3/order"): Endpoint(private.query_order, private=True),
    ("DELETE", "/api/v3/order"): Endpoint(private.cancel_order, private=True),
    ("GET", "/api/v3/openOrders"): Endpoint(private.open_orders, private=True),
    ("GET", "/api/v3/allOrders"): Endpoint(private.all_orders, private=True),
    ("GET", "/api/v3/myTrades"): Endpoint(private.my_trades, private=True),
    ("GET", "/api/v3/account"): Endpoint(private.account, private=True),
}
