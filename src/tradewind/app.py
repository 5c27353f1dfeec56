"""Composition root: configuration → objects → run.

`build` creates the database, the exchange, the strategy, the engine (and, when enabled, the API
server) and hands each its dependencies. Tests build the same graph with a ManualClock.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tradewind import __version__
from tradewind.config import BotConfig, LoadedConfig, check_effective_config
from tradewind.data.candle_cache import CandleCache
from tradewind.domain.clock import Clock, ScaledClock
from tradewind.domain.enums import BotState, RunMode
from tradewind.domain.events import EventBus, StrategyMessage
from tradewind.domain.money import to_decimal
from tradewind.domain.pairs import is_pair
from tradewind.domain.timeframes import (
    timeframe_to_minutes,
    timeframe_to_prev_date,
    timeframe_to_seconds,
)
from tradewind.engine.analyzer import Analyzer
from tradewind.engine.bot import EngineParts, TradingEngine
from tradewind.engine.entries import EntryManager, EntrySettings
from tradewind.engine.exit_rules import ExitRules
from tradewind.engine.exits import ExitManager, ExitSettings
from tradewind.engine.locks import PairLocks
from tradewind.engine.order_manager import OrderManager, Timeouts
from tradewind.engine.pairlist import PairList
from tradewind.engine.pricing import Pricing, PricingRules
from tradewind.engine.stake import StakeCalculator, StakeRules
from tradewind.engine.strategy_hooks import (
    CachedMarketInfo,
    RunnerOrderCallbacks,
    SessionCustomData,
    StrategyPairLocks,
    StrategyWallets,
)
from tradewind.engine.wallet import DryRunWallet, ExchangeWallet
from tradewind.errors import ConfigError
from tradewind.exchange.port import Exchange
from tradewind.exchange.simulated import SimulatedExchange, packaged_data_dir
from tradewind.logs import LogBuffer
from tradewind.persistence.database import Database
from tradewind.persistence.repositories import KeyValueRepository
from tradewind.services.context import BotContext
from tradewind.services.wallet_history import WalletSnapshotter
from tradewind.signals.consumer import ExternalMessageConsumer
from tradewind.signals.hub import HubSource, MessageHub
from tradewind.signals.payloads import MessageFormatter
from tradewind.strategy.data_provider import DataProvider
from tradewind.strategy.interface import IStrategy
from tradewind.strategy.loader import load_strategy, strategy_dirs
from tradewind.strategy.runner import StrategyRunner
from tradewind.strategy.settings import StrategySettings, resolve_settings

log = logging.getLogger(__name__)
SIMULATION_KEY = "simulation_clock"


@dataclass
class Application:
    """The built object graph of one bot."""

    loaded: LoadedConfig
    db: Database
    session: Session
    events: EventBus
    clock: Clock
    exchange: Exchange
    strategy: IStrategy
    settings: StrategySettings
    runner: StrategyRunner
    candles: CandleCache
    analyzer: Analyzer
    engine: TradingEngine
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def config(self) -> BotConfig:
        return self.loaded.config

    @property
    def runmode(self) -> RunMode:
        return self.loaded.runmode

    def context(self, log_buffer: LogBuffer | None = None) -> BotContext:
        """The services' view of this bot (built once, kept in `extras`)."""
        existing = self.extras.get("context")
        if isinstance(existing, BotContext):
            return existing
        buffer = log_buffer or self.extras.get("log_buffer") or LogBuffer()
        context = BotContext(
            config=self.config,
            runmode=self.runmode,
            db=self.db,
            log_buffer=buffer,
            version=__version__,
            events=self.events,
            engine=self.engine,
            exchange=self.exchange,
            strategy=self.strategy,
            settings=self.settings,
            runner=self.runner,
            analyzer=self.analyzer,
            hub=self.extras.get("hub"),
            consumer=self.extras.get("consumer"),
        )
        self.extras["context"] = context
        return context

    async def close(self) -> None:
        self.analyzer.close()
        await self.exchange.close()
        self.session.close()
        self.db.dispose()


