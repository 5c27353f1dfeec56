"""Trading statistics: balance, profit, performance, tags, periods, stats, wallet history (§6).

Trade mode only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from starlette.responses import Response

from tradewind.api.auth import ApiAuth
from tradewind.api.deps import Answers, Balance, LiveVersion, Profit, Stats, requires_trade_mode
from tradewind.schemas.stats import (
    Balances,
    DailyWeeklyMonthly,
    Entry,
    Exit,
    HistoricBalance,
    MixTag,
    PerformanceEntry,
    ProfitAll,
)
from tradewind.schemas.stats import Profit as ProfitModel
from tradewind.schemas.stats import Stats as StatsModel

__all__ = ["router"]


async def balance(service: Balance) -> Balances:
    return await service.balance()


async def profit(service: Profit, answers: Answers, version: LiveVersion) -> Response:
    # FreqUI polls profit every slow refresh per open tab: encoded once per loop iteration.
    return await answers.json(("profit", version), service.profit)


async def profit_all(service: Profit, answers: Answers, version: LiveVersion) -> Response:
    return await answers.json(("profit_all", version), service.profit_all)


async def performance(service: Stats) -> list[PerformanceEntry]:
    return service.performance()


async def entries(service: Stats, pair: str | None = None) -> list[Entry]:
    return service.entries(pair)


async def exits(service: Stats, pair: str | None = None) -> list[Exit]:
    return service.exits(pair)


async def mix_tags(service: Stats, pair: str | None = None) -> list[MixTag]:
    return service.mix_tags(pair)


MAX_TIMESCALE = 3660
"""Most periods one answer may list (ten years of days). The breakdown is computed on the event
loop: ``/daily?timescale=800000`` (every day back to year 1) built a 94 MB answer and stalled
the trading loop and every other request for 6-12 s, and any read-only viewer could send it."""

Timescale = Annotated[int, Query(ge=1, le=MAX_TIMESCALE)]


async def daily(service: Stats, timescale: Timescale = 7) -> DailyWeeklyMonthly:
    return await service.period_breakdown("days", timescale)


async def weekly(service: Stats, timescale: Timescale = 4) -> DailyWeeklyMonthly:
    return await service.period_breakdown("weeks", timescale)


async def monthly(service: Stats, timescale: Timescale = 3) -> DailyWeeklyMonthly:
    return await service.period_breakdown("months", timescale)


async def stats(service: Stats) -> StatsModel:
    return service.stats()


async def historic_balance(service: Stats) -> HistoricBalance:
    return service.historic_balance()


def router(auth: ApiAuth) -> APIRouter:
    """The statistics routes."""
    routes = auth.protected_router(
        tags=["Trading-info"], dependencies=[Depends(requires_trade_mode)]
    )
    get = ["GET"]
    routes.add_api_route("/balance", balance, methods=get, response_model=Balances)
    routes.add_api_route("/profit", profit, methods=get, response_model=ProfitModel)
    routes.add_api_route("/profit_all", profit_all, methods=get, response_model=ProfitAll)
    routes.add_api_route(
        "/performance", performance, methods=get, response_model=list[PerformanceEntry]
    )
    routes.add_api_route("/entries", entries, methods=get, response_model=list[Entry])
    routes.add_api_route("/exits", exits, methods=get, response_model=list[Exit])
    routes.add_api_route("/mix_tags", mix_tags, methods=get, response_model=list[MixTag])
    for path, handler in (("/daily", daily), ("/weekly", weekly), ("/monthly", monthly)):
        routes.add_api_route(path, handler, methods=get, response_model=DailyWeeklyMonthly)
    routes.add_api_route("/stats", stats, methods=get, response_model=StatsModel)
    routes.add_api_route(
        "/historic_balance", historic_balance, methods=get, response_model=HistoricBalance
    )
    return routes
