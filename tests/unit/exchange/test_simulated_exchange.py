"""The simulated exchange: replay shift, generated continuation, determinism, resampling."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pandas as pd
import pytest

from tradewind.domain.clock import ManualClock
from tradewind.errors import DataError, PairNotTradable
from tradewind.exchange.port import Exchange
from tradewind.exchange.simulated import SimulatedExchange, packaged_data_dir

START = datetime(2024, 3, 1, tzinfo=UTC)
FIVE = timedelta(minutes=5)
T = TypeVar("T")


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def replay_file(directory: Path, pair_file: str = "ETH_BTC", rows: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    close = 0.05 * np.exp(np.cumsum(rng.normal(0, 0.004, rows)))
    open_ = np.concatenate(([0.05], close[:-1]))
    frame = pd.DataFrame(
        {
            "date": pd.date_range("2018-01-10", periods=rows, freq="5min", tz="UTC"),
            "open": open_,
            "high": np.maximum(open_, close) * 1.002,
            "low": np.minimum(open_, close) * 0.998,
            "close": close,
            "volume": rng.uniform(50, 150, rows),
        }
    )
    frame.to_feather(directory / f"{pair_file}-5m.feather")
    return frame


def exchange(
    clock: ManualClock, source_dirs: list[Path] | None = None, **kwargs: Any
) -> SimulatedExchange:
    pairs = kwargs.pop("pairs", ["ETH/BTC", "SOL/USDT"])
    return SimulatedExchange(pairs, clock, START, source_dirs=source_dirs or [], **kwargs)


def test_it_implements_the_exchange_port() -> None:
    sim = exchange(ManualClock(START))
    assert isinstance(sim, Exchange)
    assert sim.name == "simulated"
    assert sim.dry_run


def test_replay_rows_are_shifted_so_the_warmup_row_opens_at_start(tmp_path: Path) -> None:
    source = replay_file(tmp_path)
    clock = ManualClock(START + 3 * FIVE + timedelta(seconds=1))
    sim = exchange(clock, [tmp_path], warmup_candles=100)

    history = run(sim.fetch_ohlcv("ETH/BTC", "5m", since=START - 200 * FIVE, limit=1000))

    assert history["date"].iloc[0] == START - 100 * FIVE  # nothing before the first row
    at_start = history[history["date"] == START].iloc[0]
    assert at_start["open"] == pytest.approx(source["open"].iloc[100])
    assert at_start["close"] == pytest.approx(source["close"].iloc[100])
    assert history["close"].iloc[:100].tolist() == pytest.approx(source["close"][:100].tolist())
    assert history["date"].iloc[-1] == START + 3 * FIVE  # forming candle last


def test_the_forming_candle_follows_the_path_up_to_now(tmp_path: Path) -> None:
    source = replay_file(tmp_path)
    clock = ManualClock(START)
    sim = exchange(clock, [tmp_path], warmup_candles=100)
    row = source.iloc[100]
    closes = []
    for seconds in (0, 100, 200, 299):
        clock.set(START + timedelta(seconds=seconds))
        forming = run(sim.fetch_ohlcv("ETH/BTC", "5m", limit=1)).iloc[-1]
        ticker = run(sim.fetch_ticker("ETH/BTC"))
        assert forming["close"] == pytest.approx(ticker.last)
        assert ticker.bid < ticker.last < ticker.ask
        assert forming["low"] <= forming["close"] <= forming["high"]
        closes.append(forming["close"])
    assert closes[0] == pytest.approx(row["open"])
    clock.set(START + FIVE)
    closed = run(sim.fetch_ohlcv("ETH/BTC", "5m", limit=2)).iloc[0]
    assert closed[["open", "high", "low", "close", "volume"]].tolist() == pytest.approx(
        row[["open", "high", "low", "close", "volume"]].tolist()
    )


def test_generated_candles_continue_when_the_replay_runs_out(tmp_path: Path) -> None:
    source = replay_file(tmp_path, rows=600)
    clock = ManualClock(START + 400 * FIVE)
    sim = exchange(clock, [tmp_path], warmup_candles=500)  # 100 rows left after start

    frame = run(sim.fetch_ohlcv("ETH/BTC", "5m", since=START, limit=400))
    replayed, generated = frame.iloc[:100], frame.iloc[100:-1]

    assert replayed["close"].tolist() == pytest.approx(source["close"][500:].tolist())
    assert generated["open"].iloc[0] == pytest.approx(source["close"].iloc[-1])
    source_vol = np.diff(np.log(source["close"])).std()
    generated_vol = np.diff(np.log(generated["close"])).std()
    assert 0.4 < generated_vol / source_vol < 2.5
    assert (generated["high"] >= generated[["open", "close"]].max(axis=1)).all()
    assert (generated["low"] <= generated[["open", "close"]].min(axis=1)).all()


def test_the_same_seed_gives_the_same_market() -> None:
    clock = ManualClock(START + 50 * FIVE)
    one = run(exchange(clock, seed=7).fetch_ohlcv("SOL/USDT", "5m", limit=600))
    two = run(exchange(clock, seed=7).fetch_ohlcv("SOL/USDT", "5m", limit=600))
    other = run(exchange(clock, seed=8).fetch_ohlcv("SOL/USDT", "5m", limit=600))
    pd.testing.assert_frame_equal(one, two)
    assert not np.allclose(one["close"], other["close"])


def test_candles_do_not_depend_on_how_they_were_asked_for() -> None:
    clock = ManualClock(START + 3000 * FIVE)
    direct = run(exchange(clock, seed=3).fetch_ohlcv("SOL/USDT", "5m", limit=100))
    stepwise_sim = exchange(clock, seed=3)
    for minutes in range(0, 3000 * 5, 4000):
        clock.set(START + timedelta(minutes=minutes))
        run(stepwise_sim.fetch_ticker("SOL/USDT"))
    clock.set(START + 3000 * FIVE)
    stepwise = run(stepwise_sim.fetch_ohlcv("SOL/USDT", "5m", limit=100))
    pd.testing.assert_frame_equal(direct, stepwise)


def test_generated_prices_move_like_a_crypto_market() -> None:
    clock = ManualClock(START + 20_000 * FIVE)
    frame = run(exchange(clock, seed=1).fetch_ohlcv("SOL/USDT", "5m", since=START, limit=20_000))
    returns = np.diff(np.log(frame["close"].to_numpy()))
    assert 0.002 < returns.std() < 0.006
    # volatility clusters: the calmest and wildest days differ clearly
    daily = pd.Series(np.abs(returns)).groupby(np.arange(len(returns)) // 288).mean()
    assert daily.max() / daily.min() > 1.5
    rsi = _rsi(frame["close"], 14)
    assert (rsi < 30).sum() > 50 and (rsi > 70).sum() > 50  # a simple RSI strategy trades


def _rsi(close: pd.Series, period: int) -> pd.Series:
    delta = close.diff()
    gain = delta.clip(lower=0).ewm(alpha=1 / period).mean()
    loss = (-delta.clip(upper=0)).ewm(alpha=1 / period).mean()
    return 100 - 100 / (1 + gain / loss)


def test_higher_timeframes_are_resampled_from_the_base() -> None:
    clock = ManualClock(START + 30 * FIVE + timedelta(seconds=10))
    sim = exchange(clock, seed=2)
    base = run(sim.fetch_ohlcv("SOL/USDT", "5m", since=START, limit=100))
    hourly = run(sim.fetch_ohlcv("SOL/USDT", "1h", since=START, limit=10))

    assert hourly["date"].tolist() == [
        START,
        START + timedelta(hours=1),
        START + timedelta(hours=2),
    ]
    first = base.iloc[:12]
    assert hourly["open"].iloc[0] == first["open"].iloc[0]
    assert hourly["high"].iloc[0] == first["high"].max()
    assert hourly["low"].iloc[0] == first["low"].min()
    assert hourly["close"].iloc[0] == first["close"].iloc[-1]
    assert hourly["volume"].iloc[0] == pytest.approx(first["volume"].sum())
    forming = base.iloc[24:]  # the third hour is still forming: its candles so far
    assert hourly["close"].iloc[-1] == forming["close"].iloc[-1]
    assert hourly["volume"].iloc[-1] == pytest.approx(forming["volume"].sum())


@pytest.mark.parametrize("timeframe", ["1m", "7m", "1M"])
def test_timeframes_that_are_not_multiples_of_the_base_are_refused(timeframe: str) -> None:
    sim = exchange(ManualClock(START))
    with pytest.raises(ValueError, match="multiple"):
        run(sim.fetch_ohlcv("SOL/USDT", timeframe))


def test_no_candle_is_ever_after_now() -> None:
    clock = ManualClock(START + 10 * FIVE)
    sim = exchange(clock)
    later = run(sim.fetch_ohlcv("SOL/USDT", "5m", since=START + 11 * FIVE))
    assert later.empty
    assert list(later.columns) == ["date", "open", "high", "low", "close", "volume"]
    frame = run(sim.fetch_ohlcv("SOL/USDT", "15m", limit=5))
    assert frame["date"].iloc[-1] <= clock.now()


def test_markets_get_sensible_steps_and_minimums() -> None:
    sim = exchange(ManualClock(START))
    markets = run(sim.load_markets())
    sol = markets["SOL/USDT"]
    price = run(sim.fetch_ticker("SOL/USDT")).last
    assert sol.price_step is not None and Decimal(0) < sol.price_step < Decimal(str(price)) / 10_000
    assert sol.min_cost == Decimal(5)
    assert sol.amount_step is not None and sol.min_amount is not None
    assert sol.min_amount * Decimal(str(price)) < sol.min_cost
    assert sim.fee_rate("SOL/USDT") == Decimal("0.001")


def test_unknown_pairs_are_not_tradable() -> None:
    sim = exchange(ManualClock(START))
    with pytest.raises(PairNotTradable):
        run(sim.fetch_ohlcv("NOPE/USDT", "5m"))
    with pytest.raises(PairNotTradable):
        run(sim.create_order("NOPE/USDT", "buy", "market", Decimal(1), None, "x"))


def test_start_must_be_a_candle_boundary() -> None:
    with pytest.raises(ValueError, match="boundary"):
        SimulatedExchange(["SOL/USDT"], ManualClock(START), START + timedelta(minutes=1))


def test_a_corrupt_replay_file_raises_data_error(tmp_path: Path) -> None:
    (tmp_path / "ETH_BTC-5m.feather").write_bytes(b"ARROW1 truncated")
    sim = exchange(ManualClock(START), [tmp_path])
    with pytest.raises(DataError, match=r"ETH_BTC-5m\.feather"):
        run(sim.fetch_ticker("ETH/BTC"))


def test_the_packaged_replay_data_is_complete() -> None:
    files = sorted(path.name for path in packaged_data_dir().glob("*-5m.feather"))
    assert len(files) == 10
    assert "ETH_BTC-5m.feather" in files
    clock = ManualClock(START + FIVE)
    sim = SimulatedExchange(["ETH/BTC"], clock, START, source_dirs=[packaged_data_dir()])
    history = run(sim.fetch_ohlcv("ETH/BTC", "5m", since=START - 500 * FIVE, limit=600))
    assert history["date"].iloc[0] == START - 500 * FIVE
    assert history["close"].iloc[0] == pytest.approx(0.09969, rel=0.05)
