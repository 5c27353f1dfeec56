"""Trades: open trades, closed-trade pages, one trade, its actions and custom data (§5, §6.1).

Trade mode only. Path asymmetry kept from Freqtrade: ``GET /trade/{id}`` (singular) but
``DELETE /trades/{id}`` (plural).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.responses import Response

from tradewind.api.auth import ApiAuth
from tradewind.api.deps import (
    Answers,
    ClosedVersion,
    LiveVersion,
    Trades,
    requires_trade_mode,
    write_access,
)
from tradewind.api.errors import NOT_FOUND_RESPONSES
from tradewind.schemas.bounds import SqlInt
from tradewind.schemas.control import DeleteTrade
from tradewind.schemas.stats import Count
from tradewind.schemas.trades import OpenTradeSchema, TradeCustomData

__all__ = ["router"]


async def status(trades: Trades, answers: Answers, version: LiveVersion) -> Response:
    # Encoded once per loop iteration / trade event: FreqUI polls this every 5 s.
    return await answers.json(("status", version), trades.status)


async def trade_list(
    trades: Trades,
    answers: Answers,
    version: ClosedVersion,
    *,
    limit: Annotated[SqlInt, Query(ge=1)] = 500,
    offset: Annotated[SqlInt, Query(ge=0)] = 0,
    order_by_id: bool = True,
) -> Response:
    # Raw dicts, no response model (key order is the wire order); encoded once per page and
    # closed-trade set.
    return await answers.json(
        ("trades", version, limit, offset, order_by_id),
        lambda: trades.trades(limit, offset, order_by_id),
    )


async def trade(trades: Trades, tradeid: SqlInt) -> OpenTradeSchema:
    return await trades.trade(tradeid)


async def delete_trade(trades: Trades, tradeid: SqlInt) -> DeleteTrade:
    return await trades.delete_trade(tradeid)


async def cancel_open_order(trades: Trades, tradeid: SqlInt) -> OpenTradeSchema:
    return await trades.cancel_open_order(tradeid)


async def reload_trade(trades: Trades, tradeid: SqlInt) -> OpenTradeSchema:
    return await trades.reload_trade(tradeid)


async def open_custom_data(
    trades: Trades,
    key: str | None = None,
    limit: Annotated[int, Query(ge=1)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[TradeCustomData]:
    return trades.open_custom_data(key, limit, offset)


async def custom_data(
    trades: Trades, trade_id: SqlInt, key: str | None = None
) -> list[TradeCustomData]:
    return trades.custom_data(trade_id, key)


async def count(trades: Trades) -> Count:
    return trades.count()


def router(auth: ApiAuth) -> APIRouter:
    """The trade routes (the open-trades custom-data route comes before ``/trades/{id}/…``)."""
    routes = auth.protected_router(tags=["Trades"], dependencies=[Depends(requires_trade_mode)])
    get = ["GET"]
    routes.add_api_route("/status", status, methods=get, response_model=list[OpenTradeSchema])
    routes.add_api_route("/trades", trade_list, methods=get, response_model=None)
    routes.add_api_route(
        "/trade/{tradeid}",
        trade,
        methods=get,
        response_model=OpenTradeSchema,
        responses=NOT_FOUND_RESPONSES,
    )
    routes.add_api_route(
        "/trades/open/custom-data",
        open_custom_data,
        methods=get,
        response_model=list[TradeCustomData],
        responses=NOT_FOUND_RESPONSES,
    )
    routes.add_api_route(
        "/trades/{trade_id}/custom-data",
        custom_data,
        methods=get,
        response_model=list[TradeCustomData],
        responses=NOT_FOUND_RESPONSES,
    )
    routes.add_api_route(
        "/trades/{tradeid}",
        delete_trade,
        methods=["DELETE"],
        response_model=DeleteTrade,
        dependencies=[write_access],
    )
    routes.add_api_route(
        "/trades/{tradeid}/open-order",
        cancel_open_order,
        methods=["DELETE"],
        response_model=OpenTradeSchema,
        dependencies=[write_access],
    )
    routes.add_api_route(
        "/trades/{tradeid}/reload",
        reload_trade,
        methods=["POST"],
        response_model=OpenTradeSchema,
        dependencies=[write_access],
    )
    routes.add_api_route("/count", count, methods=get, response_model=Count)
    return routes
