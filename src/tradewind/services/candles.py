"""Candles and strategies for charts: pair_candles, pair_history, plot_config, strategies (§10–§11).

The live dataframes come from the engine's analyzer. Historic analysis (``pair_history``) and
any other strategy a request names run on a *separate* strategy instance in a worker thread,
so neither the live strategy nor the event loop is disturbed.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tradewind.data.ohlcv_files import load_ohlcv
from tradewind.data.timerange import TimeRange, TimeRangeError
from tradewind.domain.enums import CandleType, RunMode, TradingMode
from tradewind.domain.timeframes import is_valid_timeframe, timeframe_to_msecs
from tradewind.errors import InvalidRequest, NotFound, ServiceError, TradewindError
from tradewind.schemas.candles import (
    PairCandlesRequest,
    PairHistory,
    PairHistoryRequest,
    PlotConfig,
)
from tradewind.schemas.dates import epoch_ms, epoch_s, offset_text
from tradewind.schemas.strategy import StrategyListResponse, StrategyResponse
from tradewind.services.context import BotContext
from tradewind.strategy.data_provider import DataProvider
from tradewind.strategy.interface import IStrategy, plot_config_for_api
from tradewind.strategy.loader import find_strategy, instantiate, list_strategies, strategy_dirs
from tradewind.strategy.parameters import parameters_for_api
from tradewind.strategy.runner import StrategyRunner
from tradewind.strategy.settings import resolve_settings

__all__ = [
    "EPOCH",
    "OHLCV_COLUMNS",
    "SIGNAL_COLUMNS",
    "CandleService",
    "LoadFailed",
    "frame_to_history",
]

log = logging.getLogger(__name__)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
OHLCV_COLUMNS = ("date", "open", "high", "low", "close", "volume")
SIGNAL_COLUMNS = ("enter_long", "exit_long", "enter_short", "exit_short")
ONLY_ACTIVE_STRATEGY = "Only the currently active strategy is available in trade mode"
CACHE_SIZE = 32


class LoadFailed(ServiceError):
    """Historic data or a strategy could not be loaded or analyzed for a request.

    Answered 502 with ``{"detail": msg}`` (not the ``error`` body of bot-logic errors).
    """


# -- dataframe → PairHistory -------------------------------------------------------------------
def _cells(series: pd.Series) -> list[Any]:
    """One column as JSON-ready values: dates ISO ``Z``, missing values null, numbers as is."""
    kind = series.dtype.kind
    if kind == "M":
        text = series.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
        return list(text.astype(object).where(series.notna(), None))
    if kind in "fiub":
        return list(series.tolist())  # NaN/inf floats are written as null by the encoder
    return list(series.astype(object).where(series.notna(), None))


def _signal_close(frame: pd.DataFrame, signal: str) -> tuple[list[Any], int]:
    fired = (frame[signal] == 1).to_numpy(dtype=bool)
    close = frame["close"].to_numpy(dtype=float)
    return np.where(fired, close, np.nan).tolist(), int(fired.sum())


def _select(frame: pd.DataFrame, columns: Sequence[str] | None, limit: int | None) -> pd.DataFrame:
    if limit is not None and limit > 0:
        frame = frame.iloc[-limit:]
    if columns is not None:
        wanted = {*OHLCV_COLUMNS, *SIGNAL_COLUMNS, *columns}
        frame = frame[[name for name in frame.columns if name in wanted]]
    return frame


def _empty_history(strategy: str, pair: str, timeframe: str, analyzed_at: datetime) -> PairHistory:
    return PairHistory(
        strategy=strategy,
        pair=pair,
        timeframe=timeframe,
        timeframe_ms=_timeframe_ms(timeframe),
        columns=[],
        all_columns=[],
        data=[],
        annotations=[],
        length=0,
        buy_signals=0,
        sell_signals=0,
        enter_long_signals=0,
        exit_long_signals=0,
        enter_short_signals=0,
        exit_short_signals=0,
        last_analyzed=analyzed_at,
        last_analyzed_ts=epoch_s(analyzed_at),
        data_start_ts=0,
        data_stop_ts=0,
        data_start="",
        data_stop="",
    )


def _timeframe_ms(timeframe: str) -> int:
    return timeframe_to_msecs(timeframe) if is_valid_timeframe(timeframe) else 0


def frame_to_history(
    frame: pd.DataFrame,
    *,
    strategy: str,
    pair: str,
    timeframe: str,
    analyzed_at: datetime,
    columns: Sequence[str] | None = None,
    limit: int | None = None,
    annotations: list[dict[str, Any]] | None = None,
) -> PairHistory:
    """The PairHistory answer of an analyzed dataframe (rest-api.md §10.0).

    Rows keep the dataframe's column order (after the optional column filter, which always
    keeps OHLCV and the signal columns), then ``__date_ts`` and one ``_<signal>_signal_close``
    column per signal column present.
    """
    if frame.empty or "date" not in frame.columns:
        return _empty_history(strategy, pair, timeframe, analyzed_at)
    all_columns = [str(name) for name in frame.columns]
    frame = _select(frame, columns, limit)
    names = [str(name) for name in frame.columns]
    cells = [_cells(frame[name]) for name in frame.columns]
    dates = frame["date"]
    names.append("__date_ts")
    cells.append(dates.dt.as_unit("ms").astype("int64").tolist())
    counts = dict.fromkeys(SIGNAL_COLUMNS, 0)
    for signal in SIGNAL_COLUMNS:
        if signal in frame.columns and "close" in frame.columns:
            values, counts[signal] = _signal_close(frame, signal)
            names.append(f"_{signal}_signal_close")
            cells.append(values)
    rows = [list(row) for row in zip(*cells, strict=True)]
    first, last = (dates.iloc[0], dates.iloc[-1]) if len(frame) else (None, None)
    return PairHistory(
        strategy=strategy,
        pair=pair,
        timeframe=timeframe,
        timeframe_ms=_timeframe_ms(timeframe),
        columns=names,
        all_columns=all_columns,
        data=rows,
        annotations=annotations or [],
        length=len(rows),
        buy_signals=counts["enter_long"],
        sell_signals=counts["exit_long"],
        enter_long_signals=counts["enter_long"],
        exit_long_signals=counts["exit_long"],
        enter_short_signals=counts["enter_short"],
        exit_short_signals=counts["exit_short"],
        last_analyzed=analyzed_at,
        last_analyzed_ts=epoch_s(analyzed_at),
        data_start_ts=epoch_ms(first) if first is not None else 0,
        data_stop_ts=epoch_ms(last) if last is not None else 0,
        data_start=offset_text(first) if first is not None else "",
        data_stop=offset_text(last) if last is not None else "",
    )


# -- historic candles for a separate strategy instance -------------------------------------------
@dataclass
class _DiskCandles:
    """Candles from the data directory for one request (the separate instance's ``dp``)."""

    sources: list[tuple[Path, str]]  # (directory, format), searched in order
    timerange: TimeRange
    startup_candles: int

    def __post_init__(self) -> None:
        self._frames: dict[tuple[str, str, str], pd.DataFrame] = {}

    def get(self, pair: str, timeframe: str, candle_type: str) -> pd.DataFrame | None:
        key = (pair, timeframe, candle_type)
        if key not in self._frames:
            frame = pd.DataFrame()
            for directory, data_format in self.sources:
                frame = load_ohlcv(
                    directory,
                    pair,
                    timeframe,
                    data_format,
                    self.timerange,
                    startup_candles=self.startup_candles,
                    candle_type=candle_type,
                )
                if not frame.empty:
                    break
            self._frames[key] = frame
        frame = self._frames[key]
        return None if frame.empty else frame


class _NothingAnalyzed:
    def get_analyzed(
        self, pair: str, timeframe: str, candle_type: str
    ) -> tuple[pd.DataFrame, datetime] | None:
        return None


class CandleService:
    """Chart data and strategy information for the UI."""

    def __init__(self, ctx: BotContext) -> None:
        self._ctx = ctx
        self._cache: OrderedDict[tuple[Any, ...], PairHistory] = OrderedDict()
        self._load_lock = threading.Lock()  # strategy files execute under a global import hook

    # -- live candles -------------------------------------------------------------------------
    def pair_candles(self, request: PairCandlesRequest) -> PairHistory:
        """The dataframe the strategy last analyzed for (pair, timeframe); empty if never.

        Answers are cached per request and analysis time, so polls between two analyses of
        the pair cost one dictionary lookup.
        """
        analyzer = self._ctx.analyzer
        if analyzer is None:
            raise InvalidRequest("Bot is not in the correct state")
        frame, analyzed_at = analyzer.get(request.pair, request.timeframe)
        columns = None if request.columns is None else tuple(request.columns)
        key = (request.pair, request.timeframe, request.limit, columns, analyzed_at, id(frame))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        history = frame_to_history(
            frame,
            strategy=self._strategy_name(),
            pair=request.pair,
            timeframe=request.timeframe,
            analyzed_at=analyzed_at,
            columns=columns,
            limit=request.limit,
            annotations=self._annotations(request.pair, frame),
        )
        self._cache[key] = history
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return history

    def _strategy_name(self) -> str:
        strategy = self._ctx.strategy
        if strategy is not None:
            return type(strategy).__name__
        return self._ctx.config.strategy or ""

    def _annotations(self, pair: str, frame: pd.DataFrame) -> list[dict[str, Any]]:
        runner = self._ctx.runner
        if runner is None or frame.empty or "date" not in frame.columns:
            return []
        dates = frame["date"]
        return runner.plot_annotations(
            pair=pair,
            start_date=dates.iloc[0].to_pydatetime(),
            end_date=dates.iloc[-1].to_pydatetime(),
            dataframe=frame,
        )

    # -- historic candles ---------------------------------------------------------------------
    async def pair_history(self, request: PairHistoryRequest) -> PairHistory:
        """Candles from the data directory analyzed by a freshly loaded strategy (§10.2)."""
        name = request.strategy or self._ctx.config.strategy
        if not name:
            raise LoadFailed("No strategy given.")
        if request.live_mode:
            raise LoadFailed("live_mode is not supported: pair_history reads the data directory.")
        return await asyncio.to_thread(self._analyze_history, name, request)

    def _analyze_history(self, name: str, request: PairHistoryRequest) -> PairHistory:
        try:
            timerange = TimeRange.parse(request.timerange)
            strategy = self._load(name, request.timeframe)
            settings = resolve_settings(strategy, self._settings_overrides(request.timeframe))
            config = self._ctx.config
            candles = _DiskCandles(
                self._ctx.candle_sources(),
                timerange,
                settings.startup_candle_count,
            )
            runner = StrategyRunner(
                strategy,
                settings,
                trading_mode=str(config.trading_mode),
                dp=self._history_dp(candles, request.timeframe),
            )
            frame = candles.get(request.pair, request.timeframe, self._candle_type())
            if frame is None:
                raise LoadFailed(
                    f"No data for {request.pair}, {request.timeframe} in {request.timerange} found."
                )
            analyzed = runner.analyze(request.pair, frame)
        except LoadFailed:
            raise
        except (TradewindError, TimeRangeError) as exc:
            raise LoadFailed(str(exc)) from exc
        if timerange.start is not None:
            analyzed = analyzed.loc[analyzed["date"] >= pd.Timestamp(timerange.start)]
        return frame_to_history(
            analyzed.reset_index(drop=True),
            strategy=name,
            pair=request.pair,
            timeframe=request.timeframe,
            analyzed_at=datetime.now(UTC),
            columns=request.columns,
            limit=request.limit,
        )

    def _candle_type(self) -> str:
        futures = self._ctx.config.trading_mode == TradingMode.FUTURES
        return str(CandleType.FUTURES if futures else CandleType.SPOT)

    def _history_dp(self, candles: _DiskCandles, timeframe: str) -> DataProvider:
        return DataProvider(
            candles=candles,
            analyzed=_NothingAnalyzed(),
            runmode=RunMode.WEBSERVER,
            timeframe=timeframe,
            trading_mode=str(self._ctx.config.trading_mode),
        )

    def _settings_overrides(self, timeframe: str) -> dict[str, Any]:
        """What the separate instance takes from the config: the strategy decides the rest.

        The live config object carries the *running* strategy's effective values, which must
        not leak into another strategy; and it must not be written to either.
        """
        config = self._ctx.config
        return {
            "timeframe": timeframe,
            "stake_currency": config.stake_currency,
            "stake_amount": config.stake_amount,
            "max_open_trades": -1,
        }

    # -- strategies ---------------------------------------------------------------------------
    def _dirs(self) -> list[Path]:
        config = self._ctx.config
        path = Path(config.strategy_path) if config.strategy_path else None
        return strategy_dirs(config.effective_user_data_dir(), path)

    def _load(self, name: str, timeframe: str | None = None) -> IStrategy:
        """A new instance of strategy ``name`` (raises ConfigError when it cannot be loaded)."""
        config = self._ctx.config
        with self._load_lock:
            found = find_strategy(name, self._dirs(), recursive=config.recursive_strategy_search)
            strategy_config = config.model_dump(mode="json")
            if timeframe:
                strategy_config["timeframe"] = timeframe
            return instantiate(found, config=strategy_config, trading_mode=str(config.trading_mode))

    async def plot_config(self, strategy: str | None = None) -> PlotConfig:
        """The running strategy's chart config, or that of the strategy named (§10.3)."""
        live = self._ctx.strategy
        if strategy is None or (live is not None and strategy == type(live).__name__):
            if live is None:
                raise InvalidRequest("Strategy is mandatory in webserver mode.")
            return PlotConfig(plot_config_for_api(live))
        name = strategy
        try:
            loaded = await asyncio.to_thread(self._load, name)
        except TradewindError as exc:
            raise LoadFailed(str(exc)) from exc
        return PlotConfig(plot_config_for_api(loaded))

    async def strategies(self) -> StrategyListResponse:
        """Class names of every strategy in the strategy directories, sorted (§11.1)."""
        config = self._ctx.config

        def scan() -> list[str]:
            with self._load_lock:
                return list_strategies(self._dirs(), recursive=config.recursive_strategy_search)

        return StrategyListResponse(strategies=await asyncio.to_thread(scan))

    async def strategy(self, name: str) -> StrategyResponse:
        """A strategy's code and parameters (§11.2); trade mode serves only the running one."""
        live = self._ctx.strategy
        if live is not None and not self._ctx.is_webserver:
            if name != type(live).__name__:
                raise NotFound(ONLY_ACTIVE_STRATEGY)
            timeframe = self._ctx.settings.timeframe if self._ctx.settings else None
            return _strategy_response(name, live, timeframe)
        try:
            loaded = await asyncio.to_thread(self._load, name)
        except TradewindError as exc:
            if "not found" in str(exc) or "is not a Python class name" in str(exc):
                raise NotFound("Strategy not found") from exc
            log.warning("Loading strategy %s failed: %s", name, exc)
            raise LoadFailed("Unexpected error while loading strategy.") from exc
        return _strategy_response(name, loaded, getattr(loaded, "timeframe", None))

    # -- edge ---------------------------------------------------------------------------------
    def edge(self) -> list[dict[str, Any]]:
        """Edge positioning does not exist in tradewind: always the 'not enabled' refusal."""
        raise InvalidRequest("Edge is not enabled.")


def _strategy_response(name: str, strategy: IStrategy, timeframe: str | None) -> StrategyResponse:
    return StrategyResponse.model_validate(
        {
            "strategy": name,
            "timeframe": timeframe,
            "params": parameters_for_api(strategy),
            "code": strategy.source_code,
        }
    )
