"""The stub as its own process (`python -m tests.stubs.binance_stub`), driven over HTTP."""

from __future__ import annotations

import asyncio
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.stubs.binance_stub import ccxt_urls
from tests.stubs.ccxt_harness import STUB_KEY, data_dir
from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import OrderStatus
from tradewind.errors import ExchangeUnavailable
from tradewind.exchange.ccxt import CcxtExchange, RetryPolicy

REPO = Path(__file__).resolve().parents[3]
START = "2018-01-20T00:00:00+00:00"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _call(url: str, method: str = "GET", body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=5) as answer:
        return json.loads(answer.read() or b"null")


@pytest.fixture
def stub_url() -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, "-m", "tests.stubs.binance_stub", "--port", str(port),
               "--data", str(data_dir()), "--start", START]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _call(f"{url}/api/v3/ping")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(10)


def test_a_stub_process_serves_ccxt_and_obeys_its_control_api(stub_url: str) -> None:
    state = _call(f"{stub_url}/_stub/state")
    clock = ManualClock(datetime.fromisoformat(START))
    assert state["now"] == int(clock.now().timestamp() * 1000)
    config = {**ccxt_urls(stub_url), "timeout": 3000}

    async def scenario() -> None:
        exchange = CcxtExchange("binance", clock, dry_run=False, credentials=STUB_KEY,
                                ccxt_config=config, retry=RetryPolicy(attempts=1))  # fmt: skip
        try:
            ticker = await exchange.fetch_ticker("ETH/BTC")
            price = Decimal(str(ticker.bid)) * Decimal("0.999")
            placed = await exchange.create_order("ETH/BTC", "buy", "limit", Decimal("0.05"),
                                                 price, "proc-1")  # fmt: skip
            _call(f"{stub_url}/_stub/time", "POST", {"advance": 6 * 3_600_000})
            update = await exchange.fetch_order(placed.order_id, "ETH/BTC")
            assert update.status == OrderStatus.CLOSED
            _call(f"{stub_url}/_stub/faults", "POST",
                  {"kind": "error5xx", "endpoint": "/api/v3/ticker/24hr"})  # fmt: skip
            with pytest.raises(ExchangeUnavailable):
                await exchange.fetch_ticker("ETH/BTC")
        finally:
            await exchange.close()

    asyncio.run(scenario())
    final = _call(f"{stub_url}/_stub/state")
    assert [o["clientOrderId"] for o in final["orders"]] == ["proc-1"]
    assert final["orders"][0]["status"] == "FILLED"
    recorded = _call(f"{stub_url}/_stub/requests")
    assert any(r["fault"] == "error5xx" for r in recorded)
