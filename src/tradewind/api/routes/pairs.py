"""Pair lists and locks (trade mode, §7–§8), data and markets to browse (any mode, §11.3–4),
and the webserver-only pairlist catalogue (§12)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query

from tradewind.api.auth import ApiAuth
from tradewind.api.deps import Pairs, requires_trade_mode, requires_webserver_mode, write_access
from tradewind.schemas.bounds import SqlInt
from tradewind.schemas.pairs import (
    AvailablePairs,
    BlacklistPayload,
    BlacklistResponse,
    DeleteLockRequest,
    LockPayload,
    Locks,
    MarketResponse,
    PairListsAvailable,
    WhitelistResponse,
)

__all__ = ["router"]


async def whitelist(pairs: Pairs) -> WhitelistResponse:
    return pairs.whitelist()


async def blacklist(pairs: Pairs) -> BlacklistResponse:
    return pairs.blacklist()


async def add_blacklist(pairs: Pairs, payload: BlacklistPayload) -> BlacklistResponse:
    return pairs.add_to_blacklist(payload.blacklist)


async def delete_blacklist(
    pairs: Pairs, pairs_to_delete: Annotated[list[str] | None, Query()] = None
) -> BlacklistResponse:
    return pairs.remove_from_blacklist(pairs_to_delete or [])


async def locks(pairs: Pairs) -> Locks:
    return pairs.locks()


async def delete_lock(pairs: Pairs, lockid: SqlInt) -> Locks:
    return await pairs.delete_lock(lockid)


async def delete_locks(pairs: Pairs, payload: DeleteLockRequest) -> Locks:
    return await pairs.delete_locks(payload)


async def add_locks(pairs: Pairs, payload: Annotated[list[LockPayload], Body()]) -> Locks:
    return await pairs.add_locks(payload)


async def available_pairs(
    pairs: Pairs,
    timeframe: str | None = None,
    stake_currency: str | None = None,
    candletype: str | None = None,
) -> AvailablePairs:
    return pairs.available_pairs(timeframe, stake_currency, candletype)


async def markets(
    pairs: Pairs,
    base: str | None = None,
    quote: str | None = None,
    include_inactive: bool = False,
) -> MarketResponse:
    return pairs.markets(base, quote, include_inactive)


async def pairlists_available(pairs: Pairs) -> PairListsAvailable:
    return pairs.available_pairlists()


def router(auth: ApiAuth) -> APIRouter:
    """The pair routes, grouped by the run mode they need (every group is protected)."""
    get = ["GET"]

    live = auth.protected_router(tags=["Pairlist"], dependencies=[Depends(requires_trade_mode)])
    live.add_api_route("/whitelist", whitelist, methods=get, response_model=WhitelistResponse)
    live.add_api_route("/blacklist", blacklist, methods=get, response_model=BlacklistResponse)
    edits: tuple[tuple[str, Callable[..., Awaitable[Any]]], ...] = (
        ("POST", add_blacklist),
        ("DELETE", delete_blacklist),
    )
    for method, handler in edits:
        live.add_api_route(
            "/blacklist",
            handler,
            methods=[method],
            response_model=BlacklistResponse,
            dependencies=[write_access],
        )
    live.add_api_route("/locks", locks, methods=get, response_model=Locks, tags=["Locks"])
    lock_edits: tuple[tuple[str, str, Callable[..., Awaitable[Any]]], ...] = (
        ("/locks", "POST", add_locks),
        ("/locks/delete", "POST", delete_locks),
        ("/locks/{lockid}", "DELETE", delete_lock),
    )
    for path, method, lock_handler in lock_edits:
        live.add_api_route(
            path,
            lock_handler,
            methods=[method],
            response_model=Locks,
            tags=["Locks"],
            dependencies=[write_access],
        )

    browse = auth.protected_router(tags=["Candle data"])
    browse.add_api_route(
        "/available_pairs", available_pairs, methods=get, response_model=AvailablePairs
    )
    browse.add_api_route("/markets", markets, methods=get, response_model=MarketResponse)

    webserver = auth.protected_router(
        tags=["Pairlist"], dependencies=[Depends(requires_webserver_mode)]
    )
    webserver.add_api_route(
        "/pairlists/available",
        pairlists_available,
        methods=get,
        response_model=PairListsAvailable,
    )
    routes = APIRouter()
    for part in (live, browse, webserver):
        routes.include_router(part)
    return routes
