"""Information about the bot and its host: version, effective config, logs, sysinfo, health."""

from __future__ import annotations

import asyncio
import logging
import math
import os
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import psutil

from tradewind.domain.enums import TradingMode
from tradewind.domain.timeframes import timeframe_to_minutes, timeframe_to_msecs
from tradewind.engine.bot import BOT_START_KEY
from tradewind.persistence.repositories import KeyValueRepository
from tradewind.schemas.dates import as_utc, epoch_s
from tradewind.schemas.info import (
    CpuLoad,
    CpuLoadAvg,
    Health,
    Logs,
    OrderTypes,
    ShowConfig,
    SysInfo,
    UnfilledTimeout,
    Version,
)
from tradewind.services.context import BotContext

__all__ = ["CPU_SAMPLE_SECONDS", "InfoService", "stake_currency_decimals"]

log = logging.getLogger(__name__)

CPU_SAMPLE_SECONDS = 0.1
_DECIMALS = {"BTC": 8, "ETH": 5}
_ORDER_TYPE_KEYS = tuple(OrderTypes.model_fields)


def stake_currency_decimals(currency: str) -> int:
    """Decimals the UI shows for the stake currency: BTC 8, ETH 5, everything else 3."""
    return _DECIMALS.get(currency.upper(), 3)


def _unlimited_as_minus_one(value: float) -> float:
    return -1.0 if math.isinf(value) or value < 0 else float(value)


def _order_types(types: Mapping[str, Any] | None) -> OrderTypes | None:
    if not types:
        return None
    known = {key: types[key] for key in _ORDER_TYPE_KEYS if types.get(key) is not None}
    known.setdefault("entry", "limit")
    known.setdefault("exit", "limit")
    known.setdefault("stoploss", "market")
    return OrderTypes.model_validate(known)


def _sample_cpu() -> list[float]:
    """Per-CPU load over ``CPU_SAMPLE_SECONDS`` (blocks: run it in a worker thread)."""
    return [float(pct) for pct in psutil.cpu_percent(interval=CPU_SAMPLE_SECONDS, percpu=True)]


def _load_average() -> tuple[float, float, float]:
    try:
        one, five, fifteen = psutil.getloadavg()
    except (OSError, AttributeError):  # not every platform reports a load average
        return 0.0, 0.0, 0.0
    return float(one), float(five), float(fifteen)


