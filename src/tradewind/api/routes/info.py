"""Public ping and the info routes: version, show_config, logs, sysinfo, health (§2.1, §3)."""

from __future__ import annotations

from fastapi import APIRouter

from tradewind.api.auth import ApiAuth
from tradewind.api.deps import Info
from tradewind.schemas.info import Health, Logs, Ping, ShowConfig, SysInfo, Version

__all__ = ["public_router", "router"]


async def ping() -> Ping:
    """Liveness probe; performs no checks."""
    return Ping()


async def version(info: Info) -> Version:
    return info.version()


async def show_config(info: Info) -> ShowConfig:
    return info.show_config()


async def logs(info: Info, limit: int | None = None) -> Logs:
    return info.logs(limit)


async def sysinfo(info: Info) -> SysInfo:
    return await info.sysinfo()


async def health(info: Info) -> Health:
    return info.health()


def public_router() -> APIRouter:
    """``GET``/``HEAD /ping``: the only public API route."""
    router = APIRouter(tags=["Info"])
    for method in ("GET", "HEAD"):  # one route each: distinct OpenAPI operation ids
        router.add_api_route("/ping", ping, methods=[method], response_model=Ping)
    return router


def router(auth: ApiAuth) -> APIRouter:
    """Info routes, available in every run mode."""
    routes = auth.protected_router(tags=["Info"])
    routes.add_api_route("/version", version, methods=["GET"], response_model=Version)
    routes.add_api_route("/show_config", show_config, methods=["GET"], response_model=ShowConfig)
    routes.add_api_route("/logs", logs, methods=["GET"], response_model=Logs)
    routes.add_api_route("/sysinfo", sysinfo, methods=["GET"], response_model=SysInfo)
    routes.add_api_route("/health", health, methods=["GET"], response_model=Health)
    return routes
