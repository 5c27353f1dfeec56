"""The REST client sends what the server expects: paths, methods, bodies, Basic auth."""

from __future__ import annotations

import base64
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tradewind.client import ApiConnectionError, ApiError, TradewindClient

from .recording_server import Recorder, recording_server

USER, PASSWORD = "freqtrader", "SuperSecret1!"
BASIC = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()


@pytest.fixture
def served() -> Iterator[tuple[TradewindClient, Recorder]]:
    with recording_server() as (url, recorder), TradewindClient(url, USER, PASSWORD) as client:
        yield client, recorder


Call = Callable[[TradewindClient], Any]

# (call, method, path, query, body) — paths relative to /api/v1
EXPECTED: list[tuple[Call, str, str, dict[str, list[str]], Any]] = [
    (lambda c: c.version(), "GET", "version", {}, None),
    (lambda c: c.show_config(), "GET", "show_config", {}, None),
    (lambda c: c.logs(20), "GET", "logs", {"limit": ["20"]}, None),
    (lambda c: c.logs(), "GET", "logs", {}, None),
    (lambda c: c.sysinfo(), "GET", "sysinfo", {}, None),
    (lambda c: c.health(), "GET", "health", {}, None),
    (lambda c: c.start(), "POST", "start", {}, {}),
    (lambda c: c.stop(), "POST", "stop", {}, {}),
    (lambda c: c.stopentry(), "POST", "stopentry", {}, {}),
    (lambda c: c.stopbuy(), "POST", "stopbuy", {}, {}),
    (lambda c: c.pause(), "POST", "pause", {}, {}),
    (lambda c: c.reload_config(), "POST", "reload_config", {}, {}),
    (lambda c: c.edge(), "GET", "edge", {}, None),
    (lambda c: c.status(), "GET", "status", {}, None),
    (
        lambda c: c.trades(limit=500, offset=500, order_by_id=False),
        "GET",
        "trades",
        {"limit": ["500"], "offset": ["500"], "order_by_id": ["false"]},
        None,
    ),
    (lambda c: c.trades(), "GET", "trades", {}, None),
    (lambda c: c.trade(3), "GET", "trade/3", {}, None),
    (lambda c: c.delete_trade(3), "DELETE", "trades/3", {}, None),
    (lambda c: c.cancel_open_order(3), "DELETE", "trades/3/open-order", {}, None),
    (lambda c: c.reload_trade(3), "POST", "trades/3/reload", {}, {}),
    (lambda c: c.custom_data(3, key="k"), "GET", "trades/3/custom-data", {"key": ["k"]}, None),
    (
        lambda c: c.open_trades_custom_data(),
        "GET",
        "trades/open/custom-data",
        {"limit": ["100"], "offset": ["0"]},
        None,
    ),
    (
        lambda c: c.forceenter(
            "ETH/USDT", "short", 2000, ordertype="limit", stakeamount=100, entry_tag="t", leverage=2
        ),
        "POST",
        "forceenter",
        {},
        {
            "pair": "ETH/USDT",
            "side": "short",
            "price": 2000,
            "ordertype": "limit",
            "stakeamount": 100,
            "entry_tag": "t",
            "leverage": 2,
        },
    ),
    (
        lambda c: c.forceenter("ETH/USDT"),
        "POST",
        "forceenter",
        {},
        {"pair": "ETH/USDT", "side": "long"},
    ),
    (
        lambda c: c.forceexit(3),
        "POST",
        "forceexit",
        {},
        {"tradeid": 3, "ordertype": None, "amount": None},
    ),
    (
        lambda c: c.forceexit("all", "market", 0.5, 2100.0),
        "POST",
        "forceexit",
        {},
        {"tradeid": "all", "ordertype": "market", "amount": 0.5, "price": 2100.0},
    ),
    (lambda c: c.count(), "GET", "count", {}, None),
    (lambda c: c.balance(), "GET", "balance", {}, None),
    (lambda c: c.profit(), "GET", "profit", {}, None),
    (lambda c: c.profit_all(), "GET", "profit_all", {}, None),
    (lambda c: c.performance(), "GET", "performance", {}, None),
    (lambda c: c.entries("ETH/USDT"), "GET", "entries", {"pair": ["ETH/USDT"]}, None),
    (lambda c: c.exits(), "GET", "exits", {}, None),
    (lambda c: c.mix_tags(), "GET", "mix_tags", {}, None),
    (lambda c: c.daily(20), "GET", "daily", {"timescale": ["20"]}, None),
    (lambda c: c.weekly(), "GET", "weekly", {}, None),
    (lambda c: c.monthly(3), "GET", "monthly", {"timescale": ["3"]}, None),
    (lambda c: c.stats(), "GET", "stats", {}, None),
    (lambda c: c.historic_balance(), "GET", "historic_balance", {}, None),
    (lambda c: c.whitelist(), "GET", "whitelist", {}, None),
    (lambda c: c.blacklist(), "GET", "blacklist", {}, None),
    (
        lambda c: c.blacklist("ETH/BTC", "BNB/.*"),
        "POST",
        "blacklist",
        {},
        {"blacklist": ["ETH/BTC", "BNB/.*"]},
    ),
    (
        lambda c: c.delete_blacklist("A/B", "C/D"),
        "DELETE",
        "blacklist",
        {"pairs_to_delete": ["A/B", "C/D"]},
        None,
    ),
    (lambda c: c.locks(), "GET", "locks", {}, None),
    (
        lambda c: c.lock_add("ETH/USDT", "2030-01-01T00:00:00Z", reason="manual"),
        "POST",
        "locks",
        {},
        [{"pair": "ETH/USDT", "until": "2030-01-01T00:00:00Z", "side": "*", "reason": "manual"}],
    ),
    (lambda c: c.delete_lock(7), "DELETE", "locks/7", {}, None),
    (
        lambda c: c.delete_locks(pair="ETH/USDT"),
        "POST",
        "locks/delete",
        {},
        {"pair": "ETH/USDT", "lockid": None},
    ),
    (
        lambda c: c.pair_candles("ETH/USDT", "5m", 3),
        "GET",
        "pair_candles",
        {"pair": ["ETH/USDT"], "timeframe": ["5m"], "limit": ["3"]},
        None,
    ),
    (
        lambda c: c.pair_candles("ETH/USDT", "5m", columns=["rsi"]),
        "POST",
        "pair_candles",
        {},
        {"pair": "ETH/USDT", "timeframe": "5m", "limit": None, "columns": ["rsi"]},
    ),
    (
        lambda c: c.pair_history("ETH/USDT", "5m", "20240101-", "SampleStrategy"),
        "GET",
        "pair_history",
        {
            "pair": ["ETH/USDT"],
            "timeframe": ["5m"],
            "timerange": ["20240101-"],
            "strategy": ["SampleStrategy"],
        },
        None,
    ),
    (lambda c: c.plot_config(), "GET", "plot_config", {}, None),
    (lambda c: c.strategies(), "GET", "strategies", {}, None),
    (lambda c: c.strategy("SampleStrategy"), "GET", "strategy/SampleStrategy", {}, None),
    (
        lambda c: c.available_pairs("5m", "USDT"),
        "GET",
        "available_pairs",
        {"timeframe": ["5m"], "stake_currency": ["USDT"]},
        None,
    ),
    (lambda c: c.markets(quote="USDT"), "GET", "markets", {"quote": ["USDT"]}, None),
    (lambda c: c.pairlists_available(), "GET", "pairlists/available", {}, None),
    (lambda c: c.token_login(), "POST", "token/login", {}, {}),
]