class InfoService:
    """Answers ``/version``, ``/show_config``, ``/logs``, ``/sysinfo`` and ``/health``.

    ``api_version`` is decided by the HTTP adapter (it knows which routes it serves) and only
    reported here.
    """

    def __init__(self, ctx: BotContext, *, api_version: float = 2.5) -> None:
        self._ctx = ctx
        self._api_version = api_version
        self._bot_start: datetime | None = None

    @property
    def api_version(self) -> float:
        """The API version ``show_config`` reports (rest-api.md §0.4)."""
        return self._api_version

    def version(self) -> Version:
        """The bot software version."""
        return Version(version=self._ctx.version)

    # -- show_config -----------------------------------------------------------------------
    def show_config(self) -> ShowConfig:
        """The operation-relevant, secret-free subset of the effective configuration (§3.2)."""
        ctx = self._ctx
        config = ctx.config
        timeframe = ctx.settings.timeframe if ctx.settings else config.timeframe
        trading_mode = str(config.trading_mode)
        return ShowConfig(
            version=ctx.version,
            strategy_version=self._strategy_version(),
            api_version=self._api_version,
            dry_run=config.dry_run,
            trading_mode=trading_mode,
            margin_mode=str(config.margin_mode or ""),
            short_allowed=trading_mode != TradingMode.SPOT,
            stake_currency=config.stake_currency,
            stake_amount=config.stake_amount_text(),
            available_capital=config.available_capital,
            stake_currency_decimals=stake_currency_decimals(config.stake_currency),
            max_open_trades=self._max_open_trades(),
            timeframe=timeframe,
            timeframe_ms=timeframe_to_msecs(timeframe) if timeframe else 0,
            timeframe_min=timeframe_to_minutes(timeframe) if timeframe else 0,
            exchange=config.exchange.name,
            demo_trading=config.exchange.demo_trading,
            strategy=config.strategy,
            force_entry_enable=config.force_entry_enable,
            exit_pricing=config.exit_pricing.model_dump(mode="json"),
            entry_pricing=config.entry_pricing.model_dump(mode="json"),
            bot_name=config.bot_name,
            state=ctx.engine.state.value if ctx.engine is not None else "",
            runmode=ctx.runmode.value,
            **self._strategy_settings(),
        )

    def _strategy_version(self) -> str | None:
        strategy = self._ctx.strategy
        if strategy is None:
            return None
        try:
            version = strategy.version()
        except Exception:  # user code: a broken version() must not break show_config
            log.exception("version() of %s failed", type(strategy).__name__)
            return None
        return None if version is None else str(version)

    def _max_open_trades(self) -> float:
        settings = self._ctx.settings
        if settings is not None:
            return _unlimited_as_minus_one(settings.max_open_trades)
        return _unlimited_as_minus_one(self._ctx.config.max_open_trades_limit())

    def _strategy_settings(self) -> dict[str, Any]:
        """The strategy-overridable keys: effective values in trade mode, the config's else."""
        settings = self._ctx.settings
        config = self._ctx.config
        if settings is not None:
            types: Mapping[str, Any] | None = settings.order_types
            roi = {str(minutes): ratio for minutes, ratio in settings.minimal_roi}
            values: dict[str, Any] = {
                "stoploss": settings.stoploss,
                "trailing_stop": settings.trailing_stop,
                "trailing_stop_positive": settings.trailing_stop_positive,
                "trailing_stop_positive_offset": settings.trailing_stop_positive_offset,
                "trailing_only_offset_is_reached": settings.trailing_only_offset_is_reached,
                "use_custom_stoploss": settings.use_custom_stoploss,
                "position_adjustment_enable": settings.position_adjustment_enable,
                "max_entry_position_adjustment": settings.max_entry_position_adjustment,
            }
        else:
            types = config.order_types.model_dump() if config.order_types else None
            roi = dict(config.minimal_roi or {})
            values = {
                "stoploss": config.stoploss,
                "trailing_stop": config.trailing_stop,
                "trailing_stop_positive": config.trailing_stop_positive,
                "trailing_stop_positive_offset": config.trailing_stop_positive_offset,
                "trailing_only_offset_is_reached": config.trailing_only_offset_is_reached,
                "use_custom_stoploss": config.use_custom_stoploss,
                "position_adjustment_enable": bool(config.position_adjustment_enable),
                "max_entry_position_adjustment": int(
                    _unlimited_as_minus_one(float(config.max_entry_position_adjustment or -1))
                ),
            }
        order_types = _order_types(types)
        timeout = config.unfilledtimeout
        return values | {
            "minimal_roi": roi,
            "order_types": order_types,
            "stoploss_on_exchange": bool(order_types and order_types.stoploss_on_exchange),
            "unfilledtimeout": None
            if timeout is None
            else UnfilledTimeout.model_validate(timeout.model_dump()),
        }

    # -- logs, host, health ------------------------------------------------------------------
    def logs(self, limit: int | None = None) -> Logs:
        """The newest ``limit`` log records, oldest first (all of them without a limit)."""
        rows = self._ctx.log_buffer.records(limit if limit and limit > 0 else None)
        return Logs(log_count=len(rows), logs=rows)

    async def sysinfo(self) -> SysInfo:
        """CPU and memory load; the CPU is sampled in a worker thread, not on the event loop."""
        per_cpu = await asyncio.to_thread(_sample_cpu)
        one, five, fifteen = _load_average()
        return SysInfo(
            cpu_pct=per_cpu,
            cpu_load=[CpuLoad(cpu=index, pct=pct) for index, pct in enumerate(per_cpu)],
            cpu_load_avg=CpuLoadAvg.model_validate({"1m": one, "5m": five, "15m": fifteen}),
            cpu_count=psutil.cpu_count() or os.cpu_count() or len(per_cpu),
            cpu_avg=sum(per_cpu) / len(per_cpu) if per_cpu else 0.0,
            ram_pct=float(psutil.virtual_memory().percent),
        )

    def health(self) -> Health:
        """Last loop iteration, first-ever bot start and this process's start (§3.5)."""
        engine = self._ctx.require_engine()
        last = engine.last_process
        bot_start = self._first_start()
        startup = engine.startup_time
        return Health(
            last_process=last,
            last_process_ts=epoch_s(last) if last else None,
            bot_start=bot_start,
            bot_start_ts=epoch_s(bot_start) if bot_start else None,
            bot_startup=startup,
            bot_startup_ts=epoch_s(startup),
        )

    def _first_start(self) -> datetime | None:
        """The persisted first start (read once: it never changes once written)."""
        if self._bot_start is None:
            engine = self._ctx.require_engine()
            stored = KeyValueRepository(engine.session).get(BOT_START_KEY)
            if isinstance(stored, str):
                try:
                    self._bot_start = as_utc(datetime.fromisoformat(stored))
                except ValueError:
                    log.warning("Unreadable %s in the database: %r", BOT_START_KEY, stored)
        return self._bot_start
