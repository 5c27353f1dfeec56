"""Closing trades: the exit rules each tick, and on request (force-exit)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from tradewind.domain.enums import ExitType
from tradewind.domain.money import round_price, round_to_step, to_decimal
from tradewind.domain.trade import Trade
from tradewind.engine.analyzer import Analyzer
from tradewind.engine.exit_rules import ExitCheck, ExitRules, evaluate, update_stoploss
from tradewind.engine.order_manager import OrderManager
from tradewind.engine.pricing import Pricing
from tradewind.engine.stoploss_orders import StoplossOrders, StoplossOrderSettings
from tradewind.errors import ExchangeError
from tradewind.exchange.port import Exchange

if TYPE_CHECKING:
    from tradewind.strategy.runner import StrategyRunner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExitSettings:
    rules: ExitRules
    timeframe: str
    order_types: dict[str, object]
    time_in_force: str = "GTC"
    trading_mode: str = "spot"


class ExitManager:
    """Evaluates every open trade's exits and places the exit orders; with
    `stoploss_on_exchange`, keeps each trade's stop order on the exchange (`stops`)."""

    def __init__(
        self,
        *,
        runner: StrategyRunner,
        analyzer: Analyzer,
        pricing: Pricing,
        orders: OrderManager,
        exchange: Exchange,
        settings: ExitSettings,
        stops: StoplossOrders | None = None,
    ) -> None:
        self.runner = runner
        self.analyzer = analyzer
        self.pricing = pricing
        self.orders = orders
        self.exchange = exchange
        self.settings = settings
        self.stops = stops or StoplossOrders(
            orders=orders,
            exchange=exchange,
            settings=StoplossOrderSettings.from_order_types(settings.order_types),
        )

    async def run(self, open_trades: list[Trade], now: datetime) -> None:
        for trade in list(open_trades):
            if not trade.is_open or trade.has_open_orders or trade.amount <= 0:
                continue
            try:
                rate = await self.pricing.exit_rate(trade.pair)
            except ExchangeError as exc:
                log.warning("No exit price for %s: %s", trade.pair, exc)
                continue
            check = self.check(trade, rate, now)
            self.orders.session.commit()  # stoploss moves and extremes
            if check is not None:
                await self.exit(trade, check, rate=rate, now=now)
            else:
                await self.stops.maintain(trade, now)

    async def emergency_exits(self, open_trades: list[Trade], now: datetime) -> None:
        """Market-exit trades whose exit orders timed out too often (`exit_timeout_count`)."""
        limit = self.orders.timeouts.exit_timeout_count
        if limit <= 0:
            return
        for trade in open_trades:
            if (
                trade.is_open
                and not trade.has_open_orders
                and self.orders.exit_timeouts(trade) >= limit
            ):
                rate = await self.pricing.exit_rate(trade.pair)
                check = ExitCheck(ExitType.EMERGENCY_EXIT, ExitType.EMERGENCY_EXIT.value)
                await self.exit(trade, check, rate=rate, now=now, confirm=False)

    def check(self, trade: Trade, rate: float, now: datetime) -> ExitCheck | None:
        """Update the stop and return the exit that applies now, if any."""
        rules = self.settings.rules
        trade.update_extremes(rate)
        profit = trade.profit_ratio_at(rate)
        custom_stop = None
        if rules.use_custom_stoploss:
            custom_stop = self.runner.custom_stoploss(
                pair=trade.pair,
                trade=trade,
                current_time=now,
                current_rate=rate,
                current_profit=profit,
                after_fill=False,
            )
        update_stoploss(trade, rules, rate=rate, profit=profit, now=now, custom_stop=custom_stop)
        frame, _ = self.analyzer.get(trade.pair)
        latest = self.runner.latest_signals(trade.pair, frame, now, self.settings.timeframe)
        enter_signal = latest is not None and (
            latest.enter_short if trade.is_short else latest.enter_long
        )
        exit_signal, exit_tag = self.runner.exit_signal(
            trade.pair, frame, now, self.settings.timeframe, is_short=trade.is_short
        )
        custom_exit = None
        if rules.use_exit_signal and not exit_signal:
            custom_exit = self.runner.custom_exit(
                pair=trade.pair,
                trade=trade,
                current_time=now,
                current_rate=rate,
                current_profit=profit,
            )
        return evaluate(
            trade,
            rules,
            rate=rate,
            profit=profit,
            now=now,
            enter_signal=enter_signal,
            exit_signal=exit_signal,
            exit_tag=exit_tag,
            custom_exit=custom_exit,
            bot_stoploss=not self.stops.guards(trade),  # never two exits at the stop
        )

    async def exit(
        self,
        trade: Trade,
        check: ExitCheck,
        *,
        rate: float,
        now: datetime,
        amount: Decimal | None = None,
        order_type: str | None = None,
        price: float | None = None,
        confirm: bool = True,
    ) -> bool:
        """Place the exit order; False when the strategy vetoes it or the exchange refuses."""
        order_type = order_type or self._order_type(check)
        market = self.exchange.markets.get(trade.pair)
        exit_amount = trade.amount if amount is None else min(amount, trade.amount)
        exit_amount = round_to_step(exit_amount, market.amount_step if market else None)
        if amount is None and exit_amount < trade.amount:
            exit_amount = trade.amount  # never leave dust behind on a full exit
        if price is not None and order_type == "limit":
            exit_rate = float(price)
        elif order_type == "limit" and not check.is_stoploss:
            exit_rate = self.runner.custom_exit_price(
                pair=trade.pair,
                trade=trade,
                current_time=now,
                proposed_rate=rate,
                current_profit=trade.profit_ratio_at(rate),
                exit_tag=check.reason,
            )
        else:
            exit_rate = rate
        partial = exit_amount < trade.amount
        if (
            confirm
            and not partial
            and not self.runner.confirm_trade_exit(
                pair=trade.pair,
                trade=trade,
                order_type=order_type,
                amount=float(exit_amount),
                rate=exit_rate,
                time_in_force=self.settings.time_in_force,
                exit_reason=check.reason,
                current_time=now,
            )
        ):
            log.info("Strategy vetoed the %s exit of trade %s.", check.reason, trade.id)
            return False
        reason = (
            ExitType.PARTIAL_EXIT.value
            if partial and check.exit_type != ExitType.FORCE_EXIT
            else check.reason
        )
        if not await self.stops.clear(trade, now):
            return False  # its stop order sold the trade, or may still be live
        placed = await self.orders.place_exit(
            trade,
            amount=exit_amount,
            rate=round_price(to_decimal(exit_rate), market.price_step if market else None),
            order_type=order_type,
            reason=reason,
            now=now,
        )
        return placed is not None

    def _order_type(self, check: ExitCheck) -> str:
        types = self.settings.order_types
        key = {
            ExitType.STOP_LOSS: "stoploss",
            ExitType.TRAILING_STOP_LOSS: "stoploss",
            ExitType.EMERGENCY_EXIT: "emergency_exit",
            ExitType.FORCE_EXIT: "force_exit",
        }.get(check.exit_type, "exit")
        chosen = types.get(key)
        if chosen is None and key == "emergency_exit":
            chosen = "market"
        return str(chosen or types.get("exit") or "limit")