@pytest.mark.parametrize(("call", "method", "path", "query", "body"), EXPECTED)
def test_each_call_sends_the_documented_request(
    served: tuple[TradewindClient, Recorder],
    call: Call,
    method: str,
    path: str,
    query: dict[str, list[str]],
    body: Any,
) -> None:
    client, recorder = served

    assert call(client) == {"ok": True}

    sent = recorder.last
    assert (sent.method, sent.path, sent.query) == (method, f"/api/v1/{path}", query)
    assert sent.json() == body
    assert sent.headers["authorization"] == BASIC
    if body is not None:
        assert sent.headers["content-type"] == "application/json"


def test_ping_and_ui_version(served: tuple[TradewindClient, Recorder]) -> None:
    client, recorder = served

    client.ping()
    assert recorder.last.path == "/api/v1/ping"
    client.ui_version()
    assert recorder.last.path == "/ui_version"


def test_token_refresh_sends_the_refresh_token_instead_of_basic(
    served: tuple[TradewindClient, Recorder],
) -> None:
    client, recorder = served

    client.token_refresh("the.refresh.token")

    assert recorder.last.path == "/api/v1/token/refresh"
    assert recorder.last.headers["authorization"] == "Bearer the.refresh.token"


def test_path_segments_are_quoted(served: tuple[TradewindClient, Recorder]) -> None:
    client, recorder = served

    client.strategy("a/b")

    assert recorder.last.path == "/api/v1/strategy/a%2Fb"


