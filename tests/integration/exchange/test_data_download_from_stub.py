"""`download-data`, `list-data` and `convert-data` against the Binance stub through ccxt."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from rich.console import Console

from tests.stubs.binance_stub import BinanceStub
from tests.stubs.ccxt_harness import build_adapter
from tradewind.data.commands import convert_data, download_data, list_data, render_data_table
from tradewind.data.ohlcv_files import load_ohlcv, ohlcv_path
from tradewind.data.timerange import TimeRange
from tradewind.domain.clock import ManualClock
from tradewind.exchange.ccxt import CcxtExchange

KLINES = "/api/v3/klines"


def _factory(stub: BinanceStub, clock: ManualClock) -> Callable[[], CcxtExchange]:
    def build() -> CcxtExchange:
        return build_adapter(stub, clock, dry_run=True, rate_limit=False)

    return build


def test_a_timerange_is_downloaded_once_and_a_rerun_fetches_nothing(
    stub: BinanceStub, clock: ManualClock, tmp_path: Path
) -> None:
    timerange = TimeRange.parse("20180118-20180119")
    console = Console(file=io.StringIO(), width=120)
    summary = download_data(
        tmp_path,
        _factory(stub, clock),
        ["ETH/BTC", "LTC/BTC"],
        ["5m", "1h"],
        timerange=timerange,
        console=console,
        now=clock.now(),
    )
    first_run = stub.count(KLINES)
    assert summary.failed == {}
    assert {(r.pair, r.timeframe): r.new_candles for r in summary.results} == {
        ("ETH/BTC", "5m"): 288, ("ETH/BTC", "1h"): 24,
        ("LTC/BTC", "5m"): 288, ("LTC/BTC", "1h"): 24,
    }  # fmt: skip
    frame = load_ohlcv(tmp_path, "ETH/BTC", "5m", "feather", fill_gaps=False)
    assert frame["date"].iloc[0] == pd.Timestamp("2018-01-18", tz="UTC")
    assert frame["date"].iloc[-1] == pd.Timestamp("2018-01-18 23:55", tz="UTC")
    assert "ETH/BTC" in console.file.getvalue()  # type: ignore[attr-defined]

    stub.clear_requests()
    again = download_data(
        tmp_path,
        _factory(stub, clock),
        ["ETH/BTC", "LTC/BTC"],
        ["5m", "1h"],
        timerange=timerange,
        now=clock.now(),
    )
    assert again.new_candles == 0
    assert stub.count(KLINES) == 0
    print(f"first run: {first_run} klines requests; rerun: {stub.count(KLINES)}")


def test_a_longer_request_fetches_only_the_missing_ends(
    stub: BinanceStub, clock: ManualClock, tmp_path: Path
) -> None:
    timerange = TimeRange.parse("20180118-20180119")
    download_data(
        tmp_path, _factory(stub, clock), ["ETH/BTC"], ["5m"], timerange=timerange, now=clock.now()
    )
    stub.clear_requests()
    summary = download_data(
        tmp_path, _factory(stub, clock), ["ETH/BTC"], ["5m"], days=3, now=clock.now()
    )
    # now is 2018-01-20 00:02:17: from 01-17 00:05 (the first open after now - 3 days) up to
    # the last closed candle, 01-19 23:55; 01-18 is stored already
    assert summary.new_candles == 287 + 288
    starts = sorted(int(r.params["startTime"]) for r in stub.requests if r.path == KLINES)
    assert starts == [int(datetime(2018, 1, 17, 0, 5, tzinfo=UTC).timestamp() * 1000),
                      int(datetime(2018, 1, 19, tzinfo=UTC).timestamp() * 1000)]  # fmt: skip
    frame = load_ohlcv(tmp_path, "ETH/BTC", "5m", "feather", fill_gaps=False)
    assert len(frame) == 3 * 288 - 1 and frame["date"].is_unique
    assert (frame["date"].diff().dropna() == pd.Timedelta(minutes=5)).all()


def test_unknown_pairs_are_reported_and_the_rest_downloaded(
    stub: BinanceStub, clock: ManualClock, tmp_path: Path
) -> None:
    summary = download_data(
        tmp_path, _factory(stub, clock), ["NOPE/BTC", "ETH/BTC"], ["1h"], days=1, now=clock.now()
    )
    assert list(summary.failed) == ["NOPE/BTC"]
    assert [r.pair for r in summary.results] == ["ETH/BTC"]


def test_download_rate_from_the_stub(stub: BinanceStub, clock: ManualClock, tmp_path: Path) -> None:
    started = time.perf_counter()
    summary = download_data(
        tmp_path,
        _factory(stub, clock),
        ["ETH/BTC"],
        ["5m"],
        timerange=TimeRange.parse("20180110-20180120"),
        now=clock.now(),
    )
    elapsed = time.perf_counter() - started
    print(f"downloaded {summary.new_candles} 5m candles in {elapsed:.2f}s "
          f"({summary.new_candles / elapsed:.0f}/s, {stub.count(KLINES)} requests)")  # fmt: skip
    assert summary.new_candles > 2500


def test_list_data_shows_the_files_and_convert_round_trips(
    stub: BinanceStub, clock: ManualClock, tmp_path: Path
) -> None:
    download_data(
        tmp_path, _factory(stub, clock), ["ETH/BTC", "LTC/BTC"], ["1h"], days=2, now=clock.now()
    )
    rows = list_data(tmp_path, "feather")
    assert [(r.pair, r.timeframe, r.candle_type, r.count) for r in rows] == [
        ("ETH/BTC", "1h", "spot", 47), ("LTC/BTC", "1h", "spot", 47),
    ]  # fmt: skip
    assert rows[0].first == datetime(2018, 1, 18, 1, tzinfo=UTC)  # now - 2 days, next hour
    console = Console(file=io.StringIO(), width=120)
    render_data_table(rows, console)
    printed = console.file.getvalue()  # type: ignore[attr-defined]
    assert "ETH/BTC" in printed and "47" in printed and "2018-01-18 01:00:00" in printed

    original = load_ohlcv(tmp_path, "ETH/BTC", "1h", "feather", fill_gaps=False)
    assert len(convert_data(tmp_path, "feather", "jsongz", erase=True)) == 2
    assert not ohlcv_path(tmp_path, "ETH/BTC", "1h", "feather").exists()
    assert [r.count for r in list_data(tmp_path, "jsongz")] == [47, 47]
    convert_data(tmp_path, "jsongz", "feather", erase=True)
    back = load_ohlcv(tmp_path, "ETH/BTC", "1h", "feather", fill_gaps=False)
    pd.testing.assert_frame_equal(original, back)
