"""Real ccxt code against the Binance stub: markets, candles (paginated), tickers, refresh."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta
from decimal import Decimal

import pandas as pd
import pytest

from tests.stubs.binance_stub import BinanceStub
from tests.stubs.ccxt_harness import data_dir, open_adapter
from tradewind.domain.clock import ManualClock
from tradewind.domain.timeframes import timeframe_to_prev_date
from tradewind.errors import PairNotTradable

KLINES = "/api/v3/klines"


def test_markets_carry_the_exchange_filters(stub: BinanceStub, clock: ManualClock) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=True) as exchange:
            markets = await exchange.load_markets()
            assert len(markets) == 10
            rules = stub.state.listings["ETHBTC"].rules
            eth = markets["ETH/BTC"]
            assert (eth.base, eth.quote, eth.active) == ("ETH", "BTC", True)
            assert eth.price_step == rules.tick
            assert eth.amount_step == rules.step
            assert eth.min_amount == rules.min_qty
            assert eth.min_cost == Decimal("0.0001")
            assert exchange.fee_rate("ETH/BTC") == Decimal("0.001")

    asyncio.run(scenario())


def test_candles_past_one_page_are_paginated_without_gaps(
    stub: BinanceStub, clock: ManualClock
) -> None:
    since = timeframe_to_prev_date("1m", clock.now()) - timedelta(days=1, hours=2)

    async def scenario() -> pd.DataFrame:
        async with open_adapter(stub, clock, dry_run=True) as exchange:
            started = time.perf_counter()
            frame = await exchange.fetch_ohlcv("ETH/BTC", "1m", since=since)
            elapsed = time.perf_counter() - started
            print(f"{len(frame)} 1m candles in {elapsed:.2f}s ({len(frame) / elapsed:.0f}/s)")
            return frame

    frame = asyncio.run(scenario())
    assert len(frame) == 26 * 60 + 1  # through the forming candle
    assert frame["date"].is_unique and (frame["date"].diff().dropna() == timedelta(minutes=1)).all()
    assert frame["date"].iloc[-1] == timeframe_to_prev_date("1m", clock.now())
    assert str(frame["date"].dtype) == "datetime64[us, UTC]"
    pages = [r for r in stub.requests if r.path == KLINES]
    assert len(pages) == 2 and [r.params["limit"] for r in pages] == ["1000", "1000"]


def test_latest_candles_beyond_one_page_come_in_two_requests(
    stub: BinanceStub, clock: ManualClock
) -> None:
    async def scenario() -> pd.DataFrame:
        async with open_adapter(stub, clock, dry_run=True) as exchange:
            return await exchange.fetch_ohlcv("ETH/BTC", "5m", limit=1500)

    frame = asyncio.run(scenario())
    assert len(frame) == 1500 and frame["date"].is_unique
    assert frame["date"].iloc[-1] == timeframe_to_prev_date("5m", clock.now())
    assert stub.count(KLINES) == 2


def test_closed_5m_candles_are_the_replayed_file(stub: BinanceStub, clock: ManualClock) -> None:
    async def scenario() -> pd.DataFrame:
        async with open_adapter(stub, clock, dry_run=True) as exchange:
            return await exchange.fetch_ohlcv("ETH/BTC", "5m", limit=100)

    frame = asyncio.run(scenario()).iloc[:-1]  # the last one is still forming
    source = pd.read_feather(data_dir() / "ETH_BTC-5m.feather")
    source["date"] = source["date"].astype("datetime64[us, UTC]")
    merged = frame.merge(source, on="date", suffixes=("", "_file"))
    assert len(merged) == len(frame)
    for column in ("open", "high", "low", "close", "volume"):
        assert merged[column].to_numpy() == pytest.approx(merged[f"{column}_file"].to_numpy())


def test_unknown_pairs_are_refused_without_asking_the_exchange(
    stub: BinanceStub, clock: ManualClock
) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=True) as exchange:
            await exchange.load_markets()
            stub.clear_requests()
            for call in (exchange.fetch_ticker("NOPE/BTC"),
                         exchange.fetch_ohlcv("NOPE/BTC", "5m")):  # fmt: skip
                with pytest.raises(PairNotTradable, match="NOPE/BTC"):
                    await call

    asyncio.run(scenario())
    assert stub.requests == []


def test_markets_are_refreshed_after_the_configured_interval(
    stub: BinanceStub, clock: ManualClock
) -> None:
    wall = [1000.0]

    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=True, markets_refresh_minutes=60,
                                monotonic=lambda: wall[0]) as exchange:  # fmt: skip
            await exchange.fetch_ticker("ETH/BTC")
            wall[0] += 59 * 60
            await exchange.fetch_ticker("ETH/BTC")
            assert stub.count("/api/v3/exchangeInfo") == 1
            wall[0] += 2 * 60
            await exchange.fetch_ticker("ETH/BTC")
            assert stub.count("/api/v3/exchangeInfo") == 2

    asyncio.run(scenario())


def test_ticker_and_book_are_consistent(stub: BinanceStub, clock: ManualClock) -> None:
    async def scenario() -> None:
        async with open_adapter(stub, clock, dry_run=True) as exchange:
            ticker = await exchange.fetch_ticker("ETH/BTC")
            book = await exchange.fetch_order_book("ETH/BTC", depth=5)
            assert ticker.bid < ticker.ask
            assert book.bids[0][0] == ticker.bid and book.asks[0][0] == ticker.ask
            assert len(book.bids) == len(book.asks) == 5

    asyncio.run(scenario())
