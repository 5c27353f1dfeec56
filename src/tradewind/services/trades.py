"""Trade use cases: status, history pages, one trade, delete/cancel/reload, custom data (§5)."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from orjson import Fragment

from tradewind.domain.enums import BotState
from tradewind.domain.trade import Trade
from tradewind.engine.bot import TradingEngine
from tradewind.errors import ExchangeError, InvalidRequest, NotFound, WrongState
from tradewind.persistence.repositories import CustomDataRepository, TradeRepository
from tradewind.schemas.control import DeleteTrade
from tradewind.schemas.json import fragment
from tradewind.schemas.stats import Count
from tradewind.schemas.trades import CustomDataEntry, OpenTradeSchema, TradeCustomData
from tradewind.schemas.trades_raw import trade_list_response
from tradewind.services.context import BotContext
from tradewind.services.trade_views import open_trade_schema, raw_trade

__all__ = ["TradeService"]


class TradeService:
    """What the API, the WebSocket and the CLI ask about trades."""

    def __init__(self, ctx: BotContext) -> None:
        self._ctx = ctx

    # -- reading ----------------------------------------------------------------------------
    async def status(self) -> list[OpenTradeSchema]:
        """Every open trade valued at the current exit rate, ascending id; [] when none."""
        engine = self._ctx.require_engine()
        trades = sorted(engine.open_trades, key=lambda t: t.id or 0)
        return [await self._open_view(engine, trade) for trade in trades]

    def trades(self, limit: int = 500, offset: int = 0, order_by_id: bool = True) -> dict[str, Any]:
        """One page of closed trades in raw form; `total_trades` counts all closed trades.

        A closed trade does not change, so each is encoded once (`EncodedClosedTrades`) and a
        page is assembled from those: a trade closing costs the next page one trade's
        encoding, not the page's (80 ms for 500 trades on the reference machine).
        """
        engine = self._ctx.require_engine()
        encoded = self._ctx.cache.get(ENCODED_KEY)
        if encoded is None or encoded.key != (engine, engine.closed_edits):
            encoded = EncodedClosedTrades((engine, engine.closed_edits))
            self._ctx.cache[ENCODED_KEY] = encoded
        with self._ctx.db.transaction() as session:
            repo = TradeRepository(session)
            ids = repo.closed_page_ids(limit, offset, order_by_id=order_by_id)
            total = repo.closed_count()
            rows = encoded.page(ids, repo.by_ids, self._ctx)
        return dict(trade_list_response(rows, offset=offset, total_trades=total))

    async def trade(self, trade_id: int) -> OpenTradeSchema:
        """One trade, open or closed (404 "Trade not found." when unknown)."""
        engine = self._ctx.require_engine()
        trade = engine.open_trade(trade_id) or self._stored(trade_id)
        if trade is None:
            raise NotFound("Trade not found.")
        return await self._open_view(engine, trade)

    def count(self) -> Count:
        """Open trades, the slot limit (−1 unlimited) and Σ open_rate × amount."""
        engine = self._ctx.require_engine()
        if engine.state == BotState.STOPPED:
            raise WrongState("trader is not running")
        limit = engine.parts.entries.settings.max_open_trades
        trades = engine.open_trades
        return Count(
            current=len(trades),
            max=-1 if limit == float("inf") or limit < 0 else int(limit),
            total_stake=float(sum(t.open_rate * t.amount for t in trades)),
        )

    # -- acting -------------------------------------------------------------------------------
    async def delete_trade(self, trade_id: int) -> DeleteTrade:
        """Remove a trade (open or closed) after cancelling its open orders."""
        engine = self._ctx.require_engine()
        trade, cancelled = await engine.delete_trade(trade_id)
        return DeleteTrade(
            cancel_order_count=cancelled,
            result="success",
            result_msg=(
                f"Deleted trade #{trade_id} for pair {trade.pair}. Closed {cancelled} open orders."
            ),
            trade_id=trade_id,
        )

    async def cancel_open_order(self, trade_id: int) -> OpenTradeSchema:
        """Cancel the open orders of an open trade; the trade as it is afterwards."""
        engine = self._ctx.require_engine()
        try:
            trade = await engine.cancel_open_orders(trade_id)
        except ExchangeError as exc:
            raise InvalidRequest("Order not found.") from exc
        if trade is None:  # the cancelled order was the trade's only, unfilled entry
            raise InvalidRequest("no active trade")
        return await self._open_view(engine, trade)

    async def reload_trade(self, trade_id: int) -> OpenTradeSchema:
        """Re-sync a trade from its orders on the exchange."""
        engine = self._ctx.require_engine()
        trade = await engine.reload_trade(trade_id)
        return await self._open_view(engine, trade)

    # -- custom data ----------------------------------------------------------------------------
    def custom_data(self, trade_id: int, key: str | None = None) -> list[TradeCustomData]:
        """The custom data of one trade (optionally one key), 404 texts of §5.7."""
        engine = self._ctx.require_engine()
        with self._ctx.db.transaction() as session:
            known = engine.open_trade(trade_id) or TradeRepository(session).get(trade_id)
            if known is None:
                raise NotFound(f"No trade found for trade_id: {trade_id}")
            entries = CustomDataRepository(session).get(trade_id, key)
        if not entries:
            if key is None:
                raise NotFound(f"No custom-data found for Trade ID: {trade_id}.")
            raise NotFound(f"No custom-data with key '{key}' found for Trade ID: {trade_id}.")
        return [_custom_data(trade_id, entries)]

    def open_custom_data(
        self, key: str | None = None, limit: int = 100, offset: int = 0
    ) -> list[TradeCustomData]:
        """Custom data of a page of open trades (ascending id); trades without data skipped."""
        engine = self._ctx.require_engine()
        trades = sorted(engine.open_trades, key=lambda t: t.id or 0)
        if not trades:
            raise NotFound("No open trades found.")
        result = []
        with self._ctx.db.transaction() as session:
            repo = CustomDataRepository(session)
            for trade in trades[offset : offset + limit]:
                entries = repo.get(trade.id or 0, key)
                if entries:
                    result.append(_custom_data(trade.id or 0, entries))
        if not result:
            raise NotFound("No custom-data found for any open trades.")
        return result

    # -- helpers --------------------------------------------------------------------------------
    def _stored(self, trade_id: int) -> Trade | None:
        with self._ctx.db.transaction() as session:
            return TradeRepository(session).get(trade_id)

    async def _open_view(self, engine: TradingEngine, trade: Trade) -> OpenTradeSchema:
        rate = await engine.current_rate(trade.pair) if trade.is_open else None
        return open_trade_schema(trade, rate, self._ctx)


ENCODED_KEY = "trades.encoded"


class EncodedClosedTrades:
    """Closed trades in raw form, encoded once each, the most recently used `size` kept.

    Valid for one engine while no closed trade is edited or removed (`key`); a trade that
    closes later is simply not in here yet.
    """

    def __init__(self, key: tuple[object, int], size: int = 5000) -> None:
        self.key = key
        self.size = size
        self._trades: OrderedDict[int, Fragment] = OrderedDict()

    def page(
        self,
        ids: list[int],
        load: Callable[[list[int]], list[Trade]],
        ctx: BotContext,
    ) -> list[Fragment]:
        """The encoded trades of `ids`, in that order; `load` reads the ones not held."""
        missing = [trade_id for trade_id in ids if trade_id not in self._trades]
        fresh = {trade.id: fragment(raw_trade(trade, ctx)) for trade in load(missing)}
        rows = []
        for trade_id in ids:
            row = fresh[trade_id] if trade_id in fresh else self._trades[trade_id]
            self._trades[trade_id] = row
            self._trades.move_to_end(trade_id)
            rows.append(row)
        while len(self._trades) > self.size:
            self._trades.popitem(last=False)
        return rows


def _custom_data(trade_id: int, entries: list[dict[str, Any]]) -> TradeCustomData:
    return TradeCustomData(
        trade_id=trade_id,
        custom_data=[CustomDataEntry(**entry) for entry in entries],
    )
