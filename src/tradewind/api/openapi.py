"""What the OpenAPI document says beyond FastAPI's defaults: error answers and authentication.

FastAPI documents a route's success answer and, for routes with parameters, the 422 of request
validation. The other answers come from the dependencies a route runs — authentication (401,
429 after too many failed logins), write access (403 for read-only credentials), the run-mode
check (503) — from bot-logic errors (502 ``{"error"}``) and from a body that cannot be decoded
(400). :func:`document_api` derives them from each route's dependencies, so a new route is
documented the moment it is protected, and declares the HTTP Basic / Bearer security schemes
(Swagger UI's "Authorize" button uses them). Routes with answers of their own (404, the 502
``{"detail"}`` of loading failures) declare them with ``responses=``; those are kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import fastapi.routing
from fastapi import FastAPI
from fastapi.routing import APIRoute

from tradewind.api.auth import ApiAuth
from tradewind.api.deps import requires_trade_mode, requires_webserver_mode, write_access
from tradewind.api.errors import ERROR_RESPONSES, BotError, ErrorDetail

__all__ = ["SECURITY_SCHEMES", "document_api"]

SECURITY_SCHEMES: dict[str, dict[str, str]] = {
    "HTTPBasic": {"type": "http", "scheme": "basic"},
    "HTTPBearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
}
_PROTECTED: list[dict[str, list[str]]] = [{"HTTPBasic": []}, {"HTTPBearer": []}]
_MODE_CHECKS = (requires_trade_mode, requires_webserver_mode)


def _api_routes(app: FastAPI) -> Iterator[tuple[APIRoute, str, list[Any]]]:
    """``(route, full path, dependency callables)`` of every HTTP route, router ones included."""
    walk = getattr(fastapi.routing, "iter_route_contexts", None)
    if walk is None:  # older FastAPI copies the routes flat, their dependencies merged
        for route in app.routes:
            if isinstance(route, APIRoute):
                yield route, route.path, [d.dependency for d in route.dependencies]
        return
    for context in walk(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute):
            yield route, str(context.path), [d.dependency for d in context.dependencies]


def _statuses(route: APIRoute, dependencies: list[Any], auth: ApiAuth) -> set[int]:
    statuses: set[int] = set()
    if auth.require_principal in dependencies:
        statuses |= {401, 429, 502}
    if write_access.dependency in dependencies:
        statuses.add(403)
    if any(check in dependencies for check in _MODE_CHECKS):
        statuses.add(503)
    if route.endpoint == auth.login:
        statuses |= {401, 429}
    elif route.endpoint == auth.refresh:
        statuses.add(401)
    if route.body_field is not None:
        statuses.add(400)
    return statuses


def _security(route: APIRoute, dependencies: list[Any], auth: ApiAuth) -> list[Any] | None:
    if auth.require_principal in dependencies:
        return _PROTECTED
    if route.endpoint == auth.login:
        return [{"HTTPBasic": []}]
    if route.endpoint == auth.refresh:
        return [{"HTTPBearer": []}]
    return None


def _error_response(status: int) -> dict[str, Any]:
    model, description = ERROR_RESPONSES[status]
    schema = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _add(openapi: dict[str, Any], app: FastAPI, auth: ApiAuth) -> None:
    components = openapi.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for model in (ErrorDetail, BotError):
        schemas.setdefault(model.__name__, model.model_json_schema())
    components["securitySchemes"] = SECURITY_SCHEMES
    paths = openapi.get("paths", {})
    for route, path, dependencies in _api_routes(app):
        statuses = _statuses(route, dependencies, auth)
        security = _security(route, dependencies, auth)
        for method in route.methods or ():
            operation = paths.get(path, {}).get(method.lower())
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            for status in sorted(statuses):
                responses.setdefault(str(status), _error_response(status))  # own ones win
            if security is not None:
                operation["security"] = security


def document_api(app: FastAPI, auth: ApiAuth) -> None:
    """Make ``app.openapi()`` include the error answers and security of every operation."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()  # FastAPI's document, cached on app.openapi_schema
            _add(document, app, auth)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]
