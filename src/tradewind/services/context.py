"""What every service works with: the running bot (or, in webserver mode, no engine)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tradewind.config import BotConfig
from tradewind.domain.enums import RunMode
from tradewind.domain.events import EventBus
from tradewind.engine.analyzer import Analyzer
from tradewind.engine.bot import TradingEngine
from tradewind.errors import InvalidRequest
from tradewind.exchange.port import Exchange
from tradewind.exchange.simulated import packaged_data_dir
from tradewind.logs import LogBuffer
from tradewind.persistence.database import Database
from tradewind.strategy.interface import IStrategy
from tradewind.strategy.runner import StrategyRunner
from tradewind.strategy.settings import StrategySettings


@dataclass
class BotContext:
    """The objects the services read and act on, built by the composition root.

    `engine` (and the strategy objects) are None in webserver mode: services that need the
    trading bot call `require_engine()`, which raises the API's "Bot is not in the correct
    state" error.
    """

    config: BotConfig
    runmode: RunMode
    db: Database
    log_buffer: LogBuffer
    version: str
    events: EventBus
    engine: TradingEngine | None = None
    exchange: Exchange | None = None
    strategy: IStrategy | None = None
    settings: StrategySettings | None = None
    runner: StrategyRunner | None = None
    analyzer: Analyzer | None = None
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    hub: Any = None
    """The message hub of the message WebSocket (signals package), when the API runs."""
    consumer: Any = None
    """The external-signals consumer (follower side), when enabled."""
    cache: dict[str, Any] = field(default_factory=dict)
    """Per-bot memo of derived views (keyed by the engine's revision counters)."""
    extras: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def candle_sources(self) -> list[tuple[Path, str]]:
        """Where stored candles are read from, in order, as (directory, file format).

        The data directory first; on the simulated exchange also the packaged sample market
        it replays, so historic charts work on a fresh install.
        """
        sources = [(self.config.effective_datadir(), str(self.config.dataformat_ohlcv))]
        simulation = self.config.exchange.simulation
        if self.config.exchange.is_simulated and simulation.source != "generate":
            sources.append((packaged_data_dir(), "feather"))
        return sources

    def require_engine(self) -> TradingEngine:
        if self.engine is None:
            raise InvalidRequest("Bot is not in the correct state")
        return self.engine

    @property
    def is_webserver(self) -> bool:
        return self.runmode == RunMode.WEBSERVER
