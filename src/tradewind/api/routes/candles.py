"""Candle data and strategies for charts (§9–§11.2).

``/pair_candles`` needs the trading bot; ``/pair_history``, ``/plot_config``, ``/strategies``,
``/strategy/{name}`` answer in every run mode (decisions.md item 3), as does the ``/edge``
refusal.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path
from pydantic import AfterValidator
from starlette.responses import Response

from tradewind.api.auth import ApiAuth
from tradewind.api.deps import Answers, Candles, requires_trade_mode
from tradewind.api.errors import LOAD_FAILED_RESPONSES, NOT_FOUND_RESPONSES
from tradewind.schemas.candles import (
    PairCandlesRequest,
    PairHistory,
    PairHistoryRequest,
    PlotConfig,
    check_strategy_name,
)
from tradewind.schemas.strategy import StrategyListResponse, StrategyResponse

__all__ = ["router"]

StrategyName = Annotated[str, AfterValidator(check_strategy_name)]


async def pair_candles(
    candles: Candles, answers: Answers, pair: str, timeframe: str, limit: int | None = None
) -> Response:
    request = PairCandlesRequest(pair=pair, timeframe=timeframe, limit=limit)
    # The service hands out one model per analysis; it is encoded once.
    return answers.model(candles.pair_candles(request))


async def pair_candles_filtered(
    candles: Candles, answers: Answers, payload: PairCandlesRequest
) -> Response:
    return answers.model(candles.pair_candles(payload))


async def pair_history(
    candles: Candles,
    *,
    pair: str,
    timeframe: str,
    timerange: str,
    strategy: StrategyName,
    freqaimodel: str | None = None,
) -> PairHistory:
    request = PairHistoryRequest(
        pair=pair, timeframe=timeframe, timerange=timerange, strategy=strategy
    )
    return await candles.pair_history(request)


async def pair_history_filtered(candles: Candles, payload: PairHistoryRequest) -> PairHistory:
    return await candles.pair_history(payload)


async def plot_config(candles: Candles, strategy: StrategyName | None = None) -> PlotConfig:
    return await candles.plot_config(strategy)


async def strategies(candles: Candles) -> StrategyListResponse:
    return await candles.strategies()


async def strategy(
    candles: Candles, name: Annotated[StrategyName, Path(alias="strategy")]
) -> StrategyResponse:
    return await candles.strategy(name)


async def edge(candles: Candles) -> list[dict[str, Any]]:
    return candles.edge()


def router(auth: ApiAuth) -> APIRouter:
    """The candle and strategy routes."""
    get = ["GET"]
    live = auth.protected_router(tags=["Candle data"], dependencies=[Depends(requires_trade_mode)])
    live.add_api_route("/pair_candles", pair_candles, methods=get, response_model=PairHistory)
    live.add_api_route(
        "/pair_candles", pair_candles_filtered, methods=["POST"], response_model=PairHistory
    )

    anywhere = auth.protected_router(tags=["Candle data"])
    loads = LOAD_FAILED_RESPONSES  # history and strategy loading failures: 502 {"detail"}
    anywhere.add_api_route(
        "/pair_history", pair_history, methods=get, response_model=PairHistory, responses=loads
    )
    anywhere.add_api_route(
        "/pair_history",
        pair_history_filtered,
        methods=["POST"],
        response_model=PairHistory,
        responses=loads,
    )
    anywhere.add_api_route(
        "/plot_config", plot_config, methods=get, response_model=PlotConfig, responses=loads
    )
    anywhere.add_api_route(
        "/strategies",
        strategies,
        methods=get,
        response_model=StrategyListResponse,
        tags=["Strategy"],
    )
    anywhere.add_api_route(
        "/strategy/{strategy}",
        strategy,
        methods=get,
        response_model=StrategyResponse,
        tags=["Strategy"],
        responses=loads | NOT_FOUND_RESPONSES,
    )
    anywhere.add_api_route("/edge", edge, methods=get, response_model=None, tags=["Info"])

    routes = APIRouter()
    routes.include_router(live)
    routes.include_router(anywhere)
    return routes
