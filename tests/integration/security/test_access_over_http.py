"""Who gets in, over real HTTP and real WebSocket handshakes against a running bot.

What tests/unit/api proves in-process (a mini app or a TestClient) is not repeated here; this
module proves it on the real server: the complete route list (WebSocket and UI included) has no
unprotected route outside the documented public ones; forged, expired, mistyped and unsigned JWTs
are refused by HTTP routes *and* the WebSocket; the WebSocket refuses before sending one byte
of data; failed passwords are throttled per client address and cannot be reset by a read-only
login; CORS answers only the configured origin.
"""

from __future__ import annotations

import base64
import http.client
import json
import socket
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
import requests

from tests.botconfig import TEST_JWT_SECRET
from tests.integration.api.botprocess import LiveBot
from tests.integration.security.launch import (
    ORIGIN,
    READONLY_PASSWORD,
    READONLY_USER,
    app_routes,
    started_bot,
)
from tradewind.api.tokens import ACCESS_TOKEN_LIFETIME, REFRESH_TOKEN_LIFETIME, create_token

WS_PATH = "/api/v1/message/ws"
PUBLIC_API = {("GET", "/api/v1/ping"), ("HEAD", "/api/v1/ping")}
TOKEN_ROUTES = {("POST", "/api/v1/token/login"), ("POST", "/api/v1/token/refresh")}
PUBLIC_UI = {
    "/",
    "/{rest_of_path:path}",
    "/ui_version",
    "/favicon.ico",
    "/fallback_file.html",
    "/vendor/plotly.min.js",
    "/docs",
    "/openapi.json",
}
"""auth-and-server.md §2: the UI (it authenticates through the API) and, with enable_openapi,
Swagger UI and the schema."""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    with started_bot(
        tmp_path_factory.mktemp("access"),
        api_server={
            "readonly_username": READONLY_USER,
            "readonly_password": READONLY_PASSWORD,
            "CORS_origins": [ORIGIN],
        },
    ) as bot:
        yield bot


def _ws_handshake(bot: LiveBot, query: str, source: str = "127.0.0.1") -> bytes:
    """Everything the server sends in answer to an upgrade request, until it closes."""
    port = int(bot.base.rsplit(":", 1)[1])
    request = (
        f"GET {WS_PATH}{query} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        "Sec-WebSocket-Version: 13\r\n\r\n"
    )
    received = b""
    with socket.create_connection(("127.0.0.1", port), timeout=5, source_address=(source, 0)) as s:
        s.sendall(request.encode())
        while chunk := s.recv(65536):
            received += chunk
            if received.startswith(b"HTTP/1.1 101"):
                break  # accepted: the connection stays open
    return received


def _assert_refused_before_any_frame(answer: bytes) -> None:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 403 "), answer
    assert body == b"", answer  # no WebSocket frame, no data: the socket was closed
    assert b"content-length: 0" in head.lower()


# -- the route list -------------------------------------------------------------------------------
def test_every_route_outside_the_api_is_a_documented_public_one(bot: LiveBot) -> None:
    routes = app_routes(bot)
    outside = {path for kind, _, path in routes if not path.startswith("/api/v1/")}
    assert outside == PUBLIC_UI
    websockets = [path for kind, _, path in routes if kind == "ws"]
    assert websockets == [WS_PATH]
    assert len([path for kind, _, path in routes if kind == "http"]) > 60


def test_the_public_exceptions_answer_anonymously_and_leak_no_api(bot: LiveBot) -> None:
    for path in ("/", "/trade", "/ui_version", "/favicon.ico", "/fallback_file.html", "/docs"):
        assert requests.get(bot.base + path, timeout=10).status_code == 200, path
    schema = requests.get(f"{bot.base}/openapi.json", timeout=10).json()
    assert schema["components"]["securitySchemes"]["HTTPBasic"] == {
        "type": "http",
        "scheme": "basic",
    }
    protected = [
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if operation.get("security")
    ]
    assert len(protected) == len(
        [(m, p) for m, p in _operations(schema) if (m, p) not in PUBLIC_API]
    )
    for path in ("/api", "/api/v1/nothing", "/api/v1/status/", "/.env", "/.git/config"):
        answer = requests.get(bot.base + path, timeout=10)
        assert (answer.status_code, answer.json()) == (404, {"detail": "Not Found"}), path
    # the UI catch-all never serves a file from outside the UI directory; the bot's own
    # config.json sits in its working directory
    for path in ("/../config.json", "/%2e%2e/config.json", "/..%2fconfig.json", "/ui/../../x"):
        status, body = _raw_get(bot, path)
        assert b"jwt_secret_key" not in body and TEST_JWT_SECRET.encode() not in body, path
        assert status in (200, 404), path  # the SPA page or Not Found


