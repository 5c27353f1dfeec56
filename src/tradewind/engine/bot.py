"""The trading engine: bot state, the loop, and the operations remote callers may ask for.

One tick: candles → analysis → open orders → exits → entries. The engine runs on the asyncio
event loop beside the API server; strategy analysis runs in a worker thread so requests keep
being answered while a slow strategy works.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from tradewind.domain.clock import Clock
from tradewind.domain.enums import BotState
from tradewind.domain.events import (
    EventBus,
    Notice,
    StateChanged,
    TickCompleted,
    TradeEvent,
    WhitelistChanged,
)
from tradewind.domain.money import ZERO
from tradewind.domain.timeframes import timeframe_to_next_date, timeframe_to_seconds
from tradewind.domain.trade import Trade
from tradewind.engine.analyzer import Analyzer
from tradewind.engine.entries import EntryManager
from tradewind.engine.exits import ExitManager
from tradewind.engine.locks import PairLocks
from tradewind.engine.order_manager import OrderManager
from tradewind.engine.pairlist import PairList
from tradewind.engine.pricing import Pricing
from tradewind.engine.remote_operations import RemoteOperations
from tradewind.engine.wallet import DryRunWallet
from tradewind.errors import ExchangeError
from tradewind.exchange.port import Exchange
from tradewind.persistence.repositories import KeyValueRepository, TradeRepository

if TYPE_CHECKING:
    from tradewind.data.candle_cache import CandleCache
    from tradewind.strategy.runner import StrategyRunner

log = logging.getLogger(__name__)
BOT_START_KEY = "bot_start_time"


@dataclass
class EngineParts:
    """Everything the engine works with, built by the composition root."""

    clock: Clock
    exchange: Exchange
    session: Session
    events: EventBus
    pairlist: PairList
    candles: CandleCache
    analyzer: Analyzer
    runner: StrategyRunner
    pricing: Pricing
    wallet: DryRunWallet
    locks: PairLocks
    orders: OrderManager
    entries: EntryManager
    exits: ExitManager
    timeframe: str
    initial_state: BotState = BotState.STOPPED
    process_throttle_secs: float = 5.0
    heartbeat_interval: float = 60.0
    cancel_open_orders_on_exit: bool = False
    force_entry_enable: bool = False
    version: str = ""


class TradingEngine(RemoteOperations):
    """Owns the open trades and runs the loop."""

    def __init__(self, parts: EngineParts) -> None:
        self.parts = parts
        self.state = parts.initial_state
        self.open_trades: list[Trade] = []
        self.closed_profit: Decimal = ZERO
        self.last_process: datetime | None = None
        self.startup_time = datetime.now(UTC)
        self.reload_requested = asyncio.Event()
        self.lock = asyncio.Lock()
        self._last_heartbeat = 0.0
        self._wakeup = asyncio.Event()
        self.revision = 0
        """Bumped on every tick and trade change: cache key for derived views."""
        self.closed_revision = 0
        """Bumped when the set of closed trades changes (a close, a deletion)."""
        self.closed_edits = 0
        """Bumped when a closed trade is changed or removed (not when a trade closes)."""
        parts.events.subscribe(self._count_revision)

    # -- properties the services read ------------------------------------------------------
    @property
    def whitelist(self) -> list[str]:
        """The active whitelist: pairlist result plus pairs of open trades."""
        pairs = self.parts.pairlist.whitelist
        extra = [t.pair for t in self.open_trades if t.pair not in pairs]
        return pairs + extra

    @property
    def session(self) -> Session:
        return self.parts.session

    def now(self) -> datetime:
        return self.parts.clock.now()

    # -- lifecycle ---------------------------------------------------------------------------
    async def start_up(self) -> None:
        """Load markets and open trades, re-take open orders, and reconcile them."""
        parts = self.parts
        markets = await parts.exchange.load_markets()
        repo = TradeRepository(parts.session)
        self.open_trades = repo.open_trades()
        self.closed_profit = repo.closed_profit_total()
        placed = [o for t in self.open_trades for o in t.open_orders if o.is_placed]
        parts.exchange.adopt_open_orders(placed)
        now = self.now()
        await parts.orders.sync(self.open_trades, now)
        await self._refresh_wallet()
        self._refresh_open_trades()
        parts.pairlist.refresh(markets)
        kv = KeyValueRepository(parts.session)
        if kv.get(BOT_START_KEY) is None:
            kv.set(BOT_START_KEY, datetime.now(UTC).isoformat())
        parts.session.commit()
        parts.runner.bot_start()
        parts.exits.stops.announce()
        self._announce_startup()

    def _announce_startup(self) -> None:
        if self.parts.exchange.dry_run:
            self._notice("warning", "Dry run is enabled. All trades are simulated.")
        self._notice("startup", self.startup_summary())
        pair_methods = ", ".join(self.parts.pairlist.methods)
        stake = self.parts.wallet.stake_currency
        self._notice(
            "startup", f"Searching for {stake} pairs to buy and sell based on {pair_methods}"
        )
        log.info(
            "Bot started in state '%s' with %d open trades.", self.state, len(self.open_trades)
        )
        self.parts.events.publish(StateChanged(self.state, self.state.value))

    def startup_summary(self) -> str:
        settings = self.parts.runner.settings
        roi = {str(minutes): ratio for minutes, ratio in settings.minimal_roi}
        return (
            f"*Exchange:* `{self.parts.exchange.name}`\n"
            f"*Stake per trade:* `{settings.stake_amount} {settings.stake_currency}`\n"
            f"*Minimum ROI:* `{roi}`\n"
            f"*Stoploss:* `{settings.stoploss}`\n"
            f"*Position adjustment:* `Off`\n"
            f"*Timeframe:* `{self.parts.timeframe}`\n"
            f"*Strategy:* `{type(self.parts.runner.strategy).__name__}`"
        )

    async def run(self, stop: asyncio.Event) -> None:
        """Loop until `stop` is set or a reload is requested."""
        await self.start_up()
        while not stop.is_set() and not self.reload_requested.is_set():
            started = time.monotonic()
            if self.state != BotState.STOPPED:
                try:
                    await self.tick()
                except Exception as exc:  # the loop must survive any single tick failing
                    log.exception("Tick failed: %s", exc)
                    self._notice("exception", f"Tick failed: {exc}")
            self._heartbeat()
            await self._sleep(time.monotonic() - started, stop)

    async def _sleep(self, elapsed: float, stop: asyncio.Event) -> None:
        throttle = self.parts.process_throttle_secs
        clock = self.parts.clock
        now = clock.now()
        until_candle = (timeframe_to_next_date(self.parts.timeframe, now) - now).total_seconds()
        wall_until_candle = clock.wall_seconds_for(until_candle) + 0.05
        delay = max(0.0, min(throttle - elapsed, wall_until_candle))
        if self.state == BotState.STOPPED:
            delay = max(delay, 1.0)
        self._wakeup.clear()
        waiters = [
            asyncio.ensure_future(stop.wait()),
            asyncio.ensure_future(self._wakeup.wait()),
            asyncio.ensure_future(self.reload_requested.wait()),
        ]
        try:
            await asyncio.wait(waiters, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()

    def _heartbeat(self) -> None:
        interval = self.parts.heartbeat_interval
        if interval and time.monotonic() - self._last_heartbeat >= interval:
            self._last_heartbeat = time.monotonic()
            log.info(
                "Bot heartbeat. PID=%d, version='%s', state='%s'",
                os.getpid(),
                self.parts.version,
                self.state.value,
            )

    async def tick(self) -> None:
        """One iteration: candles → analysis → open orders → exits → entries."""
        parts = self.parts
        began = time.monotonic()
        now = self.now()
        parts.pricing.forget()
        parts.runner.bot_loop_start(now)
        if parts.pairlist.refresh(parts.exchange.markets):
            parts.events.publish(WhitelistChanged(tuple(self.whitelist)))
        pairs = self.whitelist
        keys = [(pair, parts.timeframe, "spot") for pair in pairs]
        keys += [k for k in parts.runner.informative_pairs(pairs) if k not in keys]
        new_candles = await parts.candles.refresh(parts.exchange, keys, now)
        await parts.analyzer.analyze(pairs, parts.candles, new_candles, now)
        async with self.lock:
            await self._manage_trades(now)
        self.last_process = datetime.now(UTC)
        parts.events.publish(TickCompleted(at=now, duration_s=time.monotonic() - began))

    async def _manage_trades(self, now: datetime) -> None:
        parts = self.parts
        await parts.orders.sync(self.open_trades, now)
        await self._refresh_wallet()
        self._refresh_open_trades()
        if self.state in (BotState.RUNNING, BotState.PAUSED):
            await parts.exits.run(self.open_trades, now)
            await parts.exits.emergency_exits(self.open_trades, now)
            self._refresh_open_trades()
        if self.state == BotState.RUNNING:
            opened = await parts.entries.run(
                parts.pairlist.whitelist, self.open_trades, self.closed_profit, now
            )
            self.open_trades.extend(t for t in opened if t.is_open and t not in self.open_trades)
            self._refresh_open_trades()

    async def _refresh_wallet(self) -> None:
        try:
            await self.parts.wallet.refresh()
        except ExchangeError as exc:
            log.warning("Could not refresh balances: %s", exc)
        self._refresh_open_trades()

    def _count_revision(self, event: object) -> None:
        if isinstance(event, TradeEvent | TickCompleted):
            self.revision += 1

    # -- callbacks from the order manager -------------------------------------------------------
    def on_trade_closed(self, trade: Trade) -> None:
        self.closed_profit += trade.close_profit_abs or ZERO
        self.closed_revision += 1
        self.revision += 1
        now = self.now()
        self.parts.locks.lock(trade.pair, now, now, reason="Auto lock")
        self.parts.session.commit()
        log.info(
            "Trade %s on %s closed (%s): profit %s %s.",
            trade.id,
            trade.pair,
            trade.exit_reason,
            trade.close_profit_abs,
            trade.stake_currency,
        )
        self._refresh_open_trades()

    def on_trade_removed(self, trade: Trade) -> None:
        self._refresh_open_trades()

    # -- state control ------------------------------------------------------------------------
    def start(self) -> str:
        if self.state == BotState.RUNNING:
            return "already running"
        self._set_state(BotState.RUNNING)
        return "starting trader ..."

    async def stop(self) -> str:
        if self.state == BotState.STOPPED:
            return "already stopped"
        self._set_state(BotState.STOPPED)
        if self.parts.cancel_open_orders_on_exit:
            await self.cancel_all_open_orders()
        if self.open_trades:
            self._notice(
                "warning",
                f"{len(self.open_trades)} open trades active.\n\n"
                f"Handle these trades manually on {self.parts.exchange.name}, or '/start' "
                "the bot again and use '/stopentry' to handle open trades gracefully. \n"
                + ("Trades are simulated." if self.parts.exchange.dry_run else ""),
            )
        return "stopping trader ..."

    def pause(self) -> str:
        if self.state == BotState.STOPPED:
            self._set_state(BotState.PAUSED)
            return (
                "starting bot with trader in paused state, no entries will occur. "
                "Run /start to enable entries."
            )
        self._set_state(BotState.PAUSED)
        return "paused, no more entries will occur from now. Run /start to enable entries."

    def request_reload(self) -> str:
        self._set_state(BotState.RELOAD_CONFIG)
        self.reload_requested.set()
        return "Reloading config ..."

    def _set_state(self, state: BotState) -> None:
        if state != self.state:
            log.info("Bot state: %s → %s", self.state.value, state.value)
        self.state = state
        self.parts.events.publish(StateChanged(state, state.value))
        self._wakeup.set()

    def _notice(self, kind: str, text: str) -> None:
        self.parts.events.publish(Notice(kind, text))

    def wake(self) -> None:
        self._wakeup.set()

    def candle_seconds(self) -> int:
        return timeframe_to_seconds(self.parts.timeframe)

    def market_age(self, since: datetime) -> timedelta:
        return self.now() - since
