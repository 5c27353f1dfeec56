"""FastAPI dependencies of the routes: the services of this app, run-mode checks, write access.

The app factory stores one :class:`ApiServices` on ``app.state.services``; routes receive the
service they need through the ``Annotated`` aliases below, so handlers stay one-liners and
tests can build an app around any ``BotContext``.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Annotated, Any, cast

from fastapi import Depends, HTTPException, Request
from pydantic import BaseModel
from starlette import status
from starlette.responses import Response

from tradewind.api.auth import current_principal, require_write
from tradewind.api.errors import WRONG_MODE
from tradewind.api.tokens import Principal
from tradewind.schemas.json import dumps
from tradewind.services.balance import BalanceService
from tradewind.services.candles import CandleService
from tradewind.services.closed_trades import closed_key, live_key
from tradewind.services.context import BotContext
from tradewind.services.control import ControlService
from tradewind.services.info import InfoService
from tradewind.services.pairs import PairService
from tradewind.services.profit import ProfitService
from tradewind.services.stats import StatsService
from tradewind.services.trades import TradeService

__all__ = [
    "Answers",
    "ApiServices",
    "Balance",
    "Candles",
    "ClosedVersion",
    "Control",
    "Info",
    "LiveVersion",
    "Pairs",
    "Profit",
    "RenderedAnswers",
    "Stats",
    "Trades",
    "requires_trade_mode",
    "requires_webserver_mode",
    "write_access",
]


JSON = "application/json"


def _plain(value: Any) -> Any:
    """What the response model would emit: models in JSON mode (``...Z`` dates, aliases)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


@dataclass
class RenderedAnswers:
    """Encoded bodies of answers polled far more often than they change (one per app).

    FreqUI polls ``/status`` every 5 s per open tab and pages ``/trades`` every 60 s; charts
    re-read ``/pair_candles``. Each answer is encoded once per *version* of what it depends
    on — the keys come from the services' own memo keys (``closed_key``: closed trades only;
    ``live_key``: open trades, prices and the clock, bumped every loop iteration) — and
    repeated requests just send the bytes.
    """

    size: int = 64
    _bodies: OrderedDict[Hashable, tuple[object, bytes]] = field(default_factory=OrderedDict)
    _pending: dict[Hashable, asyncio.Future[bytes]] = field(default_factory=dict)

    async def json(
        self, key: Hashable, compute: Callable[[], Any] | Callable[[], Awaitable[Any]]
    ) -> Response:
        """The answer for ``key``: cached bytes, or ``compute()`` encoded and remembered.

        Concurrent requests for a key being computed wait for that one computation (right
        after a loop iteration every poller asks at once; computing once per poller would
        multiply the work by the number of clients).
        """
        found = self._bodies.get(key)
        if found is not None:
            self._bodies.move_to_end(key)
            return Response(found[1], media_type=JSON)
        pending = self._pending.get(key)
        if pending is not None:
            try:
                return Response(await asyncio.shield(pending), media_type=JSON)
            except asyncio.CancelledError:
                task = asyncio.current_task()
                if not pending.cancelled() or (task is not None and task.cancelling()):
                    raise
                # the request computing it went away: compute it for this one
                return await self.json(key, compute)
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._pending[key] = future
        try:
            value = compute()
            if inspect.isawaitable(value):
                value = await value
            response = self._store(key, None, value)
            future.set_result(bytes(response.body))
            return response
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiters re-raise it, nobody else needs to
            raise
        finally:
            del self._pending[key]

    def model(self, value: BaseModel) -> Response:
        """``value`` encoded, reusing the bytes if this very object was encoded before.

        For services that hand out the same model object while it is current (the
        pair_candles cache); the object is kept with its bytes, so its id cannot be reused.
        """
        key = ("model", id(value))
        found = self._bodies.get(key)
        if found is not None and found[0] is value:
            self._bodies.move_to_end(key)
            return Response(found[1], media_type=JSON)
        return self._store(key, value, value)

    def _store(self, key: Hashable, owner: object, value: Any) -> Response:
        body = dumps(_plain(value))
        self._bodies[key] = (owner, body)
        while len(self._bodies) > self.size:
            self._bodies.popitem(last=False)
        return Response(body, media_type=JSON)


@dataclass(frozen=True)
class ApiServices:
    """The services one app talks to, all over the same ``BotContext``."""

    context: BotContext
    info: InfoService
    control: ControlService
    pairs: PairService
    candles: CandleService
    trades: TradeService
    profit: ProfitService
    stats: StatsService
    balance: BalanceService
    answers: RenderedAnswers = field(default_factory=RenderedAnswers)

    @classmethod
    def build(cls, context: BotContext, *, api_version: float) -> ApiServices:
        """One instance of every service for ``context``."""
        return cls(
            context=context,
            info=InfoService(context, api_version=api_version),
            control=ControlService(context),
            pairs=PairService(context),
            candles=CandleService(context),
            trades=TradeService(context),
            profit=ProfitService(context),
            stats=StatsService(context),
            balance=BalanceService(context),
        )


def services(request: Request) -> ApiServices:
    """The services of the app serving ``request``.

    The dependencies below are ``async def`` on purpose: FastAPI runs plain ``def``
    dependencies in its thread pool, which costs more than everything they do.
    """
    return cast(ApiServices, request.app.state.services)


async def requires_trade_mode(request: Request) -> None:
    """503 ``Bot is not in the correct state.`` for trade-only routes in webserver mode."""
    if services(request).context.is_webserver:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=WRONG_MODE)


async def requires_webserver_mode(request: Request) -> None:
    """503 for webserver-only routes while a trading bot runs."""
    if not services(request).context.is_webserver:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, detail=WRONG_MODE)


async def _info(request: Request) -> InfoService:
    return services(request).info


async def _control(request: Request) -> ControlService:
    return services(request).control


async def _pairs(request: Request) -> PairService:
    return services(request).pairs


async def _candles(request: Request) -> CandleService:
    return services(request).candles


async def _trades(request: Request) -> TradeService:
    return services(request).trades


async def _profit(request: Request) -> ProfitService:
    return services(request).profit


async def _stats(request: Request) -> StatsService:
    return services(request).stats


async def _balance(request: Request) -> BalanceService:
    return services(request).balance


async def _answers(request: Request) -> RenderedAnswers:
    return services(request).answers


async def live_version(request: Request) -> Hashable:
    """What open-trade views depend on: changes every loop iteration and trade event."""
    return live_key(services(request).context.require_engine())


async def closed_version(request: Request) -> Hashable:
    """What closed-trade views depend on: changes when a trade closes or is deleted."""
    return closed_key(services(request).context.require_engine())


Info = Annotated[InfoService, Depends(_info)]
Control = Annotated[ControlService, Depends(_control)]
Pairs = Annotated[PairService, Depends(_pairs)]
Candles = Annotated[CandleService, Depends(_candles)]
Trades = Annotated[TradeService, Depends(_trades)]
Profit = Annotated[ProfitService, Depends(_profit)]
Stats = Annotated[StatsService, Depends(_stats)]
Balance = Annotated[BalanceService, Depends(_balance)]
Answers = Annotated[RenderedAnswers, Depends(_answers)]
LiveVersion = Annotated[Hashable, Depends(live_version)]
ClosedVersion = Annotated[Hashable, Depends(closed_version)]


async def _writer(request: Request) -> Principal:
    # auth's require_write, called directly: as a plain-def dependency it would hop threads
    return require_write(current_principal(request))


write_access = Depends(_writer)
"""Route dependency of every state-changing route: 403 for read-only principals."""
