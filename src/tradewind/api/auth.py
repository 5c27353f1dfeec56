"""Authentication of the REST API and the message WebSocket (auth-and-server.md §2–§4).

Wiring (done by the app factory; nothing here is global):

* ``auth = ApiAuth(AuthSettings(...))`` — one per app, built from ``config.api_server``.
* ``app.include_router(auth.token_router(), prefix="/api/v1")`` — ``POST /token/login`` (Basic)
  and ``POST /token/refresh`` (Bearer refresh token).
* Every protected router gets the **router-level** dependency ``Depends(auth.require_principal)``
  (``auth.protected_router(...)`` builds such a router). Public routes (ping, UI) stay outside.
* Routes that change state add ``dependencies=[Depends(require_write)]`` (module-level, no
  instance needed), which answers 403 to read-only principals.
* The WebSocket route declares ``principal: Annotated[Principal, Depends(auth.require_websocket)]``.

Why authentication runs before request validation (§2.2: unauthenticated + bad body → 401, not
422): FastAPI solves a route's dependencies (router-level ones first, in order) *before* it
validates the route's own path/query/body parameters, and it collects validation errors but
lets an ``HTTPException`` raised by a dependency propagate at once. ``require_principal`` takes
only the raw ``Request`` (it cannot fail validation itself), so a missing or bad credential
ends the request with 401 before any parameter error is reported. One exception is inherent to
FastAPI (and Freqtrade behaves the same): a body that is not JSON at all is rejected while the
body is read, before dependencies run, so it answers 422 ``json_invalid`` even without
credentials.

``require_principal`` stores the :class:`Principal` on ``request.state.principal``;
:func:`current_principal` reads it back (401 if the route was not protected — fail closed).

Extensions beyond Freqtrade: read-only credentials (``readonly_username``/``readonly_password``;
their tokens carry ``"ro": true`` in ``identity``) and a failed-login throttle per client IP.
Secrets never reach logs, reprs or responses. The JWTs themselves live in ``api/tokens.py``, the
throttle in ``api/throttle.py``; this module holds :class:`ApiAuth`, its settings and the
FastAPI dependencies.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, WebSocket, WebSocketException
from starlette import status

from tradewind.api.throttle import Clock, LoginThrottle
from tradewind.api.tokens import (
    ACCESS_TOKEN_LIFETIME,
    REFRESH_TOKEN_LIFETIME,
    Principal,
    TokenType,
    create_token,
    decode_token,
    principal_from_claims,
)
from tradewind.schemas.auth import AccessAndRefreshToken, AccessToken

__all__ = [
    "ApiAuth",
    "AuthSettings",
    "current_principal",
    "require_write",
]

logger = logging.getLogger(__name__)

_LIFETIMES = {"access": ACCESS_TOKEN_LIFETIME, "refresh": REFRESH_TOKEN_LIFETIME}

UNAUTHORIZED = "Unauthorized"
BAD_BEARER = "Could not validate credentials"
NOT_AUTHENTICATED = "Not authenticated"
BAD_LOGIN = "Incorrect username or password"
READ_ONLY_REFUSED = "Read-only access: this action is not allowed."
THROTTLED = "Too many failed login attempts, retry later."
WS_PRINCIPAL_NAME = "ws_token"


@dataclass(frozen=True)
class AuthSettings:
    """What authentication needs from ``api_server`` (the composition root adapts the config)."""

    username: str
    password: str = field(repr=False)
    jwt_secret_key: str = field(repr=False)
    ws_token: str | Sequence[str] | None = field(default=None, repr=False)
    readonly_username: str | None = None
    readonly_password: str | None = field(default=None, repr=False)


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode("utf-8")).digest()


@dataclass(frozen=True)
class _Credentials:
    """Digests of one configured user/password pair; digests have equal length, so the
    constant-time comparison leaks neither content nor length."""

    user_digest: bytes = field(repr=False)
    password_digest: bytes = field(repr=False)

    def matches(self, user: bytes, password: bytes) -> bool:
        # `&`, not `and`: both comparisons always run
        return hmac.compare_digest(user, self.user_digest) & hmac.compare_digest(
            password, self.password_digest
        )


def _decode_basic(param: str) -> tuple[str, str] | None:
    """``(username, password)`` of a Basic credential, or ``None`` if it is malformed."""
    try:
        text = base64.b64decode(param, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, separator, password = text.partition(":")
    return (username, password) if separator else None


def _authorization(request: Request) -> tuple[str, str]:
    """``(lower-case scheme, parameter)`` of the Authorization header (``("", "")`` if none)."""
    scheme, _, param = request.headers.get("authorization", "").strip().partition(" ")
    return scheme.lower(), param.strip()


def _client_key(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _unauthorized(detail: str, challenge: str | None = None) -> HTTPException:
    headers = {"WWW-Authenticate": challenge} if challenge else None
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=detail, headers=headers)


class ApiAuth:
    """Checks credentials for one app: FastAPI dependencies, token endpoints, WebSocket tokens."""

    def __init__(
        self,
        settings: AuthSettings,
        *,
        clock: Clock = time.time,
        throttle: LoginThrottle | None = None,
    ) -> None:
        self._secret = settings.jwt_secret_key
        self._clock = clock
        self._throttle = throttle if throttle is not None else LoginThrottle(clock=clock)
        self._credentials = [_Credentials(_digest(settings.username), _digest(settings.password))]
        ro_user, ro_password = settings.readonly_username, settings.readonly_password
        if ro_user and ro_password is not None:
            self._credentials.append(_Credentials(_digest(ro_user), _digest(ro_password)))
        self._full_username = settings.username
        self._readonly_username = settings.readonly_username or ""
        tokens = [settings.ws_token] if isinstance(settings.ws_token, str) else settings.ws_token
        self._ws_token_digests = [_digest(token) for token in tokens or () if token]

    def check_basic(self, username: str, password: str) -> Principal | None:
        """The principal these credentials belong to (constant time per credential set)."""
        user, secret = _digest(username), _digest(password)
        matches = [creds.matches(user, secret) for creds in self._credentials]  # all compared
        if matches[0]:
            return Principal(self._full_username)
        if len(matches) > 1 and matches[1]:
            return Principal(self._readonly_username, read_only=True)
        return None

    def check_token(self, token: str, token_type: TokenType) -> Principal | None:
        """The principal of a valid JWT of ``token_type``, else ``None``."""
        claims = decode_token(token, self._secret, token_type, now=self._clock())
        return principal_from_claims(claims) if claims is not None else None

    def check_ws_token(self, token: str | None) -> Principal | None:
        """WebSocket ``?token=``: a configured ``ws_token`` or a JWT access token (§4)."""
        if not token:
            return None
        given = _digest(token)
        matched = False
        for expected in self._ws_token_digests:
            matched |= hmac.compare_digest(given, expected)  # no early exit
        if matched:
            return Principal(WS_PRINCIPAL_NAME, read_only=True)
        return self.check_token(token, "access")

    def issue_token(self, principal: Principal, token_type: TokenType) -> str:
        """A fresh token of ``token_type`` (access: 15 min, refresh: 30 days) for ``principal``."""
        lifetime = _LIFETIMES[token_type]
        return create_token(principal, self._secret, token_type, lifetime, now=self._clock())

    async def require_principal(self, request: Request) -> Principal:
        """Router-level dependency of every protected route (§2.1); sets ``request.state``."""
        scheme, param = _authorization(request)
        if scheme == "bearer":
            principal = self.check_token(param, "access")
            if principal is None:
                raise _unauthorized(BAD_BEARER, "Bearer")
        elif scheme == "basic":
            principal = self._password_attempt(request, param)
            if principal is None:
                raise _unauthorized(UNAUTHORIZED)
        else:
            raise _unauthorized(UNAUTHORIZED)
        request.state.principal = principal
        return principal

    async def require_websocket(self, websocket: WebSocket, token: str | None = None) -> Principal:
        """WebSocket dependency: refuses the handshake (HTTP 403 / close 1008) without a token."""
        principal = self.check_ws_token(token)
        if principal is None:
            raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION)
        websocket.state.principal = principal
        return principal

    async def login(self, request: Request) -> AccessAndRefreshToken:
        """``POST /token/login`` (§3.1): Basic credentials in, access + refresh token out."""
        scheme, param = _authorization(request)
        if scheme != "basic":
            raise _unauthorized(NOT_AUTHENTICATED, "Basic")
        principal = self._password_attempt(request, param)
        if principal is None:
            raise _unauthorized(BAD_LOGIN)
        return AccessAndRefreshToken(
            access_token=self.issue_token(principal, "access"),
            refresh_token=self.issue_token(principal, "refresh"),
        )

    async def refresh(self, request: Request) -> AccessToken:
        """``POST /token/refresh`` (§3.2): a refresh token in, a new access token out."""
        scheme, param = _authorization(request)
        principal = self.check_token(param, "refresh") if scheme == "bearer" else None
        if principal is None:
            raise _unauthorized(BAD_BEARER, "Bearer")
        return AccessToken(access_token=self.issue_token(principal, "access"))

    def token_router(self) -> APIRouter:
        """``/token/login`` and ``/token/refresh``; include it under ``/api/v1``, unprotected."""
        router = APIRouter(tags=["Auth"])
        router.add_api_route(
            "/token/login", self.login, methods=["POST"], response_model=AccessAndRefreshToken
        )
        router.add_api_route(
            "/token/refresh", self.refresh, methods=["POST"], response_model=AccessToken
        )
        return router

    def protected_router(self, **kwargs: Any) -> APIRouter:
        """An ``APIRouter`` whose every route requires authentication (extra kwargs passed on)."""
        dependencies = [Depends(self.require_principal), *kwargs.pop("dependencies", [])]
        return APIRouter(dependencies=dependencies, **kwargs)

    def _password_attempt(self, request: Request, param: str) -> Principal | None:
        """Check a Basic credential under the throttle (429 while the client is blocked)."""
        client = _client_key(request)
        wait = self._throttle.retry_after(client)
        if wait is not None:
            raise HTTPException(
                status.HTTP_429_TOO_MANY_REQUESTS,
                detail=THROTTLED,
                headers={"Retry-After": str(max(1, round(wait)))},
            )
        decoded = _decode_basic(param)
        principal = self.check_basic(*decoded) if decoded is not None else None
        if principal is None:
            logger.info("Failed API login from %s", client)
            self._throttle.record_failure(client)
        elif not principal.read_only:
            # Only the full credentials clear the count: otherwise a read-only viewer could
            # log in between every nine guesses of the full password and never be throttled.
            self._throttle.reset(client)
        return principal


def current_principal(request: Request) -> Principal:
    """The principal ``require_principal`` stored for this request (401 if there is none)."""
    principal = getattr(request.state, "principal", None)
    if not isinstance(principal, Principal):
        raise _unauthorized(UNAUTHORIZED)
    return principal


def require_write(principal: Annotated[Principal, Depends(current_principal)]) -> Principal:
    """Route dependency for state-changing routes: 403 for read-only principals."""
    if principal.read_only:
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=READ_ONLY_REFUSED)
    return principal
