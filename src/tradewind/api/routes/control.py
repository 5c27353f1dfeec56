"""Bot control and manual trading (§4, §5.8, §5.9); trade mode only, write access required."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from tradewind.api.auth import ApiAuth
from tradewind.api.deps import Control, requires_trade_mode, write_access
from tradewind.schemas.control import (
    ForceEnterPayload,
    ForceEnterResponse,
    ForceExitPayload,
    ResultMsg,
    StatusMsg,
)

__all__ = ["router"]


async def start(control: Control) -> StatusMsg:
    return control.start()


async def stop(control: Control) -> StatusMsg:
    return await control.stop()


async def pause(control: Control) -> StatusMsg:
    return control.pause()


async def reload_config(control: Control) -> StatusMsg:
    return control.reload_config()


async def force_enter(control: Control, payload: ForceEnterPayload) -> ForceEnterResponse:
    return await control.force_enter(payload)


async def force_exit(control: Control, payload: ForceExitPayload) -> ResultMsg:
    return await control.force_exit(payload)


def router(auth: ApiAuth) -> APIRouter:
    """``/start``, ``/stop``, ``/stopbuy`` = ``/stopentry`` = ``/pause``, ``/reload_config``,
    ``/forceenter`` = ``/forcebuy``, ``/forceexit`` = ``/forcesell``."""
    routes = auth.protected_router(
        tags=["Bot-control"], dependencies=[Depends(requires_trade_mode), write_access]
    )
    routes.add_api_route("/start", start, methods=["POST"], response_model=StatusMsg)
    routes.add_api_route("/stop", stop, methods=["POST"], response_model=StatusMsg)
    for path in ("/stopbuy", "/stopentry", "/pause"):
        routes.add_api_route(path, pause, methods=["POST"], response_model=StatusMsg)
    routes.add_api_route(
        "/reload_config", reload_config, methods=["POST"], response_model=StatusMsg
    )
    for path in ("/forceenter", "/forcebuy"):
        routes.add_api_route(
            path,
            force_enter,
            methods=["POST"],
            response_model=ForceEnterResponse,
            tags=["Trading"],
        )
    for path in ("/forceexit", "/forcesell"):
        routes.add_api_route(
            path, force_exit, methods=["POST"], response_model=ResultMsg, tags=["Trading"]
        )
    return routes