def test_bot_logic_errors_raise_api_error_with_status_and_body(
    served: tuple[TradewindClient, Recorder],
) -> None:
    client, recorder = served
    body = {"error": "Error querying /api/v1/forceenter: Force_entry not enabled."}
    recorder.answer("POST", "/api/v1/forceenter", 502, body)

    with pytest.raises(ApiError) as raised:
        client.forceenter("ETH/USDT")

    assert raised.value.status == 502
    assert raised.value.body == body
    assert str(raised.value) == "502 Error querying /api/v1/forceenter: Force_entry not enabled."


def test_validation_errors_are_summarised(served: tuple[TradewindClient, Recorder]) -> None:
    client, recorder = served
    detail = [{"type": "missing", "loc": ["body", "pair"], "msg": "Field required", "input": {}}]
    recorder.answer("GET", "/api/v1/daily", 422, {"detail": detail})

    with pytest.raises(ApiError, match=r"^422 body\.pair: Field required$"):
        client.daily(0)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_bot_raises_a_connection_error() -> None:
    client = TradewindClient(f"http://127.0.0.1:{_free_port()}", USER, PASSWORD, timeout=2)

    with pytest.raises(ApiConnectionError, match="connection refused"):
        client.version()


def test_the_client_package_imports_neither_pydantic_nor_the_rest_of_tradewind() -> None:
    code = (
        "import sys, tradewind.client.cli\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'pydantic', 'fastapi', 'starlette', 'pandas', 'numpy', 'sqlalchemy', 'jwt'} "
        "or (m.startswith('tradewind.') and not m.startswith('tradewind.client')))\n"
        "print(bad)\n"
    )

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.strip() == "[]"


def _payload(body: Any) -> Any:
    """Body as the server reads it: null keys dropped, ``{}`` and ``null`` both mean nothing."""
    if isinstance(body, dict):
        body = {key: value for key, value in body.items() if value is not None}
    return body or None


def _query(query: dict[str, list[str]]) -> dict[str, list[str]]:
    """Query as the server reads it: booleans are case-insensitive."""
    return {key: [value.lower() for value in values] for key, values in query.items()}


# the same request made by both clients: (ours, freqtrade-client's)
SAME_AS_FREQTRADE_CLIENT: list[tuple[Call, Callable[[Any], Any]]] = [
    (lambda c: c.forceexit(3), lambda f: f.forceexit(3)),
    (
        lambda c: c.forceenter("ETH/USDT", "short", 2000.0),
        lambda f: f.forceenter("ETH/USDT", "short", 2000.0),
    ),
    (
        lambda c: c.lock_add("ETH/USDT", "2030-01-01 16:00:00Z", "*", "r"),
        lambda f: f.lock_add("ETH/USDT", "2030-01-01 16:00:00Z", "*", "r"),
    ),
    (lambda c: c.blacklist("A/B", "C/D"), lambda f: f.blacklist("A/B", "C/D")),
    (
        lambda c: c.pair_candles("ETH/USDT", "5m", columns=["rsi"]),
        lambda f: f.pair_candles("ETH/USDT", "5m", columns=["rsi"]),
    ),
    (
        lambda c: c.pair_candles("ETH/USDT", "5m", 10),
        lambda f: f.pair_candles("ETH/USDT", "5m", 10),
    ),
    (lambda c: c.trades(5, 10, order_by_id=False), lambda f: f.trades(5, 10, order_by_id=False)),
    (lambda c: c.daily(20), lambda f: f.daily(20)),
    (lambda c: c.entries("ETH/USDT"), lambda f: f.entries("ETH/USDT")),
    (lambda c: c.available_pairs("5m", "USDT"), lambda f: f.available_pairs("5m", "USDT")),
    (lambda c: c.delete_lock(3), lambda f: f.delete_lock(3)),
    (lambda c: c.cancel_open_order(3), lambda f: f.cancel_open_order(3)),
    (lambda c: c.strategy("Sample"), lambda f: f.strategy("Sample")),
    (lambda c: c.stopbuy(), lambda f: f.stopbuy()),
]


@pytest.mark.parametrize(("ours", "theirs"), SAME_AS_FREQTRADE_CLIENT)
def test_requests_match_what_freqtrade_client_sends(
    ours: Call, theirs: Callable[[Any], Any]
) -> None:
    import freqtrade_client as ft_client

    with recording_server() as (url, recorder):
        ours(TradewindClient(url, USER, PASSWORD))
        theirs(ft_client.FtRestClient(url, USER, PASSWORD))

    mine, reference = recorder.requests
    assert (mine.method, mine.path) == (reference.method, reference.path)
    assert _query(mine.query) == _query(reference.query)
    assert _payload(mine.json()) == _payload(reference.json())
    assert mine.headers["authorization"] == reference.headers["authorization"]