def build(
    loaded: LoadedConfig, *, clock: Clock | None = None, log_buffer: LogBuffer | None = None
) -> Application:
    """Create every component of a trading bot from a loaded configuration.

    `log_buffer` is the in-memory log the API serves (`/logs`); one is made when not given.
    """
    config = loaded.config
    if not config.strategy:
        raise ConfigError(
            "strategy: required key is missing (set it in the config or pass --strategy)"
        )
    db = Database(config.effective_db_url())
    db.migrate()
    session = db.new_session()
    events = EventBus()
    strategy = _load_strategy(config, loaded)
    settings = resolve_settings(strategy, config)
    check_effective_config(config)
    clock, exchange = _build_exchange(config, settings, session, clock)
    candles = CandleCache(max_candles=max(1000, settings.startup_candle_count + 100))
    app = _assemble(
        loaded=loaded,
        db=db,
        session=session,
        events=events,
        clock=clock,
        exchange=exchange,
        strategy=strategy,
        settings=settings,
        candles=candles,
    )
    app.extras["log_buffer"] = log_buffer or LogBuffer()
    app.events.subscribe(WalletSnapshotter(app.context()))
    return app


def _assemble(
    *,
    loaded: LoadedConfig,
    db: Database,
    session: Session,
    events: EventBus,
    clock: Clock,
    exchange: Exchange,
    strategy: IStrategy,
    settings: StrategySettings,
    candles: CandleCache,
) -> Application:
    config = loaded.config
    engine_ref: list[TradingEngine] = []
    timeframe = settings.timeframe
    wallet = (
        DryRunWallet(_starting_balances(config), settings.stake_currency)
        if config.dry_run
        else ExchangeWallet(exchange, settings.stake_currency)
    )
    stake = StakeCalculator(_stake_rules(config, settings), wallet)
    pricing = Pricing(
        exchange,
        PricingRules.from_config(config.entry_pricing),
        PricingRules.from_config(config.exit_pricing),
    )
    locks = PairLocks(session, timeframe)
    runner = StrategyRunner(
        strategy,
        settings,
        trading_mode=str(config.trading_mode),
        outdated_offset=config.exchange.outdated_offset,
        custom_price_max_distance_ratio=config.custom_price_max_distance_ratio,
        wallets=StrategyWallets(wallet, stake, lambda: engine_ref[0].closed_profit),
        pair_locks=StrategyPairLocks(locks, clock, session.commit),
        custom_data=SessionCustomData(session, clock),
    )
    analyzer = Analyzer(
        runner, events, timeframe, process_only_new_candles=settings.process_only_new_candles
    )
    consumer = _build_consumer(config, settings)
    strategy.dp = DataProvider(
        candles=candles,
        analyzed=analyzer,
        runmode=loaded.runmode,
        timeframe=timeframe,
        trading_mode=str(config.trading_mode),
        whitelist=lambda: engine_ref[0].whitelist,
        market_info=CachedMarketInfo(exchange, pricing),
        send_msg=lambda message: events.publish(StrategyMessage(message)),
        clock=clock,
        producers=consumer,
    )
    orders = OrderManager(
        exchange=exchange,
        session=session,
        events=events,
        clock=clock,
        callbacks=RunnerOrderCallbacks(runner),
        timeouts=Timeouts.from_config(settings.unfilledtimeout),
        strategy_name=type(strategy).__name__,
        timeframe_minutes=timeframe_to_minutes(timeframe),
    )
    order_types = dict(settings.order_types)
    tif = str(dict(settings.order_time_in_force).get("entry", "GTC"))
    entries = EntryManager(
        runner=runner,
        analyzer=analyzer,
        pricing=pricing,
        stake=stake,
        orders=orders,
        locks=locks,
        exchange=exchange,
        settings=EntrySettings(
            timeframe, order_types, tif, str(config.trading_mode), settings.max_open_trades
        ),
    )
    exits = ExitManager(
        runner=runner,
        analyzer=analyzer,
        pricing=pricing,
        orders=orders,
        exchange=exchange,
        settings=ExitSettings(
            _exit_rules(settings), timeframe, order_types, tif, str(config.trading_mode)
        ),
    )
    pairlist = PairList(
        config.exchange.pair_whitelist,
        config.exchange.pair_blacklist,
        settings.stake_currency,
        methods=[p.method for p in config.pairlists],
        **_producer_pairlist(config, consumer),
    )
    engine = TradingEngine(
        EngineParts(
            clock=clock,
            exchange=exchange,
            session=session,
            events=events,
            pairlist=pairlist,
            candles=candles,
            analyzer=analyzer,
            runner=runner,
            pricing=pricing,
            wallet=wallet,
            locks=locks,
            orders=orders,
            entries=entries,
            exits=exits,
            timeframe=timeframe,
            initial_state=BotState(config.initial_state),
            process_throttle_secs=float(config.internals.process_throttle_secs),
            heartbeat_interval=float(config.internals.heartbeat_interval),
            cancel_open_orders_on_exit=config.cancel_open_orders_on_exit,
            force_entry_enable=config.force_entry_enable,
            version=__version__,
        )
    )
    engine_ref.append(engine)
    orders.on_trade_closed = engine.on_trade_closed
    orders.on_trade_removed = engine.on_trade_removed
    extras = _signals_extras(config, events, engine, analyzer, consumer)
    return Application(
        loaded,
        db,
        session,
        events,
        clock,
        exchange,
        strategy,
        settings,
        runner,
        candles,
        analyzer,
        engine,
        extras,
    )


