"""The stub's control endpoints (under /_stub/), for a stub running in another process.

GET    /_stub/state            {"now": ms, "balances": {...}, "orders": [...]}
POST   /_stub/time             {"now": ms} or {"advance": ms}
POST   /_stub/faults           {"kind": "timeout", "endpoint": "POST /api/v3/order",
                                "times": 1, "delay": 2.0, "status": 503, "retry_after": 1,
                                "share": 0.5}
POST   /_stub/random_faults    {"rate": 0.2, "kinds": ["error5xx", ...],
                                "endpoints": ["/api/v3/order"], "seed": 1, "delay": 2.0}
DELETE /_stub/faults           clear every fault
GET    /_stub/requests         every request received; DELETE clears the list
POST   /_stub/balances         {"BTC": "10"} replaces the balances
POST   /_stub/crash            {"pair": "ETH/BTC", "at": ms, "factor": 0.7} (see BinanceStub.crash)
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.stubs.binance_stub.faults import Fault

if TYPE_CHECKING:
    from tests.stubs.binance_stub.server import BinanceStub

_FAULT_OPTIONS = ("delay", "status", "retry_after", "share")


def _order(order: Any) -> dict[str, Any]:
    return {
        "orderId": order.order_id,
        "clientOrderId": order.client_order_id,
        "symbol": order.symbol,
        "side": order.side,
        "type": order.type,
        "status": order.status,
        "price": str(order.price),
        "stopPrice": str(order.stop_price),
        "origQty": str(order.qty),
        "executedQty": str(order.executed),
        "cummulativeQuoteQty": str(order.quote),
        "fee": str(order.fee),
    }


class _Control:
    """Handlers that drive one stub over HTTP."""

    def __init__(self, stub: BinanceStub) -> None:
        self.stub = stub

    async def state(self, request: web.Request) -> web.Response:
        stub = self.stub
        return web.json_response({
            "now": stub.now_ms,
            "balances": {asset: str(value) for asset, value in stub.balances().items()},
            "orders": [_order(order) for order in stub.orders()],
        })  # fmt: skip

    async def set_time(self, request: web.Request) -> web.Response:
        body = await request.json()
        if "now" in body:
            self.stub.set_time(int(body["now"]))
        else:
            self.stub.advance(int(body["advance"]))
        return web.json_response({"now": self.stub.now_ms})

    async def inject(self, request: web.Request) -> web.Response:
        body = await request.json()
        options = {key: body[key] for key in _FAULT_OPTIONS if key in body}
        self.stub.inject(body["kind"], body.get("endpoint"), int(body.get("times", 1)), **options)
        return web.json_response({"ok": True})

    async def random_faults(self, request: web.Request) -> web.Response:
        body = await request.json()
        options = {key: body[key] for key in _FAULT_OPTIONS if key in body}
        faults = [Fault(kind, **options) for kind in body["kinds"]]
        self.stub.random_faults(float(body["rate"]), faults, body.get("endpoints", ()),
                                int(body.get("seed", 0)))  # fmt: skip
        return web.json_response({"ok": True})

    async def clear_faults(self, request: web.Request) -> web.Response:
        self.stub.clear_faults()
        return web.json_response({"ok": True})

    async def requests(self, request: web.Request) -> web.Response:
        return web.json_response([asdict(record) for record in self.stub.requests])

    async def clear_requests(self, request: web.Request) -> web.Response:
        self.stub.clear_requests()
        return web.json_response({"ok": True})

    async def balances(self, request: web.Request) -> web.Response:
        self.stub.set_balances(await request.json())
        return web.json_response({"ok": True})

    async def crash(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.stub.crash(body["pair"], int(body["at"]), float(body["factor"]))
        return web.json_response({"ok": True})


def control_routes(stub: BinanceStub) -> list[web.RouteDef]:
    """Routes that drive `stub` over HTTP."""
    control = _Control(stub)
    return [
        web.get("/_stub/state", control.state),
        web.post("/_stub/time", control.set_time),
        web.post("/_stub/faults", control.inject),
        web.delete("/_stub/faults", control.clear_faults),
        web.post("/_stub/random_faults", control.random_faults),
        web.get("/_stub/requests", control.requests),
        web.delete("/_stub/requests", control.clear_requests),
        web.post("/_stub/balances", control.balances),
        web.post("/_stub/crash", control.crash),
    ]
