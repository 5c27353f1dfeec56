"""Daily wallet snapshots for `/historic_balance` (rest-api.md §6.9).

`WalletSnapshotter` subscribes to the event bus; on the first `TickCompleted` of each UTC day
(market time) it records the bot-managed wallet — the stake currency plus the coins held by
open trades, valued in the stake currency — dated at that day's midnight.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from decimal import Decimal

from tradewind.domain.events import Event, TickCompleted
from tradewind.domain.money import to_decimal
from tradewind.engine.bot import TradingEngine
from tradewind.persistence.repositories import WalletHistoryRepository
from tradewind.schemas.dates import as_utc
from tradewind.services.context import BotContext

__all__ = ["WalletSnapshotter", "bot_managed_total"]

log = logging.getLogger(__name__)


class WalletSnapshotter:
    """Event-bus subscriber: one wallet snapshot per UTC day, each in its own transaction."""

    def __init__(self, ctx: BotContext) -> None:
        self._ctx = ctx
        self._last_day: date | None = None

    def __call__(self, event: Event) -> None:
        """Record today's snapshot if this is the first completed tick of the day."""
        if not isinstance(event, TickCompleted):
            return
        engine = self._ctx.engine
        day = as_utc(event.at).date()
        if engine is None or day == self._last_day:
            return
        midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
        total = bot_managed_total(engine)
        with self._ctx.db.transaction() as session:
            # a restarted bot finds today's snapshot already there: record() keeps it
            WalletHistoryRepository(session).record(
                midnight, engine.parts.wallet.stake_currency, total
            )
        self._last_day = day
        log.debug("Wallet snapshot of %s: %s", day, total)


def bot_managed_total(engine: TradingEngine) -> Decimal:
    """Stake currency plus the coins of open trades, valued at the tick's prices.

    Prices are the tickers the engine cached during the tick (last price); a coin without one
    is valued at its trade's open rate.
    """
    wallet = engine.parts.wallet
    balances = wallet.balances()
    stake = balances.get(wallet.stake_currency)
    total = stake.total if stake is not None else Decimal(0)
    for trade in engine.open_trades:
        ticker = engine.parts.pricing.cached_ticker(trade.pair)
        rate = to_decimal(ticker.last) if ticker is not None and ticker.last > 0 else None
        total += trade.amount * (rate if rate is not None else trade.open_rate)
    return total
