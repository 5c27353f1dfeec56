"""What remote callers (the API, the CLI) may ask of a running engine: force entries and
exits, order cancels, trade deletion and reload. Mixed into `TradingEngine`, which owns the
state these work on; every operation takes the engine's lock, so it never interleaves with
a tick.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal
from typing import TYPE_CHECKING

from tradewind.domain.enums import BotState, ExitType
from tradewind.domain.money import to_decimal
from tradewind.domain.order import STOPLOSS
from tradewind.domain.trade import Trade
from tradewind.engine.entries import EntryOrder
from tradewind.engine.exit_rules import ExitCheck
from tradewind.errors import ExchangeError, InvalidRequest, WrongState
from tradewind.persistence.repositories import TradeRepository

if TYPE_CHECKING:
    from tradewind.engine.bot import EngineParts

log = logging.getLogger(__name__)


class RemoteOperations:
    """The engine's operations for remote callers (see the module docstring)."""

    parts: EngineParts
    state: BotState
    open_trades: list[Trade]
    closed_profit: Decimal
    lock: asyncio.Lock
    revision: int
    closed_revision: int
    closed_edits: int

    def _refresh_open_trades(self) -> None:
        """Drop closed or deleted trades from the working set; keep the wallet in step."""
        session = self.parts.session
        self.open_trades = [t for t in self.open_trades if t.is_open and t in session]
        self.parts.wallet.update(self.open_trades, self.closed_profit)

    def open_trade(self, trade_id: int) -> Trade | None:
        return next((t for t in self.open_trades if t.id == trade_id), None)

    async def force_enter(self, request: EntryOrder, side: str = "long") -> Trade | None:
        """Enter `request.pair` now (force-entry); raises InvalidRequest with the API's text."""
        async with self.lock:
            self._check_force_enter(request.pair, side)
            trade = await self.parts.entries.enter(
                request, self.closed_profit, self.parts.clock.now()
            )
            if trade is None:
                raise InvalidRequest(f"Failed to enter position for {request.pair}.")
            if trade.is_open and trade not in self.open_trades:
                self.open_trades.append(trade)
            self._refresh_open_trades()
            return trade

    def _check_force_enter(self, pair: str, side: str) -> None:
        if not self.parts.force_entry_enable:
            raise InvalidRequest("Force_entry not enabled.")
        if self.state != BotState.RUNNING:
            raise WrongState("trader is not running")
        if side == "short":
            raise InvalidRequest("Can't go short on Spot markets.")
        market = self.parts.exchange.markets.get(pair)
        if market is None or not market.active:
            raise InvalidRequest("Symbol does not exist or market is not active.")
        stake = self.parts.wallet.stake_currency
        if market.quote != stake:
            raise InvalidRequest(
                f"Wrong pair selected. Only pairs with stake-currency {stake} allowed."
            )
        existing = next((t for t in self.open_trades if t.pair == pair), None)
        if existing is not None:
            message = f"position for {pair} already open - id: {existing.id}"
            open_ids = [o.order_id or o.client_order_id for o in existing.open_orders]
            if open_ids:
                message += f" and has open order {', '.join(open_ids)}"
            raise InvalidRequest(message)
        if len(self.open_trades) >= self.parts.entries.settings.max_open_trades:
            raise InvalidRequest("Maximum number of trades is reached.")

    async def force_exit(
        self,
        trade_id: int,
        *,
        order_type: str | None = None,
        amount: float | None = None,
        price: float | None = None,
    ) -> None:
        """Exit one open trade now (cancelling its open orders first)."""
        async with self.lock:
            if self.state == BotState.STOPPED:
                raise WrongState("trader is not running")
            trade = self.open_trade(trade_id)
            if trade is None:
                raise InvalidRequest("invalid argument")
            await self._force_exit_trade(trade, order_type=order_type, amount=amount, price=price)

    async def force_exit_all(self) -> None:
        async with self.lock:
            if self.state == BotState.STOPPED:
                raise WrongState("trader is not running")
            for trade in list(self.open_trades):
                await self._force_exit_trade(trade)

    async def _force_exit_trade(
        self,
        trade: Trade,
        *,
        order_type: str | None = None,
        amount: float | None = None,
        price: float | None = None,
    ) -> None:
        now = self.parts.clock.now()
        for order in list(trade.open_orders):
            if not await self.parts.orders.cancel(trade, order, "force exit", now):
                raise InvalidRequest("Failed to exit trade.")
        self._refresh_open_trades()
        if not trade.is_open or trade not in self.parts.session:
            return
        exit_amount = None if amount is None else to_decimal(float(amount))
        if exit_amount is not None and exit_amount < trade.amount:
            self._check_remaining(trade, exit_amount)
        try:
            rate = await self.parts.pricing.exit_rate(trade.pair)
        except ExchangeError as exc:
            raise InvalidRequest(f"Failed to exit trade: {exc}") from exc
        check = ExitCheck(ExitType.FORCE_EXIT, ExitType.FORCE_EXIT.value)
        await self.parts.exits.exit(
            trade,
            check,
            rate=rate,
            now=now,
            amount=exit_amount,
            order_type=order_type,
            price=price,
        )
        self._refresh_open_trades()

    def _check_remaining(self, trade: Trade, amount: Decimal) -> None:
        market = self.parts.exchange.markets.get(trade.pair)
        remaining = trade.amount - amount
        rate = trade.open_rate
        minimum = self.parts.entries.stake.min_stake(market, rate)
        if remaining * rate < minimum:
            raise InvalidRequest(
                f"Remaining amount of {float(remaining * rate)} would be too small."
            )

    async def cancel_all_open_orders(self) -> None:
        now = self.parts.clock.now()
        for trade in list(self.open_trades):
            # stop orders stay: they protect the trades while the bot is stopped
            for order in [o for o in trade.open_orders if o.ft_order_side != STOPLOSS]:
                await self.parts.orders.cancel(trade, order, "cancelled on bot stop", now)
        self._refresh_open_trades()

    async def cancel_open_orders(self, trade_id: int) -> Trade | None:
        """Cancel the open orders of one open trade (a lone unfilled entry removes the trade)."""
        async with self.lock:
            if self.state == BotState.STOPPED:
                raise WrongState("trader is not running")
            trade = self.open_trade(trade_id)
            if trade is None:
                raise InvalidRequest("Invalid trade_id.")
            orders = [o for o in trade.open_orders if o.ft_order_side != "stoploss"]
            if not orders:
                raise InvalidRequest("No open order for trade_id.")
            now = self.parts.clock.now()
            for order in orders:
                await self.parts.orders.cancel(trade, order, "user requested order cancel", now)
            self._refresh_open_trades()
            return trade if trade in self.parts.session else None

    async def delete_trade(self, trade_id: int) -> tuple[Trade, int]:
        """Remove a trade from the database after trying to cancel its open orders."""
        async with self.lock:
            session = self.parts.session
            trade = self.open_trade(trade_id) or TradeRepository(session).get(trade_id)
            if trade is None:
                raise InvalidRequest(f"Trade with id '{trade_id}' not found.")
            cancelled = 0
            now = self.parts.clock.now()
            for order in list(trade.open_orders):
                try:
                    if await self.parts.orders.cancel(trade, order, "trade deleted", now):
                        cancelled += 1
                except ExchangeError as exc:
                    log.warning("Could not cancel order of deleted trade %s: %s", trade_id, exc)
            if trade in session:
                if not trade.is_open and trade.close_profit_abs:
                    self.closed_profit -= trade.close_profit_abs
                self.closed_revision += 1
                self.closed_edits += 1
                self.revision += 1
                session.delete(trade)
                session.commit()
            self._refresh_open_trades()
            return trade, cancelled

    async def reload_trade(self, trade_id: int) -> Trade:
        """Re-read the trade's open orders from the exchange."""
        async with self.lock:
            trade = self.open_trade(trade_id) or TradeRepository(self.parts.session).get(trade_id)
            if trade is None:
                raise InvalidRequest(f"Could not find trade with id {trade_id}.")
            if not trade.is_open:  # its orders may be re-read: views of it are stale
                self.closed_revision += 1
                self.closed_edits += 1
            await self.parts.orders.sync([trade], self.parts.clock.now())
            self._refresh_open_trades()
            return trade

    async def current_rate(self, pair: str) -> float | None:
        """The exit-side price used to value open trades (None if pricing fails)."""
        try:
            return await self.parts.pricing.exit_rate(pair)
        except ExchangeError:
            return None