def _raw_get(bot: LiveBot, path: str) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no client-side normalisation of dot segments)."""
    host, port = bot.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def _operations(schema: dict[str, Any]) -> list[tuple[str, str]]:
    return [(m.upper(), p) for p, ops in schema["paths"].items() for m in ops]


def test_the_token_routes_refuse_anonymous_callers(bot: LiveBot) -> None:
    for method, path in TOKEN_ROUTES:
        answer = requests.request(method, bot.base + path, json={}, timeout=10)
        assert answer.status_code == 401, path


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", f"?token={'x' * 4000}"])
def test_the_websocket_refuses_a_missing_or_wrong_token_before_sending_anything(
    bot: LiveBot, query: str
) -> None:
    _assert_refused_before_any_frame(_ws_handshake(bot, query))


# -- JWTs -----------------------------------------------------------------------------------------
def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {"identity": {"u": "tradewind"}, "exp": now + 900, "iat": now, "type": "access"}
    return claims | changes


def _forged_tokens(bot: LiveBot) -> dict[str, str]:
    """Tokens that must all be refused, made with what an attacker may have or guess."""
    now = time.time()
    read_only = requests.post(
        bot.url("/token/login"), auth=(READONLY_USER, READONLY_PASSWORD), timeout=10
    ).json()
    header, payload, signature = read_only["access_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    del claims["identity"]["ro"]  # promote the viewer to full access, keep the signature
    return {
        "expired": create_token(
            "tradewind", TEST_JWT_SECRET, "access", ACCESS_TOKEN_LIFETIME, now=now - 3600
        ),
        "wrong secret": jwt.encode(_claims(), "another-secret-" * 3, algorithm="HS256"),
        "tampered": f"{header}.{_b64(claims)}.{signature}",
        "alg none": f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(_claims())}.",
        "alg HS512": jwt.encode(_claims(), TEST_JWT_SECRET, algorithm="HS512"),
        "refresh as access": create_token(
            "tradewind", TEST_JWT_SECRET, "refresh", REFRESH_TOKEN_LIFETIME
        ),
        "no type": jwt.encode(_claims(type=None), TEST_JWT_SECRET, algorithm="HS256"),
        "no identity": jwt.encode(_claims(identity={}), TEST_JWT_SECRET, algorithm="HS256"),
        "garbage": "not.a.token",
    }


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_forged_expired_unsigned_and_mistyped_tokens_are_refused_everywhere(bot: LiveBot) -> None:
    genuine = create_token("tradewind", TEST_JWT_SECRET, "access", ACCESS_TOKEN_LIFETIME)
    bearer = {"Authorization": f"Bearer {genuine}"}
    assert requests.get(bot.url("/count"), headers=bearer, timeout=10).status_code == 200
    assert _ws_handshake(bot, f"?token={genuine}").startswith(b"HTTP/1.1 101")
    for name, token in _forged_tokens(bot).items():
        headers = {"Authorization": f"Bearer {token}"}
        for method, path in (("GET", "/status"), ("POST", "/stopentry"), ("GET", "/show_config")):
            answer = requests.request(method, bot.url(path), headers=headers, json={}, timeout=10)
            assert answer.status_code == 401, (name, path, answer.text)
            assert answer.json() == {"detail": "Could not validate credentials"}
            assert answer.headers["www-authenticate"] == "Bearer"
        _assert_refused_before_any_frame(_ws_handshake(bot, f"?token={token}"))
    assert bot.ok("GET", "/show_config")["state"] == "running"  # /stopentry never ran


def test_an_access_token_is_no_refresh_token_and_a_refresh_token_no_access_token(
    bot: LiveBot,
) -> None:
    tokens = bot.ok("POST", "/token/login")
    as_refresh = requests.post(
        bot.url("/token/refresh"),
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert as_refresh.status_code == 401
    as_access = requests.get(
        bot.url("/status"),
        headers={"Authorization": f"Bearer {tokens['refresh_token']}"},
        timeout=10,
    )
    assert as_access.status_code == 401
    _assert_refused_before_any_frame(_ws_handshake(bot, f"?token={tokens['refresh_token']}"))
    refreshed = requests.post(
        bot.url("/token/refresh"),
        headers={"Authorization": f"Bearer {tokens['refresh_token']}"},
        timeout=10,
    ).json()["access_token"]
    assert _ws_handshake(bot, f"?token={refreshed}").startswith(b"HTTP/1.1 101")


# -- failed-password throttle ---------------------------------------------------------------------
def _basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def _from(
    bot: LiveBot, source: str, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str]]:
    """GET ``path`` from the loopback address ``source`` (its own throttle bucket)."""
    host, port = bot.base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source, 0))
    try:
        connection.request("GET", f"/api/v1{path}", headers=headers)
        answer = connection.getresponse()
        answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}
    finally:
        connection.close()


def test_ten_wrong_passwords_block_that_client_only_for_a_minute(bot: LiveBot) -> None:
    wrong = _basic("tradewind", "guess")
    statuses = [_from(bot, "127.0.0.2", "/count", wrong)[0] for _ in range(10)]
    assert statuses == [401] * 10
    # blocked now, even with the right password, and a spoofed X-Forwarded-For from an
    # untrusted address does not open a fresh bucket
    right = _basic(*bot.auth)
    status, headers = _from(bot, "127.0.0.2", "/count", right)
    assert status == 429 and 55 <= int(headers["retry-after"]) <= 60
    spoofed = {**right, "X-Forwarded-For": "203.0.113.9"}
    assert _from(bot, "127.0.0.2", "/count", spoofed)[0] == 429
    login = requests.post(bot.url("/token/login"), auth=bot.auth, timeout=10)
    assert login.status_code == 200  # another client (127.0.0.1) is not affected
    assert _from(bot, "127.0.0.2", "/ping", {})[0] == 200  # ping needs no password


def test_a_read_only_login_does_not_reset_the_failure_count(bot: LiveBot) -> None:
    wrong = _basic("tradewind", "guess")
    for _ in range(9):
        assert _from(bot, "127.0.0.3", "/count", wrong)[0] == 401
    viewer = _basic(READONLY_USER, READONLY_PASSWORD)
    assert _from(bot, "127.0.0.3", "/count", viewer)[0] == 200
    assert _from(bot, "127.0.0.3", "/count", wrong)[0] == 401  # the tenth failure
    assert _from(bot, "127.0.0.3", "/count", viewer)[0] == 429
    # the full credentials, in contrast, clear the count (a user who mistyped)
    for _ in range(9):
        assert _from(bot, "127.0.0.4", "/count", wrong)[0] == 401
    assert _from(bot, "127.0.0.4", "/count", _basic(*bot.auth))[0] == 200
    assert _from(bot, "127.0.0.4", "/count", wrong)[0] == 401
    assert _from(bot, "127.0.0.4", "/count", _basic(*bot.auth))[0] == 200


# -- CORS -----------------------------------------------------------------------------------------
NOT_ALLOWED = [
    "http://evil.example",
    "null",
    "https://ui.example:8080",  # other scheme
    "http://ui.example:8081",  # other port
    "http://ui.example",  # default port is another origin
    "http://ui.example:8080.evil.example",
    "http://evil.ui.example:8080",
    "http://UI.example:8080/",
]


def _preflight(bot: LiveBot, origin: str) -> requests.Response:
    return requests.options(
        bot.url("/status"),
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
        timeout=10,
    )


def test_cors_answers_the_configured_origin_with_credentials_and_no_other(bot: LiveBot) -> None:
    allowed = _preflight(bot, ORIGIN)
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert allowed.headers["access-control-allow-credentials"] == "true"
    actual = requests.get(bot.url("/count"), auth=bot.auth, headers={"Origin": ORIGIN}, timeout=10)
    assert actual.headers["access-control-allow-origin"] == ORIGIN
    assert "Origin" in actual.headers["vary"]
    for origin in NOT_ALLOWED:
        refused = _preflight(bot, origin)
        assert refused.status_code == 400, origin
        assert "access-control-allow-origin" not in refused.headers, origin
        answer = requests.get(
            bot.url("/count"), auth=bot.auth, headers={"Origin": origin}, timeout=10
        )
        assert answer.status_code == 200  # the server answers, the browser may not read it
        # without an allow-origin header the browser hides the answer from the page (Starlette
        # still adds allow-credentials, which means nothing on its own)
        assert "access-control-allow-origin" not in answer.headers, origin
