"""The stub's HTTP server (aiohttp) and its Python control API, `BinanceStub`.

`BinanceStub.start()` serves on 127.0.0.1 from a background thread with its own event loop;
`serve_forever()` runs the same app in the foreground (the `python -m` entry point). The test
thread and the request handlers share the state under one lock, held only for short,
non-awaiting critical sections.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

from tests.stubs.binance_stub.account import Account, StubError, StubOrder
from tests.stubs.binance_stub.control import control_routes
from tests.stubs.binance_stub.endpoints import ENDPOINTS, Params, StubState
from tests.stubs.binance_stub.faults import Fault
from tests.stubs.binance_stub.replay import load_listings

API_KEY_HEADER = "X-MBX-APIKEY"
# ccxt's binance URL keys; every one points at the stub so a stray call never leaves the machine
_URL_KEYS = {
    "public": "/api/v3",
    "private": "/api/v3",
    "v1": "/api/v1",
    "sapi": "/sapi/v1",
    "sapiV2": "/sapi/v2",
    "sapiV3": "/sapi/v3",
    "sapiV4": "/sapi/v4",
    "fapiPublic": "/fapi/v1",
    "fapiPublicV2": "/fapi/v2",
    "fapiPublicV3": "/fapi/v3",
    "fapiPrivate": "/fapi/v1",
    "fapiPrivateV2": "/fapi/v2",
    "fapiPrivateV3": "/fapi/v3",
    "fapiData": "/futures/data",
    "dapiPublic": "/dapi/v1",
    "dapiPrivate": "/dapi/v1",
    "dapiPrivateV2": "/dapi/v2",
    "dapiData": "/futures/data",
    "eapiPublic": "/eapi/v1",
    "eapiPrivate": "/eapi/v1",
    "papi": "/papi/v1",
    "papiV2": "/papi/v2",
}


def ccxt_urls(base_url: str) -> dict[str, Any]:
    """The `ccxt_config` that points ccxt's binance at a stub listening on `base_url`."""
    return {"urls": {"api": {key: f"{base_url}{path}" for key, path in _URL_KEYS.items()}}}


@dataclass(frozen=True)
class RequestRecord:
    """One request the stub received."""

    method: str
    path: str
    params: Mapping[str, str]
    private: bool
    known: bool  # an endpoint the stub implements
    at: float  # time.monotonic() on arrival
    fault: str | None


def to_ms(when: datetime | int) -> int:
    if isinstance(when, int):
        return when
    return int(when.astimezone(UTC).timestamp() * 1000)


