"""The candle cache: incremental refresh, closed candles only, bounded, failures isolated."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from tradewind.data.candle_cache import CandleCache, CandleKey
from tradewind.errors import ExchangeUnavailable

T0 = datetime(2024, 1, 1, tzinfo=UTC)
FIVE = timedelta(minutes=5)


class FakeCandles:
    """A candle source: one 5m candle per interval from T0 on, the last one still forming."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.calls: list[tuple[str, str, datetime | None, int | None]] = []
        self.failing: set[str] = set()
        self.missing: set[datetime] = set()

    async def fetch_ohlcv(
        self, pair: str, timeframe: str, since: datetime | None = None, limit: int | None = None
    ) -> pd.DataFrame:
        self.calls.append((pair, timeframe, since, limit))
        if pair in self.failing:
            raise ExchangeUnavailable(f"{pair}: timeout")
        step = pd.Timedelta(timeframe.replace("m", "min"))
        forming = pd.Timestamp(self.now).floor(step)
        all_dates = pd.date_range(T0, forming, freq=step)
        if since is not None:
            all_dates = all_dates[all_dates >= pd.Timestamp(since)][: limit or 1000]
        else:
            all_dates = all_dates[-(limit or 1000) :]
        dates = [d for d in all_dates if d.to_pydatetime() not in self.missing]
        price = np.array([float(i) for i, _ in enumerate(dates)]) + 100
        return pd.DataFrame(
            {
                "date": pd.DatetimeIndex(dates),
                "open": price,
                "high": price + 1,
                "low": price - 1,
                "close": price,
                "volume": np.ones(len(dates)),
            }
        )


def keys(*pairs: str) -> list[CandleKey]:
    return [(pair, "5m", "spot") for pair in pairs]


def refresh(cache: CandleCache, source: FakeCandles, *pairs: str) -> dict[CandleKey, bool]:
    return asyncio.run(cache.refresh(source, keys(*pairs), source.now))


def test_first_fill_keeps_only_closed_candles() -> None:
    source = FakeCandles(T0 + 10 * FIVE + timedelta(minutes=2))
    cache = CandleCache(max_candles=100)

    assert refresh(cache, source, "ETH/BTC") == {("ETH/BTC", "5m", "spot"): True}

    frame = cache.get("ETH/BTC", "5m")
    assert frame is not None
    assert len(frame) == 10  # candles 0..9 closed; candle 10 is still forming
    assert frame["date"].iloc[-1] == T0 + 9 * FIVE
    assert source.calls == [("ETH/BTC", "5m", None, 101)]


def test_a_candle_that_closes_exactly_now_counts_as_closed() -> None:
    source = FakeCandles(T0 + 10 * FIVE)
    cache = CandleCache()
    refresh(cache, source, "ETH/BTC")
    frame = cache.get("ETH/BTC", "5m")
    assert frame is not None
    assert frame["date"].iloc[-1] == T0 + 9 * FIVE


def test_refresh_fetches_only_what_is_missing() -> None:
    source = FakeCandles(T0 + 10 * FIVE + timedelta(seconds=1))
    cache = CandleCache()
    refresh(cache, source, "ETH/BTC", "ADA/BTC")
    source.calls.clear()

    source.now += timedelta(minutes=3)  # still inside the same candle: nothing to fetch
    assert refresh(cache, source, "ETH/BTC", "ADA/BTC") == dict.fromkeys(
        keys("ETH/BTC", "ADA/BTC"), False
    )
    assert source.calls == []

    source.now += 3 * FIVE  # three more candles closed
    result = refresh(cache, source, "ETH/BTC", "ADA/BTC")
    assert all(result.values())
    assert [call[2] for call in source.calls] == [T0 + 10 * FIVE] * 2
    frame = cache.get("ETH/BTC", "5m")
    assert frame is not None
    assert list(frame["date"]) == [T0 + i * FIVE for i in range(13)]


def test_frames_are_bounded_to_max_candles() -> None:
    source = FakeCandles(T0 + 50 * FIVE + timedelta(seconds=1))
    cache = CandleCache(max_candles=20)
    refresh(cache, source, "ETH/BTC")
    source.now += 5 * FIVE
    refresh(cache, source, "ETH/BTC")
    frame = cache.get("ETH/BTC", "5m")
    assert frame is not None
    assert len(frame) == 20
    assert frame["date"].iloc[-1] == T0 + 54 * FIVE


