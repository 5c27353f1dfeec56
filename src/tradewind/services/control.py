"""Bot control and manual trading: start/stop/pause/reload, force-enter/-exit (§4, §5.8–9)."""

from __future__ import annotations

import logging
import math

from tradewind.domain.enums import BotState, SignalDirection
from tradewind.engine.entries import EntryOrder
from tradewind.errors import InvalidRequest, WrongState
from tradewind.schemas.control import (
    ForceEnterPayload,
    ForceEnterResponse,
    ForceExitPayload,
    ResultMsg,
    StatusMsg,
)
from tradewind.services.context import BotContext
from tradewind.services.trade_views import trade_schema

__all__ = ["FORCE_ENTRY_DISABLED", "ControlService"]

log = logging.getLogger(__name__)

FORCE_ENTRY_DISABLED = "Force_entry not enabled."
NOT_RUNNING = "trader is not running"


class ControlService:
    """State changes of the trading engine and the manual entry/exit commands.

    Every refusal is an ``InvalidRequest``/``WrongState`` carrying the exact wire message;
    the checks happen before anything changes, so a refused request leaves no trace.
    """

    def __init__(self, ctx: BotContext) -> None:
        self._ctx = ctx

    def start(self) -> StatusMsg:
        """Run the bot (from stopped: start-up; from paused: resume entries)."""
        return StatusMsg(status=self._ctx.require_engine().start())

    async def stop(self) -> StatusMsg:
        """Stop trading (open trades stay as they are)."""
        return StatusMsg(status=await self._ctx.require_engine().stop())

    def pause(self) -> StatusMsg:
        """Stop opening positions, keep managing open ones (``/pause`` = ``/stopentry``)."""
        return StatusMsg(status=self._ctx.require_engine().pause())

    def reload_config(self) -> StatusMsg:
        """Ask for a config reload; the bot rebuilds itself after this answer went out."""
        return StatusMsg(status=self._ctx.require_engine().request_reload())

    async def force_enter(self, payload: ForceEnterPayload) -> ForceEnterResponse:
        """Open a position now (§5.8); the new trade in model form.

        The engine checks, in the spec's order, state, side, market, stake currency, an
        existing position and free slots; ``force_entry_enable`` is checked here first.
        """
        if not self._ctx.config.force_entry_enable:
            raise InvalidRequest(FORCE_ENTRY_DISABLED)
        engine = self._ctx.require_engine()
        _check_number("price", payload.price, zero_allowed=False)
        _check_number("stakeamount", payload.stakeamount)
        _check_number("leverage", payload.leverage, zero_allowed=False)
        order = EntryOrder(
            pair=payload.pair,
            enter_tag=payload.entry_tag or None,
            price=payload.price,
            order_type=payload.ordertype.value if payload.ordertype else None,
            stake_amount=payload.stakeamount or None,
            forced=True,
        )
        side = SignalDirection(payload.side).value
        trade = await engine.force_enter(order, side)
        if trade is None or not trade.is_open:
            return StatusMsg(status=f"Error entering {side} trade for pair {payload.pair}.")
        return trade_schema(trade, self._ctx)

    async def force_exit(self, payload: ForceExitPayload) -> ResultMsg:
        """Exit one open trade (optionally partly) or ``"all"`` of them (§5.9)."""
        engine = self._ctx.require_engine()
        if engine.state == BotState.STOPPED:
            raise WrongState(NOT_RUNNING)
        if payload.exits_all:
            await engine.force_exit_all()
            return ResultMsg(result="Created exit orders for all open trades.")
        trade_id = payload.trade_id
        if trade_id is None:
            raise InvalidRequest("invalid argument")
        _check_number("amount", payload.amount)
        _check_number("price", payload.price, zero_allowed=False)
        await engine.force_exit(
            trade_id,
            order_type=payload.ordertype.value if payload.ordertype else None,
            amount=payload.amount or None,  # 0 or null: the whole position
            price=payload.price,
        )
        return ResultMsg(result=f"Created exit order for trade {trade_id}.")


def _check_number(name: str, value: float | None, *, zero_allowed: bool = True) -> None:
    """Refuse NaN, ±inf (Python's JSON parser accepts them) and negative numbers."""
    if value is None:
        return
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero_allowed):
        raise InvalidRequest(f"invalid argument: {name} must be a positive number")
