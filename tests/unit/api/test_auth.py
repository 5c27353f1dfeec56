"""Authentication per auth-and-server.md §2–§4, on a tiny app wired like the real one.

No ``from __future__ import annotations`` here: the WebSocket route's ``Annotated`` dependency
refers to a local ``ApiAuth`` instance, which FastAPI could not resolve from a string annotation.
"""

import base64
import json
from typing import Annotated, Any

import jwt
import pytest
from fastapi import Depends, FastAPI, Query, WebSocket
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from tradewind.api.auth import ApiAuth, AuthSettings, current_principal, require_write
from tradewind.api.throttle import LoginThrottle
from tradewind.api.tokens import (
    ACCESS_TOKEN_LIFETIME,
    REFRESH_TOKEN_LIFETIME,
    Principal,
    create_token,
    decode_token,
)
from tradewind.schemas.control import ForceEnterPayload
from tradewind.schemas.json import NanSafeJSONResponse

SECRET = "a-test-secret-that-is-long-enough-for-hs256"
T0 = 1_795_000_000.0


class FakeClock:
    """Wall-clock seconds that tests move by hand."""

    def __init__(self, start: float = T0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_settings(**overrides: Any) -> AuthSettings:
    values: dict[str, Any] = {
        "username": "freqtrader",
        "password": "SuperSecret1!",
        "jwt_secret_key": SECRET,
        "ws_token": ["ws-token-a", "ws-token-b"],
        "readonly_username": "viewer",
        "readonly_password": "look-only",
    }
    return AuthSettings(**(values | overrides))


def make_app(auth: ApiAuth) -> FastAPI:
    app = FastAPI(default_response_class=NanSafeJSONResponse)
    app.include_router(auth.token_router(), prefix="/api/v1")
    protected = auth.protected_router(prefix="/api/v1")

    @protected.get("/status")
    def status(principal: Annotated[Principal, Depends(current_principal)]) -> dict[str, Any]:
        return {"user": principal.username, "read_only": principal.read_only}

    @protected.get("/daily")
    def daily(timescale: Annotated[int, Query(ge=1)] = 7) -> dict[str, int]:
        return {"timescale": timescale}

    @protected.post("/forceenter", dependencies=[Depends(require_write)])
    def forceenter(payload: ForceEnterPayload) -> dict[str, str]:
        return {"pair": payload.pair}

    @protected.post("/start", dependencies=[Depends(require_write)])
    def start() -> dict[str, str]:
        return {"status": "starting trader ..."}

    app.include_router(protected)

    @app.get("/unprotected-but-asks")
    def misconfigured(principal: Annotated[Principal, Depends(current_principal)]) -> str:
        return principal.username

    @app.websocket("/api/v1/message/ws")
    async def message_ws(
        websocket: WebSocket, principal: Annotated[Principal, Depends(auth.require_websocket)]
    ) -> None:
        await websocket.accept()
        await websocket.send_json({"user": principal.username})
        await websocket.close()

    return app


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(clock: FakeClock) -> TestClient:
    return TestClient(make_app(ApiAuth(make_settings(), clock=clock)))


FULL = ("freqtrader", "SuperSecret1!")
READ_ONLY = ("viewer", "look-only")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def login(client: TestClient, credentials: tuple[str, str] = FULL) -> dict[str, str]:
    response = client.post("/api/v1/token/login", auth=credentials, json={})
    assert response.status_code == 200, response.text
    tokens: dict[str, str] = response.json()
    return tokens


def b64url(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def access_payload(now: float = T0, **overrides: Any) -> dict[str, Any]:
    payload = {"identity": {"u": "freqtrader"}, "exp": int(now) + 900, "iat": int(now)}
    return payload | {"type": "access"} | overrides


# ----------------------------------------------------------------- protected routes (§2.1)


def test_no_credentials_is_401_unauthorized_without_a_challenge(client: TestClient) -> None:
    response = client.get("/api/v1/status")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert "www-authenticate" not in response.headers


def test_basic_credentials_are_accepted(client: TestClient) -> None:
    response = client.get("/api/v1/status", auth=FULL)

    assert response.json() == {"user": "freqtrader", "read_only": False}


@pytest.mark.parametrize(
    "header",
    [
        "Basic " + base64.b64encode(b"freqtrader:wrong").decode(),
        "Basic " + base64.b64encode(b"someone:SuperSecret1!").decode(),
        "Basic " + base64.b64encode(b"no-colon").decode(),
        "Basic not*base64",
        "Digest abc",
    ],
)
def test_bad_basic_credentials_are_401_unauthorized(client: TestClient, header: str) -> None:
    response = client.get("/api/v1/status", headers={"Authorization": header})

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert "www-authenticate" not in response.headers


def test_a_valid_access_token_is_accepted(client: TestClient) -> None:
    tokens = login(client)

    response = client.get("/api/v1/status", headers=bearer(tokens["access_token"]))

    assert response.json() == {"user": "freqtrader", "read_only": False}


def _assert_bad_bearer(response: Any) -> None:
    assert response.status_code == 401
    assert response.json() == {"detail": "Could not validate credentials"}
    assert response.headers["www-authenticate"] == "Bearer"


def test_expired_access_token_is_refused(client: TestClient, clock: FakeClock) -> None:
    token = login(client)["access_token"]
    clock.advance(ACCESS_TOKEN_LIFETIME.total_seconds() - 1)
    assert client.get("/api/v1/status", headers=bearer(token)).status_code == 200

    clock.advance(1)

    _assert_bad_bearer(client.get("/api/v1/status", headers=bearer(token)))


def test_tampered_token_is_refused(client: TestClient) -> None:
    header, _, signature = login(client)["access_token"].split(".")
    forged = f"{header}.{b64url(access_payload(identity={'u': 'admin'}))}.{signature}"

    _assert_bad_bearer(client.get("/api/v1/status", headers=bearer(forged)))


def test_token_signed_with_another_secret_is_refused(client: TestClient) -> None:
    token = create_token(
        "freqtrader", "another-secret-another-secret-1234", "access", ACCESS_TOKEN_LIFETIME, now=T0
    )

    _assert_bad_bearer(client.get("/api/v1/status", headers=bearer(token)))


def test_unsigned_alg_none_token_is_refused(client: TestClient) -> None:
    token = f"{b64url({'alg': 'none', 'typ': 'JWT'})}.{b64url(access_payload())}."

    _assert_bad_bearer(client.get("/api/v1/status", headers=bearer(token)))


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_other_hmac_algorithms_with_the_right_secret_are_refused(client: TestClient) -> None:
    token = jwt.encode(access_payload(), SECRET, algorithm="HS512")

    _assert_bad_bearer(client.get("/api/v1/status", headers=bearer(token)))


def test_refresh_token_is_not_an_access_token(client: TestClient) -> None:
    refresh_token = login(client)["refresh_token"]

    _assert_bad_bearer(client.get("/api/v1/status", headers=bearer(refresh_token)))


def test_bearer_wins_over_nothing_even_when_garbage(client: TestClient) -> None:
    _assert_bad_bearer(client.get("/api/v1/status", headers=bearer("garbage")))


def test_a_route_outside_the_protected_router_fails_closed(client: TestClient) -> None:
    response = client.get("/unprotected-but-asks", auth=FULL)

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


# ----------------------------------------------------------------- order of checks (§2.2)


def test_unauthenticated_bad_body_is_401_not_422(client: TestClient) -> None:
    response = client.post("/api/v1/forceenter", json={})

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


def test_unauthenticated_bad_query_is_401_not_422(client: TestClient) -> None:
    assert client.get("/api/v1/daily?timescale=0").status_code == 401
    _assert_bad_bearer(client.get("/api/v1/daily?timescale=0", headers=bearer("x")))


def test_authenticated_bad_body_and_query_are_422(client: TestClient) -> None:
    assert client.post("/api/v1/forceenter", json={}, auth=FULL).status_code == 422
    assert client.get("/api/v1/daily?timescale=0", auth=FULL).status_code == 422


# ----------------------------------------------------------------- login and refresh (§3)


def test_login_without_basic_is_401_not_authenticated_with_basic_challenge(
    client: TestClient,
) -> None:
    response = client.post("/api/v1/token/login", json={})

    assert response.status_code == 401
    assert response.json() == {"detail": "Not authenticated"}
    assert response.headers["www-authenticate"] == "Basic"


def test_login_with_wrong_password_is_401_incorrect(client: TestClient) -> None:
    response = client.post("/api/v1/token/login", auth=("freqtrader", "nope"), json={})

    assert response.status_code == 401
    assert response.json() == {"detail": "Incorrect username or password"}


def test_login_issues_hs256_tokens_with_the_freqtrade_payload(client: TestClient) -> None:
    tokens = login(client)

    assert list(tokens) == ["access_token", "refresh_token"]
    assert jwt.get_unverified_header(tokens["access_token"]) == {"alg": "HS256", "typ": "JWT"}
    access = jwt.decode(
        tokens["access_token"],
        SECRET,
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_iat": False},
    )
    refresh = jwt.decode(
        tokens["refresh_token"],
        SECRET,
        algorithms=["HS256"],
        options={"verify_exp": False, "verify_iat": False},
    )
    assert access == {
        "identity": {"u": "freqtrader"},
        "exp": int(T0) + 900,
        "iat": int(T0),
        "type": "access",
    }
    assert refresh["type"] == "refresh"
    assert refresh["exp"] - refresh["iat"] == REFRESH_TOKEN_LIFETIME.total_seconds()


def test_refresh_returns_a_new_working_access_token(client: TestClient, clock: FakeClock) -> None:
    refresh_token = login(client)["refresh_token"]
    clock.advance(3600)

    response = client.post("/api/v1/token/refresh", headers=bearer(refresh_token), json={})

    assert list(response.json()) == ["access_token"]
    new_access = response.json()["access_token"]
    assert client.get("/api/v1/status", headers=bearer(new_access)).status_code == 200


@pytest.mark.parametrize("kind", ["access", "basic", "none", "expired"])
def test_refresh_refuses_anything_but_a_valid_refresh_token(
    client: TestClient, clock: FakeClock, kind: str
) -> None:
    tokens = login(client)
    headers: dict[str, str] = {}
    options: dict[str, Any] = {}
    if kind == "access":
        headers = bearer(tokens["access_token"])
    elif kind == "basic":
        options = {"auth": FULL}
    elif kind == "expired":
        headers = bearer(tokens["refresh_token"])
        clock.advance(REFRESH_TOKEN_LIFETIME.total_seconds())

    _assert_bad_bearer(client.post("/api/v1/token/refresh", headers=headers, json={}, **options))


def test_changing_the_secret_invalidates_tokens(clock: FakeClock) -> None:
    old = TestClient(make_app(ApiAuth(make_settings(), clock=clock)))
    token = login(old)["access_token"]
    new = TestClient(make_app(ApiAuth(make_settings(jwt_secret_key="x" * 40), clock=clock)))

    _assert_bad_bearer(new.get("/api/v1/status", headers=bearer(token)))


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")
def test_the_seed_short_secret_still_works(clock: FakeClock) -> None:
    client = TestClient(
        make_app(ApiAuth(make_settings(jwt_secret_key="somethingrandom"), clock=clock))
    )

    token = login(client)["access_token"]

    assert client.get("/api/v1/status", headers=bearer(token)).status_code == 200


# ----------------------------------------------------------------- pure token functions


def test_decode_token_accepts_a_token_without_exp() -> None:
    token = jwt.encode({"identity": {"u": "x"}, "type": "access"}, SECRET, algorithm="HS256")

    assert decode_token(token, SECRET, "access", now=T0) == {
        "identity": {"u": "x"},
        "type": "access",
    }


@pytest.mark.parametrize(
    "payload",
    [
        {"identity": {}, "type": "access"},
        {"identity": "freqtrader", "type": "access"},
        {"identity": {"u": "x"}, "type": "refresh"},
        {"identity": {"u": "x"}},
        {"identity": {"u": "x"}, "type": "access", "exp": "soon"},
    ],
)
def test_decode_token_refuses_bad_claims(payload: dict[str, Any]) -> None:
    token = jwt.encode(payload, SECRET, algorithm="HS256")

    assert decode_token(token, SECRET, "access", now=T0) is None


def test_identity_is_not_compared_with_the_configured_username(client: TestClient) -> None:
    token = create_token("someone-else", SECRET, "access", ACCESS_TOKEN_LIFETIME, now=T0)

    assert client.get("/api/v1/status", headers=bearer(token)).json()["user"] == "someone-else"


def test_settings_repr_shows_no_secret() -> None:
    text = repr(make_settings())

    for secret in ("SuperSecret1!", SECRET, "ws-token-a", "look-only"):
        assert secret not in text


# ----------------------------------------------------------------- read-only principals


def test_read_only_basic_can_read_but_not_write(client: TestClient) -> None:
    assert client.get("/api/v1/status", auth=READ_ONLY).json() == {
        "user": "viewer",
        "read_only": True,
    }

    response = client.post("/api/v1/start", auth=READ_ONLY, json={})

    assert response.status_code == 403
    assert response.json() == {"detail": "Read-only access: this action is not allowed."}


def test_read_only_tokens_carry_the_flag_through_refresh(client: TestClient) -> None:
    tokens = login(client, READ_ONLY)
    claims = decode_token(tokens["access_token"], SECRET, "access", now=T0)
    assert claims is not None
    assert claims["identity"] == {"u": "viewer", "ro": True}
    refreshed = client.post("/api/v1/token/refresh", headers=bearer(tokens["refresh_token"]))

    response = client.post(
        "/api/v1/forceenter",
        headers=bearer(refreshed.json()["access_token"]),
        json={"pair": "ETH/USDT"},
    )

    assert response.status_code == 403


def test_full_principal_may_write(client: TestClient) -> None:
    response = client.post("/api/v1/forceenter", auth=FULL, json={"pair": "ETH/USDT"})

    assert response.json() == {"pair": "ETH/USDT"}


def test_read_only_login_is_disabled_when_not_configured(clock: FakeClock) -> None:
    settings = make_settings(readonly_username=None, readonly_password=None)
    client = TestClient(make_app(ApiAuth(settings, clock=clock)))

    assert client.get("/api/v1/status", auth=READ_ONLY).status_code == 401


# ----------------------------------------------------------------- failed-login throttle


def _fail(client: TestClient, times: int) -> None:
    for _ in range(times):
        assert client.get("/api/v1/status", auth=("freqtrader", "wrong")).status_code == 401


def test_ten_failures_block_the_client_then_the_window_passes(
    client: TestClient, clock: FakeClock
) -> None:
    _fail(client, 10)

    blocked = client.get("/api/v1/status", auth=FULL)
    blocked_login = client.post("/api/v1/token/login", auth=FULL)

    assert blocked.status_code == 429
    assert blocked.json() == {"detail": "Too many failed login attempts, retry later."}
    assert blocked.headers["retry-after"] == "60"
    assert blocked_login.status_code == 429

    clock.advance(61)

    assert client.get("/api/v1/status", auth=FULL).status_code == 200


def test_failed_logins_count_and_a_success_resets_the_count(
    client: TestClient, clock: FakeClock
) -> None:
    for _ in range(9):
        client.post("/api/v1/token/login", auth=("freqtrader", "wrong"))
    login(client)
    _fail(client, 9)

    assert client.get("/api/v1/status", auth=FULL).status_code == 200


def test_failures_older_than_the_window_are_forgotten(client: TestClient, clock: FakeClock) -> None:
    _fail(client, 9)
    clock.advance(60)
    _fail(client, 9)

    assert client.get("/api/v1/status", auth=FULL).status_code == 200


def test_a_valid_token_still_works_while_passwords_are_blocked(client: TestClient) -> None:
    token = login(client)["access_token"]
    _fail(client, 10)

    assert client.get("/api/v1/status", headers=bearer(token)).status_code == 200


def test_throttle_limit_is_configurable(clock: FakeClock) -> None:
    throttle = LoginThrottle(max_failures=2, window_seconds=5, clock=clock)
    client = TestClient(make_app(ApiAuth(make_settings(), clock=clock, throttle=throttle)))

    _fail(client, 2)

    assert client.get("/api/v1/status", auth=FULL).status_code == 429
    clock.advance(5)
    assert client.get("/api/v1/status", auth=FULL).status_code == 200


# ----------------------------------------------------------------- WebSocket (§4)


@pytest.mark.parametrize("token", ["ws-token-a", "ws-token-b"])
def test_websocket_accepts_a_configured_ws_token(client: TestClient, token: str) -> None:
    with client.websocket_connect(f"/api/v1/message/ws?token={token}") as ws:
        assert ws.receive_json() == {"user": "ws_token"}


def test_websocket_accepts_a_single_string_ws_token(clock: FakeClock) -> None:
    client = TestClient(make_app(ApiAuth(make_settings(ws_token="only-one"), clock=clock)))

    with client.websocket_connect("/api/v1/message/ws?token=only-one") as ws:
        assert ws.receive_json() == {"user": "ws_token"}


def test_websocket_accepts_a_jwt_access_token(client: TestClient) -> None:
    token = login(client)["access_token"]

    with client.websocket_connect(f"/api/v1/message/ws?token={token}") as ws:
        assert ws.receive_json() == {"user": "freqtrader"}


@pytest.mark.parametrize("query", ["", "?token=", "?token=wrong", "?token=REFRESH"])
def test_websocket_refuses_before_accepting(client: TestClient, query: str) -> None:
    query = query.replace("REFRESH", login(client)["refresh_token"])

    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(f"/api/v1/message/ws{query}"),
    ):
        pass

    assert refused.value.code == 1008
