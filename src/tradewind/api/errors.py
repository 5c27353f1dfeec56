"""The one place where errors become HTTP answers (rest-api.md §0.3).

| raised | status | body |
|---|---|---|
| ``NotFound`` | 404 | ``{"detail": msg}`` |
| ``LoadFailed`` (history, strategy load) | 502 | ``{"detail": msg}`` |
| ``InvalidRequest``, ``WrongState``, other ``TradewindError`` | 502 | ``{"error": ...}`` (1) |
| ``HTTPException`` (auth, mode, 404/405 of the router) | its own | ``{"detail": ...}`` (2) |
| request validation | 422 | ``{"detail": [pydantic errors]}`` |
| anything else | 500 | ``Internal Server Error`` (text), traceback logged |

(1) ``"Error querying <path without query>: <message>"``. (2) with the exception's headers
(``WWW-Authenticate``, ``Retry-After``, ``Allow``).

FreqUI reads a 500 as "bot offline", so every expected failure must land in one of the first
rows; the last row exists only so that a bug answers cleanly instead of dropping the
connection.

The same table is part of the OpenAPI document (``api/openapi.py`` adds :data:`ERROR_RESPONSES`
to every operation that can answer them), so a schema-driven client or fuzzer can check every
answer, errors included.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tradewind.errors import NotFound, ServiceError, TradewindError
from tradewind.schemas.json import NanSafeJSONResponse
from tradewind.services.candles import LoadFailed

__all__ = [
    "ERROR_RESPONSES",
    "LOAD_FAILED_RESPONSES",
    "NOT_FOUND",
    "NOT_FOUND_RESPONSES",
    "WRONG_MODE",
    "BotError",
    "ErrorDetail",
    "UnexpectedErrorMiddleware",
    "error_body",
    "install_error_handlers",
]

log = logging.getLogger(__name__)

NOT_FOUND = "Not Found"
WRONG_MODE = "Bot is not in the correct state."
"""503 detail of a route that exists but not in this run mode (note the period)."""

_NO_BODY_STATUSES = frozenset({204, 304})


class ErrorDetail(BaseModel):
    """``{"detail": message}``: authentication, read-only, not found, run mode, load failures."""

    detail: str


class BotError(BaseModel):
    """``{"error": "Error querying <path>: <message>"}``: a bot-logic error (Freqtrade's 502)."""

    error: str


ERROR_RESPONSES: dict[int, tuple[type[BaseModel], str]] = {
    400: (ErrorDetail, "The request body could not be decoded"),
    401: (ErrorDetail, "Missing or invalid credentials"),
    403: (ErrorDetail, "Read-only credentials: this route changes the bot"),
    404: (ErrorDetail, "Not found"),
    429: (ErrorDetail, "Too many failed logins from this client; see Retry-After"),
    502: (BotError, "Bot-logic error: wrong state or invalid argument"),
    503: (ErrorDetail, "The route is not available in this run mode"),
}
"""Error statuses an operation may document, with their body model and description."""

NOT_FOUND_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorDetail, "description": ERROR_RESPONSES[404][1]}
}
"""``responses=`` of the routes that answer 404 for an unknown trade, strategy or custom data."""

LOAD_FAILED_RESPONSES: dict[int | str, dict[str, Any]] = {
    502: {
        "model": BotError | ErrorDetail,
        "description": "Bot-logic error, or history/strategy loading failed ({detail})",
    }
}
"""``responses=`` of the routes whose loading failures answer 502 ``{"detail"}``."""


def error_body(path: str, message: str) -> dict[str, str]:
    """The bot-logic error body: ``{"error": "Error querying <path>: <message>"}``."""
    return {"error": f"Error querying {path}: {message}"}


async def _not_found(request: Request, exc: Exception) -> Response:
    return NanSafeJSONResponse({"detail": str(exc)}, status_code=404)


async def _load_failed(request: Request, exc: Exception) -> Response:
    return NanSafeJSONResponse({"detail": str(exc)}, status_code=502)


async def _bot_error(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, ServiceError):  # e.g. an exchange failure under a remote action
        log.warning("%s %s failed: %s", request.method, request.url.path, exc)
    # The path without the query string, as Freqtrade reports it.
    return NanSafeJSONResponse(error_body(request.url.path, str(exc)), status_code=502)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers) if exc.headers else None  # WWW-Authenticate, Retry-After, Allow
    if exc.status_code in _NO_BODY_STATUSES:
        return Response(status_code=exc.status_code, headers=headers)
    return NanSafeJSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # NaN-safe: a body such as {"price": NaN} is accepted by Python's JSON parser and echoed
    # back as "input"; the stock response class would fail on it with a 500.
    return NanSafeJSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)


def install_error_handlers(app: FastAPI) -> None:
    """Register the mapping of the module docstring on ``app``.

    Starlette picks the handler of the nearest class in the exception's MRO, so ``NotFound``
    and ``LoadFailed`` win over the ``TradewindError`` catch-all of bot-logic errors.
    """
    app.add_exception_handler(NotFound, _not_found)
    app.add_exception_handler(LoadFailed, _load_failed)
    app.add_exception_handler(TradewindError, _bot_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


class UnexpectedErrorMiddleware:
    """Answers 500 ``Internal Server Error`` to an exception no handler knows, logging it once.

    Sits inside the CORS middleware, so even this answer carries the CORS headers a browser
    needs to read it. If the response had already started, the connection is simply closed.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception:  # the boundary of the HTTP adapter: a bug must not kill the server
            log.exception("Unexpected error answering %s %s", scope["method"], scope["path"])
            if started:
                return
            response = PlainTextResponse("Internal Server Error", status_code=500)
            await response(scope, receive, send)