# -- external signals: the message hub (leader side) and the consumer (follower side) -----------
def _build_consumer(
    config: BotConfig, settings: StrategySettings
) -> ExternalMessageConsumer | None:
    section = config.external_message_consumer
    if not section.enabled:
        return None
    return ExternalMessageConsumer(
        section, process_only_new_candles=settings.process_only_new_candles
    )


def _producer_pairlist(
    config: BotConfig, consumer: ExternalMessageConsumer | None
) -> dict[str, Any]:
    """PairList arguments of a `ProducerPairList` handler (none for other handlers)."""
    handler = next((p for p in config.pairlists if p.method == "ProducerPairList"), None)
    if handler is None or consumer is None:
        return {}
    name = str(handler.params.get("producer_name", "default"))
    return {
        "producer_pairs": lambda: consumer.get_producer_pairs(name),
        "number_assets": int(handler.params.get("number_assets", 0)),
    }


def _signals_extras(
    config: BotConfig,
    events: EventBus,
    engine: TradingEngine,
    analyzer: Analyzer,
    consumer: ExternalMessageConsumer | None,
) -> dict[str, Any]:
    """The hub (when the API runs) and the consumer with its service coroutine (when enabled)."""
    extras: dict[str, Any] = {}
    if config.api_server is not None and config.api_server.enabled:
        source = HubSource(
            whitelist=lambda: engine.whitelist,
            analyzed=analyzer.get_analyzed,
            timeframe=analyzer.timeframe,
            candle_type=analyzer.candle_type,
        )
        hub = MessageHub(source, formatter=MessageFormatter(config.fiat_display_currency or None))
        hub.attach(events)
        extras["hub"] = hub
    if consumer is not None:
        extras["consumer"] = consumer
        extras["services"] = {"consumer": consumer.run}
    return extras


def _load_strategy(config: BotConfig, loaded: LoadedConfig) -> IStrategy:
    strategy_path = Path(config.strategy_path) if config.strategy_path else None
    dirs = strategy_dirs(config.effective_user_data_dir(), strategy_path)
    return load_strategy(
        str(config.strategy),
        dirs,
        config=dict(loaded.raw),
        trading_mode=str(config.trading_mode),
        recursive=config.recursive_strategy_search,
    )


def _starting_balances(config: BotConfig) -> dict[str, Decimal]:
    wallet = config.dry_run_wallet
    if isinstance(wallet, dict):
        return {currency: to_decimal(float(amount)) for currency, amount in wallet.items()}
    return {str(config.stake_currency): to_decimal(float(wallet))}


def _stake_rules(config: BotConfig, settings: StrategySettings) -> StakeRules:
    amount = settings.stake_amount
    return StakeRules(
        stake_amount=None if amount == "unlimited" else to_decimal(float(amount)),
        max_open_trades=settings.max_open_trades,
        tradable_balance_ratio=to_decimal(config.tradable_balance_ratio),
        available_capital=None
        if config.available_capital is None
        else to_decimal(float(config.available_capital)),
        amend_last_stake_amount=config.amend_last_stake_amount,
        last_stake_amount_min_ratio=to_decimal(config.last_stake_amount_min_ratio),
        amount_reserve_percent=to_decimal(config.amount_reserve_percent),
    )


def _exit_rules(settings: StrategySettings) -> ExitRules:
    return ExitRules(
        minimal_roi=tuple(settings.minimal_roi),
        stoploss=settings.stoploss,
        trailing_stop=settings.trailing_stop,
        trailing_stop_positive=settings.trailing_stop_positive,
        trailing_stop_positive_offset=settings.trailing_stop_positive_offset,
        trailing_only_offset_is_reached=settings.trailing_only_offset_is_reached,
        use_custom_stoploss=settings.use_custom_stoploss,
        use_exit_signal=settings.use_exit_signal,
        exit_profit_only=settings.exit_profit_only,
        exit_profit_offset=settings.exit_profit_offset,
        ignore_roi_if_entry_signal=settings.ignore_roi_if_entry_signal,
    )


