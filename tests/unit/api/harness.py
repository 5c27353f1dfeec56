"""A real bot (simulated exchange, manual clock) behind the real app, driven in-process.

``BotApi`` builds the object graph with ``app.build``, serves it through ``create_app`` in a
Starlette ``TestClient`` and runs engine coroutines on the client's event loop (the same loop
the requests run on), so the engine, its asyncio lock and its session stay on one thread.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.botconfig import TEST_PASSWORD, bot_config, loaded
from tradewind.api.app import create_app
from tradewind.app import Application, build
from tradewind.domain.clock import ManualClock
from tradewind.logs import LogBuffer
from tradewind.services.context import BotContext

T = TypeVar("T")

START = datetime(2018, 1, 15, tzinfo=UTC)
USER = "tradewind"
READONLY_USER = "viewer"
READONLY_PASSWORD = "viewer-password-123"
ORIGIN = "http://ui.example:8080"


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


FULL = basic(USER, TEST_PASSWORD)
READ_ONLY = basic(READONLY_USER, READONLY_PASSWORD)


def api_config(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """The test bot config: 5 slots, force entry on, read-only user, one CORS origin."""
    values: dict[str, Any] = {
        "max_open_trades": 5,
        "stake_amount": 0.05,
        "initial_state": "running",
        "force_entry_enable": True,
        "exchange": {"simulation": {"warmup_candles": 300}},
        "api_server": {
            "readonly_username": READONLY_USER,
            "readonly_password": READONLY_PASSWORD,
            "CORS_origins": [ORIGIN],
        },
    }
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(values.get(key), dict):
            values[key] = values[key] | value
        else:
            values[key] = value
    return bot_config(tmp_path, **values)


class BotApi:
    """One bot and one HTTP client on it; ``call`` runs engine coroutines on the app's loop."""

    def __init__(self, application: Application, clock: ManualClock, client: TestClient) -> None:
        self.application = application
        self.clock = clock
        self.client = client

    @property
    def app(self) -> FastAPI:
        return self.client.app  # type: ignore[return-value]

    @property
    def context(self) -> BotContext:
        return self.application.context()

    def call(self, function: Callable[..., Coroutine[Any, Any, T]], *args: Any) -> T:
        return self.client.portal.call(function, *args)  # type: ignore[union-attr]

    def tick(self, count: int = 1) -> None:
        async def run() -> None:
            for _ in range(count):
                self.clock.advance(timedelta(minutes=5))
                await self.application.engine.tick()

        self.call(run)

    def tick_until(self, done: Callable[[], bool], max_ticks: int = 20) -> None:
        """Tick (5 minutes of market time each) until ``done()``; fails after ``max_ticks``."""
        for _ in range(max_ticks):
            if done():
                return
            self.tick()
        assert done(), f"not done after {max_ticks} ticks"

    def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, **kwargs: Any
    ) -> Any:
        return self.client.request(
            method, path, headers=FULL if headers is None else headers, **kwargs
        )

    def get(self, path: str, **kwargs: Any) -> Any:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Any:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> Any:
        return self.request("DELETE", path, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        """The JSON body of a request that must answer 200."""
        response = self.request(method, path, **kwargs)
        assert response.status_code == 200, (method, path, response.status_code, response.text)
        return response.json()

    def force_enter(self, pair: str, **fields: Any) -> dict[str, Any]:
        body = self.ok("POST", "/api/v1/forceenter", json={"pair": pair, **fields})
        assert "trade_id" in body, body
        return body  # type: ignore[no-any-return]


@contextmanager
def running_bot(tmp_path: Path, **overrides: Any) -> Iterator[BotApi]:
    """A started bot (markets loaded, two ticks analysed) served by a fresh app."""
    clock = ManualClock(START)
    application = build(loaded(api_config(tmp_path, **overrides)), clock=clock)
    application.extras["log_buffer"] = LogBuffer()
    api = create_app(application.context())
    try:
        with TestClient(api, base_url="http://testserver") as client:
            bot = BotApi(application, clock, client)
            bot.call(application.engine.start_up)
            bot.tick(2)
            yield bot
            bot.call(application.close)
    finally:
        application.db.dispose()


def populate(bot: BotApi) -> None:
    """Three open trades (filled), one closed by force exit, and one pair lock."""
    for pair in ("ETH/BTC", "LTC/BTC", "ADA/BTC", "XLM/BTC"):
        bot.force_enter(pair)
    bot.tick(2)
    xlm = next(t for t in bot.ok("GET", "/api/v1/status") if t["pair"] == "XLM/BTC")
    bot.ok("POST", "/api/v1/forceexit", json={"tradeid": str(xlm["trade_id"])})
    bot.tick(2)
    bot.ok(
        "POST",
        "/api/v1/locks",
        json=[{"pair": "TRX/BTC", "until": "2030-01-01T00:00:00Z", "reason": "test lock"}],
    )
