"""The read-only principal (``api_server.readonly_username/readonly_password``) over real HTTP.

Every route is enumerated from the app: each read answers the viewer exactly as it answers the
full user (200 except the few reads that cannot succeed in trade mode), each state-changing
route answers 403 — with a *valid* body the full user could use, by Basic and by the JWT the
viewer gets from ``/token/login`` — and afterwards nothing changed. The message WebSocket serves
the viewer's access token (requests and subscriptions are all reads).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from websockets.sync.client import connect

from tests.integration.api.botprocess import LiveBot, wait_for
from tests.integration.security.launch import (
    READONLY_PASSWORD,
    READONLY_USER,
    app_routes,
    started_bot,
)

VIEWER = (READONLY_USER, READONLY_PASSWORD)
TOKEN_ROUTES = {"/api/v1/token/login", "/api/v1/token/refresh"}
READING_POSTS = {"/api/v1/pair_candles", "/api/v1/pair_history"}
"""POST routes whose body is a query."""
NOT_200_IN_TRADE_MODE = {
    "/api/v1/edge": 502,  # tradewind has no Edge
    "/api/v1/pairlists/available": 503,  # webserver mode only
    "/api/v1/trades/open/custom-data": 404,  # the strategy stores no custom data
    "/api/v1/trades/{trade_id}/custom-data": 404,
}
HISTORY = {"pair": "ETH/BTC", "timeframe": "5m", "timerange": "20180112-20180113"}
QUERIES = {
    "/api/v1/pair_candles": {"pair": "ETH/BTC", "timeframe": "5m", "limit": 5},
    "/api/v1/pair_history": {**HISTORY, "strategy": "SampleStrategy"},
    "/api/v1/mix_tags": {"pair": "ETH/BTC"},
}


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    """An open trade (filled), a closed one, a lock and a blacklisted pair to read and change.

    Nothing changes but what the tests change: no ROI, stoploss or signal exits, and the bot
    is paused (no entries of the strategy's own) once the scene is set.
    """
    with started_bot(
        tmp_path_factory.mktemp("read-only"),
        api_server={"readonly_username": READONLY_USER, "readonly_password": READONLY_PASSWORD},
        minimal_roi={"0": 100},
        stoploss=-0.99,
        use_exit_signal=False,
    ) as bot:
        ids = []
        for pair in ("ETH/BTC", "LTC/BTC"):
            ids.append(bot.ok("POST", "/forceenter", json={"pair": pair})["trade_id"])
            wait_for(lambda t=ids[-1]: _filled(bot, t), 20, f"the {pair} entry to fill")
        bot.ok("POST", "/forceexit", json={"tradeid": ids[1]})
        wait_for(lambda: not bot.ok("GET", f"/trade/{ids[1]}")["is_open"], 20, "an exit")
        bot.ok("POST", "/locks", json=[{"pair": "XLM/BTC", "until": "2099-01-01T00:00:00Z"}])
        bot.ok("POST", "/blacklist", json={"blacklist": ["XMR/BTC"]})
        wait_for(
            lambda: bot.ok("GET", "/pair_candles", params=QUERIES["/api/v1/pair_candles"])[
                "length"
            ],
            20,
            "analysed candles",
        )
        bot.ok("POST", "/stopentry")
        yield bot


def _filled(bot: LiveBot, trade_id: int) -> bool:
    return bool(bot.ok("GET", f"/trade/{trade_id}")["nr_of_successful_entries"])


def _values(bot: LiveBot) -> dict[str, str]:
    lock_id = _our_locks(bot)[0]
    (open_trade,) = bot.ok("GET", "/status")  # the one open trade of the fixture
    trade_id = str(open_trade["trade_id"])
    return {
        "tradeid": trade_id,
        "trade_id": trade_id,
        "lockid": str(lock_id),
        "strategy": "SampleStrategy",
    }


def _our_locks(bot: LiveBot) -> list[int]:
    """The fixture's lock (the bot's own short locks after an exit come and go)."""
    return [lock["id"] for lock in bot.ok("GET", "/locks")["locks"] if lock["pair"] == "XLM/BTC"]


def _concrete(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def _http_routes(bot: LiveBot) -> list[tuple[str, str]]:
    return [
        (method, path)
        for kind, methods, path in app_routes(bot)
        if kind == "http" and path.startswith("/api/v1/")
        for method in sorted(methods)
    ]


def _as(bot: LiveBot, credentials: tuple[str, str] | str, method: str, url: str, **kw: Any) -> Any:
    if isinstance(credentials, str):  # a bearer token
        kw["headers"] = {"Authorization": f"Bearer {credentials}"}
    else:
        kw["auth"] = credentials
    return bot.session.request(method, bot.base + url, timeout=30, **kw)


def _shape(body: Any) -> Any:
    """What must be equal between the viewer's and the full user's answer (values change)."""
    if isinstance(body, dict):
        return sorted(body)
    if isinstance(body, list):
        return ["list", _shape(body[0]) if body else None]
    return type(body).__name__


def test_the_viewer_reads_every_route_as_the_full_user_does(bot: LiveBot) -> None:
    values = _values(bot)
    reads = [(m, p) for m, p in _http_routes(bot) if m == "GET" or p in READING_POSTS]
    assert len(reads) >= 35
    for method, path in reads:
        url = _concrete(path, values)
        query = QUERIES.get(path, {})
        body = {**query, "columns": []} if method == "POST" else None
        options: dict[str, Any] = {"params": query} if method == "GET" else {"json": body}
        viewer = _as(bot, VIEWER, method, url, **options)
        full = _as(bot, bot.auth, method, url, **options)
        expected = NOT_200_IN_TRADE_MODE.get(path, 200)
        assert (viewer.status_code, full.status_code) == (expected, expected), (
            method,
            path,
            viewer.text[:300],
        )
        assert _shape(viewer.json()) == _shape(full.json()), (method, path)


def _valid_writes(bot: LiveBot) -> dict[tuple[str, str], dict[str, Any]]:
    """A request the full user could make successfully, for every state-changing route."""
    values = _values(bot)
    trade_id, lock_id = int(values["tradeid"]), int(values["lockid"])
    return {
        ("POST", "/api/v1/start"): {},
        ("POST", "/api/v1/stop"): {},
        ("POST", "/api/v1/stopbuy"): {},
        ("POST", "/api/v1/stopentry"): {},
        ("POST", "/api/v1/pause"): {},
        ("POST", "/api/v1/reload_config"): {},
        ("POST", "/api/v1/forceenter"): {"json": {"pair": "ADA/BTC"}},
        ("POST", "/api/v1/forcebuy"): {"json": {"pair": "ADA/BTC"}},
        ("POST", "/api/v1/forceexit"): {"json": {"tradeid": "all"}},
        ("POST", "/api/v1/forcesell"): {"json": {"tradeid": trade_id}},
        ("DELETE", "/api/v1/trades/{tradeid}"): {},
        ("DELETE", "/api/v1/trades/{tradeid}/open-order"): {},
        ("POST", "/api/v1/trades/{tradeid}/reload"): {},
        ("POST", "/api/v1/blacklist"): {"json": {"blacklist": ["ZEC/BTC"]}},
        ("DELETE", "/api/v1/blacklist"): {"params": {"pairs_to_delete": ["XMR/BTC"]}},
        ("POST", "/api/v1/locks"): {"json": [{"pair": "ETC/BTC", "until": "2099-01-01T00:00:00Z"}]},
        ("POST", "/api/v1/locks/delete"): {"json": {"lockid": lock_id}},
        ("DELETE", "/api/v1/locks/{lockid}"): {},
    }


def _state(bot: LiveBot) -> dict[str, Any]:
    return {
        "open": [(t["trade_id"], t["amount"]) for t in bot.ok("GET", "/status")],
        "closed": bot.ok("GET", "/trades")["total_trades"],
        "blacklist": bot.ok("GET", "/blacklist")["blacklist"],
        "locks": _our_locks(bot),
        "state": bot.ok("GET", "/show_config")["state"],
        "startup": bot.ok("GET", "/health")["bot_startup"],
    }


def test_every_state_changing_route_refuses_the_viewer_and_changes_nothing(bot: LiveBot) -> None:
    writes = _valid_writes(bot)
    enumerated = {
        (m, p)
        for m, p in _http_routes(bot)
        if m in {"POST", "DELETE", "PUT", "PATCH"} and p not in TOKEN_ROUTES | READING_POSTS
    }
    assert enumerated == set(writes)  # a new state-changing route must be added here
    values = _values(bot)
    before = _state(bot)
    tokens = _as(bot, VIEWER, "POST", "/api/v1/token/login").json()
    refreshed = _as(bot, tokens["refresh_token"], "POST", "/api/v1/token/refresh").json()
    for credentials in (VIEWER, tokens["access_token"], refreshed["access_token"]):
        for (method, path), options in writes.items():
            answer = _as(bot, credentials, method, _concrete(path, values), **options)
            assert answer.status_code == 403, (method, path, answer.text)
            assert answer.json() == {"detail": "Read-only access: this action is not allowed."}
    assert _state(bot) == before


def test_the_viewer_streams_the_message_websocket(bot: LiveBot) -> None:
    token = _as(bot, VIEWER, "POST", "/api/v1/token/login").json()["access_token"]
    url = bot.base.replace("http://", "ws://") + f"/api/v1/message/ws?token={token}"
    with connect(url, open_timeout=5, max_size=None) as ws:
        ws.send('{"type": "whitelist"}')
        assert "ETH/BTC" in orjson.loads(ws.recv(timeout=5))["data"]
        ws.send('{"type": "analyzed_df", "data": {"limit": 3, "pair": "ETH/BTC"}}')
        analyzed = orjson.loads(ws.recv(timeout=5))
        assert analyzed["type"] == "analyzed_df" and analyzed["data"]["key"][0] == "ETH/BTC"
        ws.send('{"type": "subscribe", "data": ["new_candle"]}')
        assert orjson.loads(ws.recv(timeout=10))["type"] == "new_candle"  # a candle a second
