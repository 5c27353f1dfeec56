"""The FastAPI app factory: routes, auth, error mapping, CORS, OpenAPI and the UI.

``create_app(context)`` builds one app around one ``BotContext`` (trading bot or webserver
mode). Order matters and is fixed here: ``/api/v1`` routers first (ping, token routes, the
protected areas), then the message WebSocket when its module is available, then the UI with
its catch-all ``GET /{path}`` — which also turns unknown ``GET /api/...`` paths into 404
``{"detail": "Not Found"}`` and other methods on them into 405.

``/docs`` (Swagger UI) and ``/openapi.json`` are served only with ``api_server.enable_openapi``;
otherwise both paths fall through to the UI like any other path (Freqtrade serves the schema
regardless; no client depends on it, and hiding it shrinks what an unauthenticated visitor
learns).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import fastapi.routing
from fastapi import FastAPI
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.middleware.cors import CORSMiddleware
from starlette.routing import BaseRoute

from tradewind.api.auth import ApiAuth, AuthSettings
from tradewind.api.deps import ApiServices
from tradewind.api.errors import UnexpectedErrorMiddleware, install_error_handlers
from tradewind.api.openapi import document_api
from tradewind.api.routes import api_routers
from tradewind.api.ui import ui_router
from tradewind.config import ApiServerConfig
from tradewind.schemas.json import NanSafeJSONResponse
from tradewind.services.context import BotContext

__all__ = [
    "API_PREFIX",
    "API_VERSION_FEATURES",
    "api_version_for",
    "auth_from_config",
    "create_app",
    "flat_routes",
]

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"
WS_MODULE = "tradewind.api.ws"

Endpoint = tuple[str, str]
"""(method, path) of a route; ``("WS", path)`` for a WebSocket route."""

API_VERSION_FEATURES: tuple[tuple[float, tuple[Endpoint, ...]], ...] = (
    (1.12, (("DELETE", "/blacklist"),)),
    (1.2, (("POST", "/forcesell"),)),
    (2.13, (("POST", "/forcebuy"),)),
    (2.16, (("GET", "/daily"),)),
    (2.17, (("POST", "/forcebuy"), ("POST", "/forcesell"))),
    (2.2, (("WS", "/message/ws"),)),
    (2.21, (("WS", "/message/ws"),)),
    (2.23, (("GET", "/plot_config"),)),
    (2.24, (("DELETE", "/trades/{tradeid}/open-order"),)),
    (2.26, (("GET", "/balance"),)),
    (2.28, (("POST", "/trades/{tradeid}/reload"),)),
    (2.33, (("GET", "/weekly"), ("GET", "/monthly"))),
    (2.34, (("GET", "/entries"), ("GET", "/exits"), ("GET", "/mix_tags"))),
    (2.35, (("POST", "/pair_candles"),)),
    (2.43, (("GET", "/profit_all"),)),
    (2.45, (("POST", "/forcesell"),)),
    (2.47, (("GET", "/strategy/{strategy}"),)),
    (2.48, (("GET", "/historic_balance"),)),
    (
        2.5,
        (
            ("GET", "/trades/open/custom-data"),
            ("GET", "/trades/{trade_id}/custom-data"),
            ("POST", "/locks"),
            ("GET", "/pairlists/available"),
            ("GET", "/ui_version"),
        ),
    ),
)
"""FreqUI's trade-mode features (rest-api.md §0.4) and the endpoints each needs, in version
order; 2.5 additionally requires every remaining P1 endpoint."""

BASE_API_VERSION = 1.0


def flat_routes(app: FastAPI) -> Iterator[tuple[BaseRoute, str]]:
    """``(route, full path)`` of every route of ``app``, included routers flattened.

    FastAPI ≥ 0.16x keeps included routers as nodes of ``app.routes`` and offers
    ``iter_route_contexts`` to walk them; older versions copy the routes flat.
    """
    walk = getattr(fastapi.routing, "iter_route_contexts", None)
    if walk is None:
        for route in app.routes:
            yield route, str(getattr(route, "path", ""))
        return
    for context in walk(app.routes):
        yield context.original_route, str(context.path or "")


def _endpoints(app: FastAPI) -> set[Endpoint]:
    found: set[Endpoint] = set()
    for route, full_path in flat_routes(app):
        path = full_path.removeprefix(API_PREFIX)
        if isinstance(route, APIRoute):
            found.update((method, path) for method in route.methods or ())
        elif isinstance(route, APIWebSocketRoute):
            found.add(("WS", path))
    return found


def api_version_for(app: FastAPI) -> float:
    """The highest API version whose features (and all lower ones) this app serves.

    decisions.md item 1: never report a version whose endpoints are missing.
    """
    available = _endpoints(app)
    version = BASE_API_VERSION
    for feature_version, needed in API_VERSION_FEATURES:
        if not all(endpoint in available for endpoint in needed):
            break
        version = feature_version
    return version


def auth_from_config(api: ApiServerConfig, clock: Callable[[], float] | None = None) -> ApiAuth:
    """The ``ApiAuth`` of an ``api_server`` section."""
    settings = AuthSettings(
        username=api.username,
        password=api.password,
        jwt_secret_key=api.jwt_secret_key,
        ws_token=api.ws_tokens() or None,
        readonly_username=api.readonly_username,
        readonly_password=api.readonly_password,
    )
    return ApiAuth(settings) if clock is None else ApiAuth(settings, clock=clock)


def _websocket_router(context: BotContext, auth: ApiAuth) -> Any:
    """The message WebSocket router, or None while its module does not exist."""
    try:
        module = importlib.import_module(WS_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != WS_MODULE:
            raise  # the module exists but one of its imports is missing: a real error
        log.info("No message WebSocket in this build (%s is not installed).", WS_MODULE)
        return None
    return module.websocket_router(context, auth)


def _api_config(context: BotContext) -> ApiServerConfig | None:
    return context.config.api_server


def _cors_origins(api: ApiServerConfig | None) -> list[str]:
    origins: Iterable[str] = api.CORS_origins if api is not None else ()
    return [origin for origin in origins if origin != "*"]  # never "*" with credentials


def create_app(
    context: BotContext,
    *,
    auth: ApiAuth | None = None,
    clock: Callable[[], float] | None = None,
) -> FastAPI:
    """The API (and UI) app of ``context``'s bot.

    ``auth`` defaults to one built from ``config.api_server``; ``clock`` (wall-clock seconds)
    is handed to it for token lifetimes and the login throttle.
    """
    api = _api_config(context)
    if auth is None:
        if api is None:
            raise ValueError("create_app needs an ApiAuth or a config with an api_server block")
        auth = auth_from_config(api, clock)
    openapi = bool(api and api.enable_openapi)
    app = FastAPI(
        title="tradewind API",
        version=context.version,
        default_response_class=NanSafeJSONResponse,
        docs_url="/docs" if openapi else None,
        redoc_url=None,
        openapi_url="/openapi.json" if openapi else None,
        swagger_ui_oauth2_redirect_url=None,
    )
    app.include_router(auth.token_router(), prefix=API_PREFIX)
    for router in api_routers(auth):
        app.include_router(router, prefix=API_PREFIX)
    ws = _websocket_router(context, auth)
    if ws is not None:
        app.include_router(ws)
    app.include_router(ui_router(context.version))
    app.state.context = context
    app.state.auth = auth
    app.state.services = ApiServices.build(context, api_version=api_version_for(app))
    install_error_handlers(app)
    document_api(app, auth)  # error answers and security schemes in /openapi.json
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=_cors_origins(api),
        allow_credentials=True,
        allow_methods=["*"],
        allow_headers=["*"],
    )
    return app
