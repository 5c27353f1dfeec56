"""Opening trades: from entry signals each tick, and on request (force-enter)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from tradewind.domain.enums import SignalDirection
from tradewind.domain.money import ZERO, round_price, round_to_step, to_decimal
from tradewind.domain.pairs import split_pair
from tradewind.domain.trade import Trade
from tradewind.engine.analyzer import Analyzer
from tradewind.engine.locks import PairLocks
from tradewind.engine.order_manager import EntryRequest, OrderManager
from tradewind.engine.pricing import Pricing
from tradewind.engine.stake import StakeCalculator
from tradewind.errors import ExchangeError
from tradewind.exchange.port import Exchange

if TYPE_CHECKING:
    from tradewind.strategy.runner import StrategyRunner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EntrySettings:
    timeframe: str
    order_types: dict[str, object]
    time_in_force: str = "GTC"
    trading_mode: str = "spot"
    max_open_trades: float = 3


@dataclass(frozen=True)
class EntryOrder:
    """What a (force) entry asks for; None fields take the strategy's defaults."""

    pair: str
    enter_tag: str | None = None
    price: float | None = None
    order_type: str | None = None
    stake_amount: float | None = None
    forced: bool = False


class EntryManager:
    """Turns fresh entry signals into entry orders within stake, slot and lock limits."""

    def __init__(
        self,
        *,
        runner: StrategyRunner,
        analyzer: Analyzer,
        pricing: Pricing,
        stake: StakeCalculator,
        orders: OrderManager,
        locks: PairLocks,
        exchange: Exchange,
        settings: EntrySettings,
    ) -> None:
        self.runner = runner
        self.analyzer = analyzer
        self.pricing = pricing
        self.stake = stake
        self.orders = orders
        self.locks = locks
        self.exchange = exchange
        self.settings = settings

    async def run(
        self, whitelist: list[str], open_trades: list[Trade], closed_profit: Decimal, now: datetime
    ) -> list[Trade]:
        """Enter every whitelisted pair with a fresh long signal while slots remain."""
        opened: list[Trade] = []
        busy = {trade.pair for trade in open_trades}
        for pair in whitelist:
            if len(open_trades) + len(opened) >= self.settings.max_open_trades:
                break
            if pair in busy or self.locks.is_locked(pair, now, side="long"):
                continue
            frame, _ = self.analyzer.get(pair)
            signal = self.runner.entry_signal(
                pair, frame, now, self.settings.timeframe, self.settings.trading_mode
            )
            if signal is None or signal[0] != SignalDirection.LONG:
                continue
            trade = await self.enter(EntryOrder(pair, enter_tag=signal[1]), closed_profit, now)
            if trade is not None:
                opened.append(trade)
        return opened

    async def enter(
        self, request: EntryOrder, closed_profit: Decimal, now: datetime
    ) -> Trade | None:
        """Place an entry for `request.pair`; None when sizing, pricing or the strategy declines."""
        pair = request.pair
        market = self.exchange.markets.get(pair)
        try:
            proposed_rate = await self.pricing.entry_rate(pair)
        except ExchangeError as exc:
            log.warning("No entry price for %s: %s", pair, exc)
            return None
        order_type = request.order_type or self._order_type(request.forced)
        rate = self._entry_rate(pair, request, proposed_rate, order_type, now)
        stake = self._stake(pair, request, rate, now, closed_profit)
        if stake <= 0:
            return None
        amount = round_to_step(stake / rate, market.amount_step if market else None)
        if amount <= 0:
            log.info("Stake %s is too small to buy any %s.", stake, pair)
            return None
        tag = request.enter_tag or ("force_entry" if request.forced else None)
        confirmed = self.runner.confirm_trade_entry(
            pair=pair,
            order_type=order_type,
            amount=float(amount),
            rate=float(rate),
            time_in_force=self.settings.time_in_force,
            current_time=now,
            entry_tag=tag,
            side="long",
        )
        if not confirmed:
            log.info("Strategy declined the entry into %s.", pair)
            return None
        base, quote = split_pair(pair)
        return await self.orders.open_trade(
            EntryRequest(
                pair=pair,
                amount=amount,
                rate=rate,
                order_type=order_type,
                enter_tag=tag,
                stake_currency=quote,
                base_currency=base,
                fee_rate=self.exchange.fee_rate(pair, taker=order_type == "market"),
                amount_precision=float(market.amount_step)
                if market and market.amount_step
                else None,
                price_precision=float(market.price_step) if market and market.price_step else None,
            ),
            now,
        )

    def _order_type(self, forced: bool) -> str:
        types = self.settings.order_types
        chosen = types.get("force_entry") if forced else None
        return str(chosen or types.get("entry") or "limit")

    def _entry_rate(
        self, pair: str, request: EntryOrder, proposed: float, order_type: str, now: datetime
    ) -> Decimal:
        market = self.exchange.markets.get(pair)
        if request.price is not None and order_type == "limit":
            rate = float(request.price)
        else:
            rate = self.runner.custom_entry_price(
                pair=pair,
                trade=None,
                current_time=now,
                proposed_rate=proposed,
                entry_tag=request.enter_tag,
                side="long",
            )
        return round_price(to_decimal(rate), market.price_step if market else None)

    def _stake(
        self, pair: str, request: EntryOrder, rate: Decimal, now: datetime, closed_profit: Decimal
    ) -> Decimal:
        market = self.exchange.markets.get(pair)
        min_stake = self.stake.min_stake(market, rate)
        max_stake = self.stake.available(closed_profit)
        if request.stake_amount:
            proposed = min(to_decimal(float(request.stake_amount)), max_stake)
        else:
            proposed = self.stake.proposed_stake(closed_profit)
        if proposed <= 0:
            log.info("No stake available for a new trade on %s.", pair)
            return ZERO
        if not request.stake_amount:
            custom = self.runner.custom_stake_amount(
                pair=pair,
                current_time=now,
                current_rate=float(rate),
                proposed_stake=float(proposed),
                min_stake=float(min_stake),
                max_stake=float(max_stake),
                leverage=1.0,
                entry_tag=request.enter_tag,
                side="long",
            )
            proposed = min(to_decimal(float(custom)), max_stake)
        if proposed < min_stake:
            log.info("Stake %s for %s is below the market minimum %s.", proposed, pair, min_stake)
            return ZERO
        return proposed