def test_a_long_absence_refills_instead_of_paging_forward() -> None:
    source = FakeCandles(T0 + 50 * FIVE + timedelta(seconds=1))
    cache = CandleCache(max_candles=20)
    refresh(cache, source, "ETH/BTC")
    source.now += 100 * FIVE
    source.calls.clear()
    refresh(cache, source, "ETH/BTC")
    assert source.calls == [("ETH/BTC", "5m", None, 21)]
    frame = cache.get("ETH/BTC", "5m")
    assert frame is not None
    assert frame["date"].iloc[-1] == T0 + 149 * FIVE


def test_one_failing_pair_does_not_break_the_others(caplog: pytest.LogCaptureFixture) -> None:
    source = FakeCandles(T0 + 10 * FIVE + timedelta(seconds=1))
    source.failing.add("BAD/BTC")
    cache = CandleCache()

    result = refresh(cache, source, "ETH/BTC", "BAD/BTC", "ADA/BTC")
    source.now += FIVE
    refresh(cache, source, "ETH/BTC", "BAD/BTC", "ADA/BTC")

    assert result[("ETH/BTC", "5m", "spot")] and result[("ADA/BTC", "5m", "spot")]
    assert not result[("BAD/BTC", "5m", "spot")]
    assert cache.get("BAD/BTC", "5m") is None
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1  # logged once, not once per tick
    assert "BAD/BTC" in warnings[0].getMessage()

    source.failing.clear()
    source.now += FIVE
    assert refresh(cache, source, "BAD/BTC")[("BAD/BTC", "5m", "spot")]


def test_missing_candles_are_filled_flat() -> None:
    source = FakeCandles(T0 + 10 * FIVE + timedelta(seconds=1))
    source.missing = {T0 + 4 * FIVE}
    cache = CandleCache()
    refresh(cache, source, "ETH/BTC")
    frame = cache.get("ETH/BTC", "5m")
    assert frame is not None
    assert len(frame) == 10
    assert frame["volume"].iloc[4] == 0
    assert frame["close"].iloc[4] == frame["close"].iloc[3]


def test_callers_cannot_change_the_cached_frame() -> None:
    source = FakeCandles(T0 + 10 * FIVE + timedelta(seconds=1))
    cache = CandleCache()
    refresh(cache, source, "ETH/BTC")
    frame = cache.get("ETH/BTC", "5m")
    assert frame is not None
    frame["rsi"] = 50.0
    frame.loc[0, "close"] = -1.0
    again = cache.get("ETH/BTC", "5m")
    assert again is not None
    assert "rsi" not in again.columns
    assert again["close"].iloc[0] == 100.0


def test_unknown_keys_give_none() -> None:
    assert CandleCache().get("ETH/BTC", "5m") is None


def test_a_hundred_simulated_pairs_refresh_quickly_and_agree_with_the_exchange() -> None:
    from tradewind.domain.clock import ManualClock
    from tradewind.exchange.simulated import SimulatedExchange

    clock = ManualClock(T0 + timedelta(seconds=30))
    pairs = [f"C{i}/USDT" for i in range(100)]
    sim = SimulatedExchange(pairs, clock, T0, seed=5, warmup_candles=1000)
    cache = CandleCache(max_candles=1000)
    cache_keys = keys(*pairs)
    assert all(asyncio.run(cache.refresh(sim, cache_keys, clock.now())).values())

    started = time.perf_counter()
    for _ in range(20):
        assert not any(asyncio.run(cache.refresh(sim, cache_keys, clock.now())).values())
    per_refresh = (time.perf_counter() - started) / 20
    assert per_refresh < 0.01  # measured well under a millisecond; generous for slow CI

    clock.advance(FIVE)
    assert all(asyncio.run(cache.refresh(sim, cache_keys, clock.now())).values())
    cached = cache.get("C7/USDT", "5m")
    fresh = asyncio.run(sim.fetch_ohlcv("C7/USDT", "5m", limit=3))
    assert cached is not None and len(cached) == 1000
    pd.testing.assert_frame_equal(cached.tail(2).reset_index(drop=True), fresh.iloc[:2])