class BinanceStub:
    """A Binance spot REST stub replaying candle files, with a settable clock and faults."""

    def __init__(
        self,
        data_dir: Path,
        now: datetime | int,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        balances: Mapping[str, Decimal | str | int] | None = None,
        spread: float = 0.0005,
        speed: float | None = None,
        api_key: str | None = None,
    ) -> None:
        start = {"BTC": Decimal(10)} if balances is None else balances
        account = Account({asset: Decimal(str(v)) for asset, v in start.items()})
        self.state = StubState(load_listings(data_dir), account, to_ms(now), spread)
        self.host, self.port = host, port
        self.speed = speed
        self.api_key = api_key  # None: any key is accepted
        self._anchor = (self.state.now_ms, time.monotonic())
        self._lock = threading.Lock()
        self._records: list[RequestRecord] = []
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()

    # -- lifecycle ---------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def ccxt_config(self, **extra: Any) -> dict[str, Any]:
        """ccxt options pointing binance at this stub (plus `extra` top-level options)."""
        return {**ccxt_urls(self.url), **extra}

    def start(self) -> BinanceStub:
        """Serve from a background thread; returns once the port is bound."""
        self._thread = threading.Thread(target=self._run_thread, name="binance-stub", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the binance stub did not start")
        return self

    def _run_thread(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._loop.run_until_complete(self._bind())
        self._ready.set()
        self._loop.run_forever()
        self._loop.run_until_complete(self._unbind())
        self._loop.close()

    async def _bind(self) -> None:
        # cancel a handler whose client hung up: a held "timeout" request then never
        # completes behind the client's back, and shutting down does not wait for it
        self._runner = web.AppRunner(self.app(), handler_cancellation=True, shutdown_timeout=0.2)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]

    async def _unbind(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._thread = None

    def __enter__(self) -> BinanceStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def serve_forever(self) -> None:
        """Run in the foreground until interrupted (used by `python -m`)."""
        web.run_app(
            self.app(),
            host=self.host,
            port=self.port,
            print=None,
            handler_cancellation=True,
            shutdown_timeout=0.2,
        )

    def app(self) -> web.Application:
        app = web.Application()
        app.add_routes(control_routes(self))
        app.router.add_route("*", "/{tail:.*}", self._handle)
        return app

    # -- Python control API ------------------------------------------------------------------
    @property
    def now_ms(self) -> int:
        with self._lock:
            self._follow_wall_clock()
            return self.state.now_ms

    def set_time(self, when: datetime | int) -> None:
        """Move the stub's clock to `when` (forward only); resting orders are matched."""
        with self._lock:
            self.state.advance_to(to_ms(when))
            self._anchor = (self.state.now_ms, time.monotonic())

    def advance(self, milliseconds: int) -> None:
        with self._lock:
            self.state.advance_to(self.state.now_ms + milliseconds)
            self._anchor = (self.state.now_ms, time.monotonic())

    def crash(self, pair: str, at: datetime | int, factor: float) -> None:
        """From the first 5m candle opening at or after `at` on, `pair` ("ETH/BTC" or
        "ETHBTC") trades at `factor` times its recorded prices; history is never rewritten."""
        with self._lock:
            at_ms = to_ms(at)
            if at_ms < self.state.now_ms:
                raise ValueError("a crash must lie in the stub's future")
            self.state.listings[pair.replace("/", "")].series.crash(at_ms, factor)

    def inject(
        self, kind: str, endpoint: str | None = None, times: int = 1, **options: Any
    ) -> None:
        """Arm a one-shot fault (see faults.py) for `times` requests matching `endpoint`."""
        with self._lock:
            self.state.faults.arm(Fault(kind, **options), endpoint, times)

    def random_faults(
        self,
        rate: float,
        faults: Iterable[Fault],
        endpoints: Iterable[str] = (),
        seed: int = 0,
    ) -> None:
        with self._lock:
            self.state.faults.set_random(rate, faults, endpoints, seed)

    def clear_faults(self) -> None:
        with self._lock:
            self.state.faults.clear()

    @property
    def requests(self) -> list[RequestRecord]:
        with self._lock:
            return list(self._records)

    @property
    def private_calls(self) -> list[RequestRecord]:
        return [record for record in self.requests if record.private]

    def count(self, path: str, method: str | None = None) -> int:
        return sum(1 for r in self.requests if r.path == path and method in (None, r.method))

    def clear_requests(self) -> None:
        with self._lock:
            self._records.clear()

    def orders(self) -> list[StubOrder]:
        with self._lock:
            return list(self.state.account.orders.values())

    def balances(self) -> dict[str, Decimal]:
        with self._lock:
            return dict(self.state.account.balances)

    def set_balances(self, balances: Mapping[str, Decimal | str | int]) -> None:
        with self._lock:
            self.state.account.balances = {a: Decimal(str(v)) for a, v in balances.items()}

    # -- request handling --------------------------------------------------------------------
    def _follow_wall_clock(self) -> None:
        if self.speed:
            anchor_ms, anchor_wall = self._anchor
            target = anchor_ms + int((time.monotonic() - anchor_wall) * self.speed * 1000)
            if target > self.state.now_ms:
                self.state.advance_to(target)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        params: Params = dict(request.query)
        if request.can_read_body:
            params.update(parse_qsl(await request.text()))
        endpoint = ENDPOINTS.get((request.method, request.path))
        private = endpoint.private if endpoint else "/sapi/" in request.path
        with self._lock:
            self._follow_wall_clock()
            fault = self.state.faults.pick(request.method, request.path)
            self._records.append(
                RequestRecord(
                    request.method,
                    request.path,
                    params,
                    private,
                    endpoint is not None,
                    time.monotonic(),
                    fault.kind if fault else None,
                )
            )
        early = await _early_fault(fault)
        if early is not None:
            return early
        if endpoint is None:
            return web.Response(status=404, text="<html><body>404 Not Found</body></html>")
        key = request.headers.get(API_KEY_HEADER)
        if private and not key:
            return _error(StubError(401, -2014, "API-key format invalid."))
        if private and self.api_key is not None and key != self.api_key:
            return _error(StubError(401, -2015, "Invalid API-key, IP, or permissions for action."))
        if private and ("signature" not in params or "timestamp" not in params):
            return _error(StubError(400, -1102, "Mandatory parameter 'signature' was not sent."))
        try:
            with self._lock:
                payload = endpoint.handler(self.state, params)
        except StubError as exc:
            return _error(exc)
        if fault is not None and fault.kind == "late_response":
            await asyncio.sleep(fault.delay)
        return web.json_response(payload)


async def _early_fault(fault: Fault | None) -> web.Response | None:
    """The answer of a fault that stops the request before it is processed."""
    if fault is None or fault.kind in ("late_response", "partial_fill"):
        return None
    if fault.kind == "timeout":
        await asyncio.sleep(fault.delay)
        return web.Response(status=504, text="<html><body>504 Gateway Time-out</body></html>")
    if fault.kind == "error5xx":
        status = fault.status or 503
        text = f"<html><body>{status} Service Unavailable</body></html>"
        return web.Response(status=status, text=text)
    status = fault.status or 429
    body = {"code": -1003, "msg": "Too many requests; please use the websocket for live updates."}
    return web.json_response(body, status=status, headers={"Retry-After": str(fault.retry_after)})


def _error(exc: StubError) -> web.Response:
    return web.json_response({"code": exc.code, "msg": exc.msg}, status=exc.status)
