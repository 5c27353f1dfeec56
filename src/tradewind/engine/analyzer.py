"""Runs the strategy over each pair's candles, off the event loop, and keeps the results."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import pandas as pd

from tradewind.domain.events import EventBus, PairAnalyzed
from tradewind.errors import StrategyError

if TYPE_CHECKING:
    from tradewind.data.candle_cache import CandleCache
    from tradewind.strategy.runner import StrategyRunner

log = logging.getLogger(__name__)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
Key = tuple[str, str, str]


class Analyzer:
    """Analyzed dataframes per (pair, timeframe, candle type) and when they were made."""

    def __init__(
        self,
        runner: StrategyRunner,
        events: EventBus,
        timeframe: str,
        *,
        candle_type: str = "spot",
        process_only_new_candles: bool = True,
        executor: ThreadPoolExecutor | None = None,
    ) -> None:
        self.runner = runner
        self.events = events
        self.timeframe = timeframe
        self.candle_type = candle_type
        self.process_only_new_candles = process_only_new_candles
        self._executor = executor or ThreadPoolExecutor(1, thread_name_prefix="analysis")
        self._owns_executor = executor is None
        self._frames: dict[Key, tuple[pd.DataFrame, datetime]] = {}
        self._failed: dict[str, str] = {}

    def key(self, pair: str) -> Key:
        return (pair, self.timeframe, self.candle_type)

    async def analyze(
        self, pairs: list[str], candles: CandleCache, new_candle: Mapping[Key, bool], now: datetime
    ) -> set[str]:
        """Analyze the pairs that need it; returns the pairs analyzed successfully this time."""
        jobs: list[tuple[str, pd.DataFrame]] = []
        for pair in pairs:
            key = self.key(pair)
            frame = candles.get(*key)
            if frame is None or frame.empty:
                continue
            if self.process_only_new_candles and not new_candle.get(key) and key in self._frames:
                continue
            jobs.append((pair, frame))
        if not jobs:
            return set()
        loop = asyncio.get_running_loop()
        results = await loop.run_in_executor(self._executor, self._run_all, jobs)
        done: set[str] = set()
        for pair, result in results.items():
            key = self.key(pair)
            self._frames[key] = (result, now)
            done.add(pair)
            self.events.publish(
                PairAnalyzed(
                    pair,
                    self.timeframe,
                    self.candle_type,
                    result,
                    now,
                    new_candle=bool(new_candle.get(key)),
                )
            )
        return done

    def _run_all(self, jobs: list[tuple[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
        results: dict[str, pd.DataFrame] = {}
        for pair, frame in jobs:
            try:
                results[pair] = self.runner.analyze(pair, frame.copy())
            except StrategyError as exc:
                self._log_failure(pair, exc)
                continue
            self._failed.pop(pair, None)
        return results

    def _log_failure(self, pair: str, exc: StrategyError) -> None:
        message = str(exc.cause)
        previous = self._failed.get(pair)
        self._failed[pair] = message
        if previous is None:
            log.warning("Strategy error on %s, skipping it for this candle: %s", pair, message)
        elif previous != message:
            # Once per failing streak, not once per message: messages that depend on the data
            # (a shortened frame's last close, a value in an exception) change from candle to
            # candle and were logged again each time.
            log.debug("Strategy error on %s, still skipping it: %s", pair, message)

    def get(
        self, pair: str, timeframe: str | None = None, candle_type: str | None = None
    ) -> tuple[pd.DataFrame, datetime]:
        key = (pair, timeframe or self.timeframe, candle_type or self.candle_type)
        found = self._frames.get(key)
        if found is None:
            return pd.DataFrame(), EPOCH
        return found

    def get_analyzed(
        self, pair: str, timeframe: str, candle_type: str
    ) -> tuple[pd.DataFrame, datetime] | None:
        """The DataProvider's view: None when the pair was never analyzed."""
        return self._frames.get((pair, timeframe, candle_type))

    def forget(self, pairs_to_keep: set[str]) -> None:
        for key in [k for k in self._frames if k[0] not in pairs_to_keep]:
            del self._frames[key]

    def close(self) -> None:
        if self._owns_executor:
            self._executor.shutdown(wait=False, cancel_futures=True)
