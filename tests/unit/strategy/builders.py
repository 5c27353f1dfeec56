"""Small builders and fakes shared by the strategy tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tradewind.domain.trade import Trade
from tradewind.strategy.interface import IStrategy
from tradewind.strategy.runner import StrategyRunner
from tradewind.strategy.settings import StrategySettings, resolve_settings

DATA_DIR = Path(__file__).resolve().parents[4] / "shared" / "data" / "ohlcv"
FIXTURE_STRATEGIES = Path(__file__).resolve().parents[2] / "fixtures" / "strategies"
START = datetime(2024, 1, 1, tzinfo=UTC)


def real_candles(pair: str = "ETH/BTC", rows: int | None = None) -> pd.DataFrame:
    """Real 5m candles from the shared data directory."""
    frame = pd.read_feather(DATA_DIR / f"{pair.replace('/', '_')}-5m.feather")
    return frame if rows is None else frame.tail(rows).reset_index(drop=True)


def candles(rows: int = 50, start: datetime = START, minutes: int = 5) -> pd.DataFrame:
    """Deterministic synthetic candles (a gentle sine wave)."""
    close = 100 + 5 * np.sin(np.arange(rows) / 4)
    return pd.DataFrame(
        {
            "date": pd.date_range(start, periods=rows, freq=f"{minutes}min", tz="UTC"),
            "open": close - 0.5,
            "high": close + 1,
            "low": close - 1,
            "close": close,
            "volume": np.full(rows, 10.0),
        }
    )


def settings_for(strategy: IStrategy, **config: Any) -> StrategySettings:
    """Resolve settings with a minimal valid config (overridable by keyword)."""
    base: dict[str, Any] = {"stake_currency": "BTC", "stake_amount": 0.01, "max_open_trades": 3}
    base.update(config)
    return resolve_settings(strategy, base)


def runner_for(
    strategy: IStrategy, config: dict[str, Any] | None = None, **kwargs: Any
) -> StrategyRunner:
    """A runner for `strategy` with resolved settings."""
    return StrategyRunner(strategy, settings_for(strategy, **(config or {})), **kwargs)


def make_trade(**overrides: Any) -> Trade:
    """An open domain trade with one filled-looking set of money fields."""
    values: dict[str, Any] = {
        "pair": "ETH/BTC",
        "base_currency": "ETH",
        "stake_currency": "BTC",
        "exchange": "simulated",
        "strategy": "Test",
        "timeframe": 5,
        "open_date": START,
        "fee_open": Decimal("0.001"),
        "fee_close": Decimal("0.001"),
        "open_rate_requested": Decimal("0.05"),
        "amount_requested": Decimal("2"),
        "amount": Decimal("2"),
        "open_rate": Decimal("0.05"),
        "stake_amount": Decimal("0.1"),
        "open_trade_value": Decimal("0.1001"),
        "id": 7,
    }
    values.update(overrides)
    return Trade(**values)


def at(minutes: float) -> datetime:
    """START plus `minutes`."""
    return START + timedelta(minutes=minutes)


class DictCandles:
    """A CandleSource backed by a dict {(pair, timeframe, candle_type): DataFrame}."""

    def __init__(self, frames: dict[tuple[str, str, str], pd.DataFrame] | None = None) -> None:
        self.frames = frames or {}

    def get(self, pair: str, timeframe: str, candle_type: str) -> pd.DataFrame | None:
        return self.frames.get((pair, timeframe, candle_type))


class DictAnalyzed:
    """An AnalyzedSource backed by a dict."""

    def __init__(
        self, frames: dict[tuple[str, str, str], tuple[pd.DataFrame, datetime]] | None = None
    ) -> None:
        self.frames = frames or {}

    def get_analyzed(
        self, pair: str, timeframe: str, candle_type: str
    ) -> tuple[pd.DataFrame, datetime] | None:
        return self.frames.get((pair, timeframe, candle_type))


class DictProducers:
    """A ProducerSource backed by dicts."""

    def __init__(self) -> None:
        self.frames: dict[tuple[str, str, str, str], tuple[pd.DataFrame, datetime]] = {}
        self.pairs: dict[str, list[str]] = {}

    def get_producer_df(
        self, pair: str, timeframe: str, candle_type: str, producer_name: str
    ) -> tuple[pd.DataFrame, datetime] | None:
        return self.frames.get((pair, timeframe, candle_type, producer_name))

    def get_producer_pairs(self, producer_name: str) -> list[str]:
        return self.pairs.get(producer_name, [])
