"""Stoploss on the exchange: one resting stop-limit sell per open trade.

With `order_types.stoploss_on_exchange` and an exchange that takes stop orders, the stop price
the bot tracks for a trade (initial stoploss, trailing stop, custom stoploss) also rests on the
exchange, so a crash in the market is sold even while the bot is down or busy:

* once a trade holds coins and has no open entry or exit order, a stop-limit sell for its whole
  amount is placed at its stop price (limit = stop × `stoploss_on_exchange_limit_ratio`),
  committed under a client order id before it is sent, like every order;
* when the stop price rises by more than a tick, the exchange stop is replaced, at most every
  `stoploss_on_exchange_interval` seconds: cancel first, then place, so a trade never has two
  live stops (a cancel that finds the stop filled books the fill instead);
* before any other exit order the stop is cancelled; a stop that filled meanwhile has closed
  the trade and no other exit is placed;
* its fill is booked like any exit and closes the trade as "stoploss_on_exchange".

While a stop order is open (or still being looked up after a lost answer), the bot's own
stoploss check stands aside; it is the backstop for a trade without one (placement refused,
e.g. because the price is already at the stop). On an exchange without stop orders the bot
warns once at start and keeps managing the stoploss itself.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from tradewind.domain.money import round_price, to_decimal
from tradewind.domain.order import STOPLOSS, Order
from tradewind.domain.trade import Trade
from tradewind.engine.order_manager import OrderManager
from tradewind.errors import ExchangeError
from tradewind.exchange.port import Exchange

log = logging.getLogger(__name__)

DEFAULT_INTERVAL = timedelta(seconds=60)
DEFAULT_LIMIT_RATIO = Decimal("0.99")


@dataclass(frozen=True)
class StoplossOrderSettings:
    """The `order_types` keys of the stoploss on the exchange.

    `stoploss_price_type` does not apply: spot stop orders trigger on the last traded price.
    """

    on_exchange: bool = False
    interval: timedelta = DEFAULT_INTERVAL
    limit_ratio: Decimal = DEFAULT_LIMIT_RATIO

    @classmethod
    def from_order_types(cls, order_types: Mapping[str, Any]) -> StoplossOrderSettings:
        interval = order_types.get("stoploss_on_exchange_interval")
        ratio = order_types.get("stoploss_on_exchange_limit_ratio")
        return cls(
            on_exchange=bool(order_types.get("stoploss_on_exchange")),
            interval=DEFAULT_INTERVAL if interval is None else timedelta(seconds=float(interval)),
            limit_ratio=DEFAULT_LIMIT_RATIO if ratio is None else to_decimal(float(ratio)),
        )


class StoplossOrders:
    """Keeps each open trade's stop order on the exchange in step with its stop price."""

    def __init__(
        self, *, orders: OrderManager, exchange: Exchange, settings: StoplossOrderSettings
    ) -> None:
        self.orders = orders
        self.exchange = exchange
        self.settings = settings
        self.active = settings.on_exchange and exchange.supports_stoploss_orders
        self._warned = False
        self._refused_at: dict[int, datetime] = {}

    def announce(self) -> None:
        """At start: say (once) that the configured stoploss on the exchange cannot be had."""
        if self.settings.on_exchange and not self.active and not self._warned:
            self._warned = True
            log.warning(
                "stoploss_on_exchange is not supported by %s; the bot manages the stoploss",
                self.exchange.name,
            )

    @staticmethod
    def open_stops(trade: Trade) -> list[Order]:
        return [o for o in trade.open_orders if o.ft_order_side == STOPLOSS]

    def guards(self, trade: Trade) -> bool:
        """A stop order (placed, or still being looked up) rests on the exchange for the
        trade, so the bot must not sell on its own stoploss as well."""
        return bool(self.open_stops(trade))

    async def maintain(self, trade: Trade, now: datetime) -> None:
        """Place the trade's stop when it has none; replace it when the stop price rose."""
        if not self.active or not trade.is_open or trade.amount <= 0 or not trade.stop_loss:
            return
        if trade.has_open_orders:  # an entry still filling or an exit under way
            return
        stops = self.open_stops(trade)
        if not stops:
            if self._may_retry(trade, now):
                await self._place(trade, now)
            return
        stop = stops[-1]
        if not stop.is_placed or now - stop.order_date < self.settings.interval:
            return
        if self._target(trade)[0] - stop.ft_price <= (self._price_step(trade.pair) or 0):
            return
        if await self.orders.cancel(trade, stop, "stoploss moved", now) and trade.is_open:
            await self._place(trade, now)

    async def clear(self, trade: Trade, now: datetime) -> bool:
        """Cancel the trade's stop orders before another exit order is placed.

        True when that exit may go ahead: no stop is left and the trade is still open (a stop
        that filled meanwhile has closed it). False as well when a cancel failed: the stop
        may still be live, and two exits could sell the coins twice.
        """
        for stop in self.open_stops(trade):
            try:
                cancelled = await self.orders.cancel(trade, stop, "replaced by an exit", now)
            except ExchangeError as exc:
                log.warning("Could not look up the stop order of %s: %s", trade.pair, exc)
                cancelled = False
            if not cancelled:
                log.warning("The stop order of trade %s is still open; exit postponed.", trade.id)
                return False
        return trade.is_open and trade.amount > 0

    async def _place(self, trade: Trade, now: datetime) -> None:
        stop, limit = self._target(trade)
        placed = await self.orders.place_stoploss(trade, stop=stop, limit=limit, now=now)
        if placed is None:  # refused: the bot's own stoploss covers the trade meanwhile
            self._refused_at[trade.id or 0] = now
        else:
            self._refused_at.pop(trade.id or 0, None)

    def _may_retry(self, trade: Trade, now: datetime) -> bool:
        """An exchange that refused a stop mostly refuses it again: wait one interval."""
        refused = self._refused_at.get(trade.id or 0)
        return refused is None or now - refused >= self.settings.interval

    def _target(self, trade: Trade) -> tuple[Decimal, Decimal]:
        """(stop, limit) for the trade's current stop price, on the market's tick grid."""
        step = self._price_step(trade.pair)
        stop = round_price(to_decimal(trade.stop_loss), step)
        return stop, min(stop, round_price(stop * self.settings.limit_ratio, step))

    def _price_step(self, pair: str) -> Decimal | None:
        market = self.exchange.markets.get(pair)
        return market.price_step if market else None