# -- exchanges -----------------------------------------------------------------------------------
def _build_exchange(
    config: BotConfig, settings: StrategySettings, session: Session, clock: Clock | None
) -> tuple[Clock, Exchange]:
    if config.exchange.is_simulated:
        return _build_simulated(config, settings, session, clock)
    return _build_ccxt(config, clock)


def _build_ccxt(config: BotConfig, clock: Clock | None) -> tuple[Clock, Exchange]:
    # Imported only when configured: a bot on the simulated exchange never loads ccxt.
    module = importlib.import_module("tradewind.exchange.ccxt")
    real_clock: Clock = clock or module.system_clock()
    return real_clock, module.build_ccxt_exchange(
        config.exchange, real_clock, dry_run=config.dry_run, fee=config.fee
    )


def _build_simulated(
    config: BotConfig, settings: StrategySettings, session: Session, clock: Clock | None
) -> tuple[Clock, Exchange]:
    sim = config.exchange.simulation
    base = _base_timeframe(settings.timeframe)
    state = _simulation_state(session, sim.speed, sim.start, base, clock)
    start = datetime.fromisoformat(state["start"])
    if clock is None:
        clock = ScaledClock(
            datetime.fromisoformat(state["anchor_market"]),
            float(state["anchor_wall"]),
            float(state["speed"]),
        )
    source_dirs: list[Path] = []
    if sim.source != "generate":
        source_dirs = [config.effective_datadir(), packaged_data_dir()]
    pairs = _simulated_pairs(config, source_dirs, base)
    fee = config.fee if config.fee is not None else sim.fee
    exchange = SimulatedExchange(
        pairs,
        clock,
        start,
        timeframe=base,
        source_dirs=source_dirs,
        seed=sim.seed,
        warmup_candles=max(sim.warmup_candles, settings.startup_candle_count),
        spread=sim.spread,
        fee=to_decimal(float(fee)),
        fill_share=sim.partial_fill_share,
    )
    return clock, exchange


def _base_timeframe(timeframe: str) -> str:
    seconds = timeframe_to_seconds(timeframe)
    return "5m" if seconds >= 300 and seconds % 300 == 0 else timeframe


def _simulated_pairs(config: BotConfig, source_dirs: list[Path], timeframe: str) -> list[str]:
    """Explicit whitelist pairs plus every pair with replay data (patterns then match them)."""
    pairs = [p for p in config.exchange.pair_whitelist if is_pair(p) and ".*" not in p]
    suffix = f"-{timeframe}.feather"
    for directory in source_dirs:
        if directory.is_dir():
            for path in sorted(directory.glob(f"*{suffix}")):
                stem = path.name[: -len(suffix)]
                if stem.count("_") == 1:
                    pairs.append(stem.replace("_", "/"))
    return list(dict.fromkeys(pairs))


def _simulation_state(
    session: Session, speed: float, start: datetime | None, timeframe: str, clock: Clock | None
) -> dict[str, Any]:
    """The simulated market's timeline, persisted so that a restarted bot continues it."""
    kv = KeyValueRepository(session)
    state: dict[str, Any] | None = kv.get(SIMULATION_KEY)
    wall = time.time()
    if state is None:
        origin = start or (clock.now() if clock else datetime.now(UTC))
        first = timeframe_to_prev_date(timeframe, origin)
        state = {
            "start": first.isoformat(),
            "anchor_market": first.isoformat(),
            "anchor_wall": wall,
            "speed": speed,
        }
    elif float(state["speed"]) != speed:
        previous = ScaledClock(
            datetime.fromisoformat(state["anchor_market"]),
            float(state["anchor_wall"]),
            float(state["speed"]),
        )
        state.update(anchor_market=previous.now().isoformat(), anchor_wall=wall, speed=speed)
    kv.set(SIMULATION_KEY, state)
    session.commit()
    return state


async def run_engine(app: Application, stop: asyncio.Event) -> None:
    """Run the engine (and the servers registered in `app.extras['services']`) until stopped."""
    tasks = [asyncio.create_task(app.engine.run(stop), name="engine")]
    for name, factory in app.extras.get("services", {}).items():
        tasks.append(asyncio.create_task(factory(stop), name=name))
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()
    finally:
        stop_all = [t for t in tasks if not t.done()]
        for task in stop_all:
            task.cancel()
        await asyncio.gather(*stop_all, return_exceptions=True)
