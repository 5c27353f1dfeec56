"""Order lifecycle: place, follow, time out and cancel orders, booking every fill on its trade.

Crash safety rests on one rule: an order is committed to the database *before* the exchange
hears of it, under a client order id. A bot killed at any point restarts, finds the order still
unacknowledged, and asks the exchange for that client id: a placed order is adopted (even one
the exchange filled while our create call timed out), an unknown one is marked never placed.
No order is ever placed twice and no fill is lost.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from tradewind.domain.clock import Clock
from tradewind.domain.enums import ExitType, OrderStatus
from tradewind.domain.events import EventBus, TradeEvent
from tradewind.domain.order import (
    ENTRY,
    EXIT,
    STOPLOSS,
    Order,
    OrderTransitionError,
    OrderUpdate,
)
from tradewind.domain.trade import Trade
from tradewind.engine.order_requests import EntryRequest, OrderCallbacks, Timeouts
from tradewind.errors import ExchangeError, ExchangeUnavailable, OrderNotFound
from tradewind.exchange.port import STOP_LOSS_LIMIT, Exchange

__all__ = ["EntryRequest", "OrderCallbacks", "OrderManager", "Timeouts"]

log = logging.getLogger(__name__)

# Lookups of an unacknowledged order before we conclude the exchange never received it.
NEVER_PLACED_AFTER_LOOKUPS = 3


class OrderManager:
    """Places and follows orders for the engine; every change is committed at once."""

    def __init__(
        self,
        *,
        exchange: Exchange,
        session: Session,
        events: EventBus,
        clock: Clock,
        callbacks: OrderCallbacks,
        timeouts: Timeouts,
        strategy_name: str,
        timeframe_minutes: int,
        on_trade_closed: Callable[[Trade], None] | None = None,
        on_trade_removed: Callable[[Trade], None] | None = None,
    ) -> None:
        self.exchange = exchange
        self.session = session
        self.events = events
        self.clock = clock
        self.callbacks = callbacks
        self.timeouts = timeouts
        self.strategy_name = strategy_name
        self.timeframe_minutes = timeframe_minutes
        self.on_trade_closed: Callable[[Trade], None] = on_trade_closed or _ignore
        self.on_trade_removed: Callable[[Trade], None] = on_trade_removed or _ignore
        self._pending_lookups: dict[str, int] = defaultdict(int)
        self._closed_ids: set[int] = set()

    # -- placing ---------------------------------------------------------------------------
    async def open_trade(self, request: EntryRequest, now: datetime) -> Trade | None:
        """Create a trade with its first entry order and place that order."""
        trade = Trade(
            pair=request.pair,
            base_currency=request.base_currency,
            stake_currency=request.stake_currency,
            exchange=self.exchange.name,
            strategy=self.strategy_name,
            timeframe=self.timeframe_minutes,
            open_date=now,
            fee_open=request.fee_rate,
            fee_close=request.fee_rate,
            open_rate_requested=request.rate,
            amount_requested=request.amount,
            enter_tag=request.enter_tag,
            amount_precision=request.amount_precision,
            price_precision=request.price_precision,
        )
        trade.open_rate = request.rate
        order = self._new_order(
            trade,
            side=ENTRY,
            order_type=request.order_type,
            amount=request.amount,
            rate=request.rate,
            tag=request.enter_tag,
            now=now,
        )
        self.session.add(trade)
        self.session.commit()
        update = await self._place(trade, order, now)
        if self._trade_gone(trade):
            return None
        if update is not None:
            self._publish("entry", trade, order, float(request.rate))
            self._apply(trade, order, update)
        return None if self._trade_gone(trade) else trade

    async def place_exit(
        self,
        trade: Trade,
        *,
        amount: Decimal,
        rate: Decimal,
        order_type: str,
        reason: str,
        now: datetime,
    ) -> Order | None:
        """Place an exit order for `amount` of the trade; the reason becomes the exit reason."""
        amount = min(amount, trade.amount)
        if amount <= 0:
            return None
        order = self._new_order(
            trade, side=EXIT, order_type=order_type, amount=amount, rate=rate, tag=reason, now=now
        )
        trade.exit_reason = reason
        trade.close_rate_requested = rate
        self.session.commit()
        update = await self._place(trade, order, now)
        if update is not None:
            self._publish("exit", trade, order, float(rate))
            self._apply(trade, order, update)
        return None if order.status == OrderStatus.CANCELED and not order.filled else order

    async def place_stoploss(
        self, trade: Trade, *, stop: Decimal, limit: Decimal, now: datetime
    ) -> Order | None:
        """Rest a stop-limit sell for the trade's whole amount on the exchange (committed first,
        like every order); its fill closes the trade as "stoploss_on_exchange"."""
        order = self._new_order(
            trade,
            side=STOPLOSS,
            order_type=STOP_LOSS_LIMIT,
            amount=trade.amount,
            rate=stop,
            tag=ExitType.STOPLOSS_ON_EXCHANGE.value,
            now=now,
        )
        order.side = trade.exit_side
        order.price = limit  # what we ask for; the exchange's answer replaces it
        self.session.commit()
        update = await self._place(trade, order, now)
        if update is not None:
            self._apply(trade, order, update)
        return order if order.ft_is_open or order.filled else None

    def _new_order(
        self,
        trade: Trade,
        *,
        side: str,
        order_type: str,
        amount: Decimal,
        rate: Decimal,
        tag: str | None,
        now: datetime,
    ) -> Order:
        order = Order(
            ft_pair=trade.pair,
            ft_order_side=side,
            side=side,
            order_type=order_type,
            ft_amount=amount,
            ft_price=rate,
            client_order_id=f"tw{uuid.uuid4().hex[:30]}",
            order_date=now,
            ft_order_tag=tag,
            amount=amount,
            remaining=amount,
        )
        trade.add_order(order)
        return order

    async def _place(self, trade: Trade, order: Order, now: datetime) -> OrderUpdate | None:
        """Send a committed order to the exchange.

        Returns the exchange's view, or None when the outcome is unknown (left for the next
        sync to look up by client id) or the exchange refused the order (booked as never
        placed).
        """
        try:
            return await self._send(trade, order)
        except ExchangeUnavailable as exc:
            log.warning(
                "Placing %s order for %s timed out (%s); will look it up.",
                order.ft_order_side,
                trade.pair,
                exc,
            )
            return None
        except ExchangeError as exc:
            log.warning(
                "%s order for %s refused: %s", order.ft_order_side.capitalize(), trade.pair, exc
            )
            order.mark_never_placed(now)
            self._after_finish(trade, order, reason=f"order refused: {exc}", publish=False)
            return None

    async def _send(self, trade: Trade, order: Order) -> OrderUpdate:
        if order.ft_order_side == STOPLOSS:  # ft_price is the stop, price the limit below it
            return await self.exchange.create_stoploss_order(
                trade.pair,
                order.ft_amount,
                order.ft_price,
                order.price or order.ft_price,
                order.client_order_id,
            )
        price = order.ft_price if order.order_type == "limit" else None
        return await self.exchange.create_order(
            trade.pair, order.side, order.order_type, order.ft_amount, price, order.client_order_id
        )

    # -- following ---------------------------------------------------------------------------
    async def sync(self, trades: list[Trade], now: datetime) -> None:
        """Bring every open order up to date; cancel the ones past their timeout."""
        for trade in list(trades):
            for order in list(trade.open_orders):
                try:
                    await self._sync_order(trade, order, now)
                except ExchangeUnavailable as exc:
                    log.warning(
                        "Could not update order %s of %s: %s",
                        order.order_id or order.client_order_id,
                        trade.pair,
                        exc,
                    )
                except OrderTransitionError as exc:
                    log.error("Ignoring an inconsistent order update for %s: %s", trade.pair, exc)

    async def _sync_order(self, trade: Trade, order: Order, now: datetime) -> None:
        update = await self._lookup(trade, order, now)
        if update is None:
            return
        self._apply(trade, order, update)
        if order.ft_is_open and self._timed_out(trade, order, now):
            await self.cancel(trade, order, "cancelled due to timeout", now)

    async def _lookup(self, trade: Trade, order: Order, now: datetime) -> OrderUpdate | None:
        if order.is_placed:
            try:
                return await self.exchange.fetch_order(order.order_id or "", trade.pair)
            except OrderNotFound:
                log.warning(
                    "Order %s of %s vanished from the exchange; treating it as cancelled.",
                    order.order_id,
                    trade.pair,
                )
                order.status = OrderStatus.CANCELED
                order.ft_is_open = False
                self._after_finish(trade, order, reason="cancelled on exchange")
                return None
        found = await self.exchange.fetch_order_by_client_id(order.client_order_id, trade.pair)
        if found is not None:
            return found
        self._pending_lookups[order.client_order_id] += 1
        if self._pending_lookups[order.client_order_id] >= NEVER_PLACED_AFTER_LOOKUPS:
            log.info(
                "Order %s for %s never reached the exchange.", order.client_order_id, trade.pair
            )
            order.mark_never_placed(now)
            self._after_finish(trade, order, reason="order was never placed", publish=False)
        return None

    def _timed_out(self, trade: Trade, order: Order, now: datetime) -> bool:
        if order.ft_order_side == STOPLOSS:  # it rests until the market reaches it
            return False
        limit = self.timeouts.entry if order.is_entry else self.timeouts.exit
        if limit is not None and now - order.order_date >= limit:
            return True
        check = (
            self.callbacks.check_entry_timeout
            if order.is_entry
            else (self.callbacks.check_exit_timeout)
        )
        return check(trade, order, now)

    async def cancel(self, trade: Trade, order: Order, reason: str, now: datetime) -> bool:
        """Cancel an open order; fills that happened first are kept. True if it is now closed."""
        order.ft_cancel_reason = reason
        if not order.is_placed:
            found = await self.exchange.fetch_order_by_client_id(order.client_order_id, trade.pair)
            if found is None:
                order.mark_never_placed(now)
                self._after_finish(trade, order, reason=reason, publish=False)
                return True
            self._apply(trade, order, found)
            if not order.ft_is_open:
                return True
        try:
            update = await self.exchange.cancel_order(order.order_id or "", trade.pair)
        except OrderNotFound:
            update = None
        except ExchangeError as exc:
            log.warning("Cancelling order %s of %s failed: %s", order.order_id, trade.pair, exc)
            return False
        if update is None:
            order.status = OrderStatus.CANCELED
            order.ft_is_open = False
            self._after_finish(trade, order, reason=reason)
        else:
            self._apply(trade, order, update, cancel_reason=reason)
        if not order.is_entry and reason == "cancelled due to timeout" and trade.is_open:
            trade.exit_timeout_count += 1
            self.session.commit()
        return not order.ft_is_open

    def exit_timeouts(self, trade: Trade) -> int:
        return trade.exit_timeout_count

    # -- booking -----------------------------------------------------------------------------
    def _apply(
        self, trade: Trade, order: Order, update: OrderUpdate, cancel_reason: str | None = None
    ) -> None:
        was_open = order.ft_is_open
        newly_filled = order.apply_update(update, trade.base_currency)
        if newly_filled > 0 and order.ft_order_side == STOPLOSS:
            trade.exit_reason = order.ft_order_tag  # the exchange's stop sold, not the bot
        self._pending_lookups.pop(order.client_order_id, None)
        trade.recalculate()
        if newly_filled > 0:
            self.callbacks.order_filled(trade, order, self.clock.now())
        if was_open and not order.ft_is_open and order.status != OrderStatus.CLOSED:
            # The order's end and its consequence (an unfilled entry removes its trade) are one
            # unit of work, committed by _after_finish: committed apart, a kill between the two
            # left an open trade that never held a position, stuck in a slot for good.
            self._after_finish(trade, order, reason=cancel_reason or "cancelled on exchange")
            return
        self.session.commit()
        self._publish_fill_if_done(trade, order, was_open=was_open, newly_filled=newly_filled)
        if not trade.is_open:
            self._closed(trade)

    def _publish_fill_if_done(
        self, trade: Trade, order: Order, *, was_open: bool, newly_filled: Decimal
    ) -> None:
        if not (was_open and order.status == OrderStatus.CLOSED and order.filled > 0):
            return
        kind = "entry_fill" if order.is_entry else "exit_fill"
        sub_trade = (order.is_entry and trade.nr_of_successful_entries > 1) or (
            not order.is_entry and trade.is_open
        )
        self._publish(kind, trade, order, None, sub_trade=sub_trade)

    def _after_finish(
        self, trade: Trade, order: Order, *, reason: str, publish: bool = True
    ) -> None:
        """An order ended without filling completely (cancelled, expired, rejected)."""
        trade.recalculate()
        # a stop replaced or cleared for another exit is bookkeeping, not a cancelled exit
        if publish and order.ft_order_side != STOPLOSS:
            kind = "entry_cancel" if order.is_entry else "exit_cancel"
            self._publish(kind, trade, order, None, reason=reason)
        if not order.is_entry and trade.is_open and order.filled == 0:
            trade.exit_reason = None
        if order.is_entry and not trade.filled_entries and not trade.open_orders:
            self._remove(trade)
        elif not trade.is_open:
            self._closed(trade)
        self.session.commit()

    def _remove(self, trade: Trade) -> None:
        """A trade whose only entry never filled never held a position: drop it."""
        log.info("Removing trade %s for %s: its entry order did not fill.", trade.id, trade.pair)
        self.session.delete(trade)
        self.session.commit()
        self.on_trade_removed(trade)

    def _trade_gone(self, trade: Trade) -> bool:
        return trade not in self.session

    def _closed(self, trade: Trade) -> None:
        if trade.id in self._closed_ids:
            return
        self._closed_ids.add(trade.id or 0)
        self.session.commit()
        self.on_trade_closed(trade)

    def _publish(
        self,
        kind: str,
        trade: Trade,
        order: Order,
        current_rate: float | None,
        *,
        reason: str | None = None,
        sub_trade: bool = False,
    ) -> None:
        self.events.publish(
            TradeEvent(
                kind=kind,
                trade=trade,
                order=order,
                current_rate=current_rate,
                reason=reason,
                sub_trade=sub_trade,
                at=self.clock.now(),
            )
        )


def _ignore(trade: Trade) -> None:
    """Default trade hook: nothing to do."""
