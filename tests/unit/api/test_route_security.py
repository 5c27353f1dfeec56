"""Who may call what: every route of the app is enumerated, so a new route cannot slip through
without authentication (auth-and-server.md §2), read-only principals are refused every
state-changing route, and CORS answers exactly the configured origins (§5)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.websockets import WebSocketDisconnect

from tests.unit.api.harness import FULL, ORIGIN, READ_ONLY, BotApi, running_bot
from tradewind.api.app import flat_routes

PUBLIC_API_ROUTES = {"/api/v1/ping", "/api/v1/token/login", "/api/v1/token/refresh"}
READ_ONLY_POSTS = {"/api/v1/pair_candles", "/api/v1/pair_history"}
"""POST routes that only read (the body carries the query)."""
PATH_VALUES = {"tradeid": "1", "trade_id": "1", "lockid": "1", "strategy": "SampleStrategy"}


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotApi]:
    with running_bot(
        tmp_path_factory.mktemp("security"), api_server={"enable_openapi": True}
    ) as bot:
        bot.force_enter("ETH/BTC")
        yield bot


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: PATH_VALUES.get(m.group(1), "x"), path)


def api_endpoints(bot: BotApi) -> list[tuple[str, str]]:
    """(method, concrete path) of every HTTP route under /api (HEAD excluded)."""
    found = []
    for route, path in flat_routes(bot.app):
        if isinstance(route, APIRoute) and path.startswith("/api"):
            found += [(method, concrete(path)) for method in sorted(route.methods - {"HEAD"})]
    return found


def test_the_enumeration_sees_every_area(bot: BotApi) -> None:
    paths = {path for _, path in api_endpoints(bot)}
    assert len(paths) > 50
    for sample in ("/api/v1/status", "/api/v1/forcesell", "/api/v1/locks/1", "/api/v1/edge"):
        assert sample in paths


def test_every_api_route_but_ping_and_tokens_needs_credentials(bot: BotApi) -> None:
    checked = 0
    for method, path in api_endpoints(bot):
        if path in PUBLIC_API_ROUTES:
            continue
        # an empty JSON body: unauthenticated requests are refused before validation (§2.2)
        response = bot.client.request(method, path, json={})
        assert response.status_code == 401, (method, path, response.text)
        assert response.json() == {"detail": "Unauthorized"}, (method, path)
        assert "www-authenticate" not in response.headers
        bad_token = bot.client.request(
            method, path, json={}, headers={"Authorization": "Bearer not-a-token"}
        )
        assert bad_token.status_code == 401, (method, path)
        assert bad_token.json() == {"detail": "Could not validate credentials"}
        assert bad_token.headers["www-authenticate"] == "Bearer"
        checked += 1
    assert checked > 50


def test_wrong_basic_credentials_are_refused(bot: BotApi) -> None:
    response = bot.get("/api/v1/status", headers={"Authorization": "Basic d3Jvbmc6d3Jvbmc="})
    assert response.status_code == 401 and response.json() == {"detail": "Unauthorized"}


def test_the_message_websocket_needs_a_token(bot: BotApi) -> None:
    routes = [path for route, path in flat_routes(bot.app) if isinstance(route, APIWebSocketRoute)]
    for path in routes:
        with pytest.raises(WebSocketDisconnect), bot.client.websocket_connect(path):
            pass


def test_public_routes_answer_without_credentials(bot: BotApi) -> None:
    for path in ("/api/v1/ping", "/ui_version", "/", "/dashboard", "/favicon.ico", "/docs"):
        assert bot.client.get(path).status_code == 200, path
    assert bot.client.get("/openapi.json").json()["info"]["title"] == "tradewind API"


def test_tokens_from_login_open_the_api(bot: BotApi) -> None:
    tokens = bot.ok("POST", "/api/v1/token/login", json={})
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert bot.get("/api/v1/count", headers=bearer).status_code == 200
    refreshed = bot.client.post(
        "/api/v1/token/refresh", headers={"Authorization": f"Bearer {tokens['refresh_token']}"}
    )
    assert list(refreshed.json()) == ["access_token"]


def test_read_only_principals_are_refused_every_mutating_route(bot: BotApi) -> None:
    mutating = [
        (method, path)
        for method, path in api_endpoints(bot)
        if method in {"POST", "DELETE", "PUT", "PATCH"}
        and path not in PUBLIC_API_ROUTES | READ_ONLY_POSTS
    ]
    assert len(mutating) >= 17
    for method, path in mutating:
        response = bot.request(method, path, headers=READ_ONLY, json={})
        assert response.status_code == 403, (method, path, response.text)
        assert "Read-only" in response.json()["detail"]
    assert [t["pair"] for t in bot.ok("GET", "/api/v1/status")] == ["ETH/BTC"]


def test_read_only_principals_may_read_everything(bot: BotApi) -> None:
    for method, path in api_endpoints(bot):
        if method == "GET" or path in READ_ONLY_POSTS:
            response = bot.request(method, path, headers=READ_ONLY, json={})
            assert response.status_code != 403, (method, path)


def test_read_only_tokens_are_read_only_too(bot: BotApi) -> None:
    tokens = bot.ok("POST", "/api/v1/token/login", headers=READ_ONLY, json={})
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert bot.get("/api/v1/status", headers=bearer).status_code == 200
    assert bot.post("/api/v1/stop", headers=bearer).status_code == 403


# -- CORS -----------------------------------------------------------------------------------------
def test_preflight_from_the_configured_origin_is_allowed_with_credentials(bot: BotApi) -> None:
    response = bot.client.options(
        "/api/v1/status",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ORIGIN
    assert response.headers["access-control-allow-credentials"] == "true"
    assert {"GET", "POST", "DELETE"} <= {
        m.strip() for m in response.headers["access-control-allow-methods"].split(",")
    }
    assert "authorization" in response.headers["access-control-allow-headers"].lower()


def test_preflight_from_another_origin_is_refused(bot: BotApi) -> None:
    response = bot.client.options(
        "/api/v1/status",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_requests_carry_the_origin_only_for_allowed_origins(bot: BotApi) -> None:
    allowed = bot.get("/api/v1/count", headers={**FULL, "Origin": ORIGIN})
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert allowed.headers["access-control-allow-credentials"] == "true"
    refused_login = bot.client.get("/api/v1/count", headers={"Origin": ORIGIN})
    assert refused_login.status_code == 401  # FreqUI must be able to read the 401 to refresh
    assert refused_login.headers["access-control-allow-origin"] == ORIGIN
    other = bot.get("/api/v1/count", headers={**FULL, "Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in other.headers
    assert "*" not in other.headers.get("access-control-allow-origin", "")
