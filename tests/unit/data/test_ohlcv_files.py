"""The OHLCV data directory: names, formats, listing, loading, converting, corrupt files."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tradewind.data.ohlcv_files import (
    DataFormat,
    convert_ohlcv,
    list_available,
    load_ohlcv,
    ohlcv_path,
    parse_ohlcv_filename,
    write_ohlcv,
)
from tradewind.data.ohlcv_io import DATE_DTYPE
from tradewind.data.timerange import TimeRange
from tradewind.errors import DataError

ALL_FORMATS = list(DataFormat)


def candles(rows: int = 48, start: str = "2024-01-01", freq: str = "5min") -> pd.DataFrame:
    rng = np.random.default_rng(3)
    close = 100 * np.exp(np.cumsum(rng.normal(0, 0.003, rows)))
    open_ = np.concatenate(([100.0], close[:-1]))
    return pd.DataFrame(
        {
            "date": pd.date_range(start, periods=rows, freq=freq, tz="UTC"),
            "open": open_,
            "high": np.maximum(open_, close) * 1.001,
            "low": np.minimum(open_, close) * 0.999,
            "close": close,
            "volume": rng.uniform(1, 10, rows),
        }
    )


@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_every_format_round_trips_the_candles(tmp_path: Path, fmt: DataFormat) -> None:
    frame = candles()
    path = write_ohlcv(tmp_path, "BTC/USDT", "5m", frame, fmt)
    loaded = load_ohlcv(tmp_path, "BTC/USDT", "5m", fmt)
    assert path.name == f"BTC_USDT-5m.{fmt.extension}"
    assert loaded["date"].dtype == DATE_DTYPE
    pd.testing.assert_frame_equal(loaded, frame.astype({"date": DATE_DTYPE}))


def test_feather_files_are_lz4_compressed(tmp_path: Path) -> None:
    from pyarrow import feather

    frame = candles(rows=2000).assign(open=1.0, high=1.0, low=1.0, close=1.0, volume=0.0)
    path = write_ohlcv(tmp_path, "ETH/BTC", "5m", frame, DataFormat.FEATHER)
    plain = tmp_path / "plain.feather"
    feather.write_feather(frame, plain, compression="uncompressed")
    assert path.stat().st_size < plain.stat().st_size / 3


def test_json_files_hold_epoch_millisecond_rows(tmp_path: Path) -> None:
    frame = candles(rows=2)
    path = write_ohlcv(tmp_path, "ETH/BTC", "5m", frame, "json")
    text = path.read_text()
    assert text.startswith("[[1704067200000,")


def test_file_names_follow_the_spec(tmp_path: Path) -> None:
    assert ohlcv_path(tmp_path, "BTC/USDT", "5m", "feather") == tmp_path / "BTC_USDT-5m.feather"
    assert ohlcv_path(tmp_path, "BTC/USDT:USDT", "1h", "jsongz", "futures") == (
        tmp_path / "futures" / "BTC_USDT_USDT-1h-futures.json.gz"
    )
    assert ohlcv_path(tmp_path, "ETH/BTC", "1M", "parquet").name == "ETH_BTC-1Mo.parquet"
    assert ohlcv_path(tmp_path, "A.B/C@D", "1d", "json").name == "A_B_C_D-1d.json"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("BTC_USDT-5m.feather", ("BTC/USDT", "5m", "spot")),
        ("BTC_USDT_USDT-1h-futures.feather", ("BTC/USDT:USDT", "1h", "futures")),
        ("BTC_USDT_USDT-8h-funding_rate.feather", ("BTC/USDT:USDT", "8h", "funding_rate")),
        ("ETH_BTC-1Mo.feather", ("ETH/BTC", "1M", "spot")),
        ("ETH_BTC-1mo.feather", ("ETH/BTC", "1M", "spot")),
        ("ETH_BTC-trades.feather", None),
        ("ETH_BTC-5m.json", None),
        ("ETH_BTC-5m-bogus.feather", None),
    ],
)
def test_file_names_parse_back_to_pair_timeframe_and_candle_type(
    name: str, expected: tuple[str, str, str] | None
) -> None:
    assert parse_ohlcv_filename(name, "feather") == expected


def test_listing_scans_only_the_format_and_mode_asked_for(tmp_path: Path) -> None:
    frame = candles(rows=3)
    write_ohlcv(tmp_path, "ETH/BTC", "5m", frame, "feather")
    write_ohlcv(tmp_path, "ADA/BTC", "1h", frame, "feather")
    write_ohlcv(tmp_path, "XRP/BTC", "5m", frame, "json")
    write_ohlcv(tmp_path, "BTC/USDT:USDT", "1h", frame, "feather", candle_type="futures")
    write_ohlcv(tmp_path, "BTC/USDT:USDT", "1h", frame, "feather", candle_type="mark")
    (tmp_path / "ETH_BTC-trades.feather").write_bytes(b"")

    assert list_available(tmp_path, "feather", "spot") == [
        ("ADA/BTC", "1h", "spot"),
        ("ETH/BTC", "5m", "spot"),
    ]
    assert list_available(tmp_path, "json") == [("XRP/BTC", "5m", "spot")]
    assert list_available(tmp_path, "feather", "futures") == [("BTC/USDT:USDT", "1h", "futures")]
    assert list_available(tmp_path, "feather", "futures", candle_type="mark") == [
        ("BTC/USDT:USDT", "1h", "mark")
    ]
    assert list_available(tmp_path / "missing", "feather") == []


def test_timerange_and_startup_candles_select_the_rows(tmp_path: Path) -> None:
    write_ohlcv(tmp_path, "ETH/BTC", "1h", candles(rows=72, freq="1h"), "feather")
    timerange = TimeRange.parse("20240102-20240103")
    loaded = load_ohlcv(tmp_path, "ETH/BTC", "1h", "feather", timerange, startup_candles=5)
    assert loaded["date"].iloc[0] == pd.Timestamp("2024-01-01 19:00", tz="UTC")
    assert loaded["date"].iloc[-1] == pd.Timestamp("2024-01-02 23:00", tz="UTC")
    assert len(loaded) == 29


def test_gaps_are_filled_with_flat_zero_volume_candles(tmp_path: Path) -> None:
    frame = candles(rows=10).drop(index=[4, 5]).reset_index(drop=True)
    write_ohlcv(tmp_path, "ETH/BTC", "5m", frame, "parquet")

    filled = load_ohlcv(tmp_path, "ETH/BTC", "5m", "parquet")
    assert len(filled) == 10
    gap = filled.iloc[4]
    previous_close = filled["close"].iloc[3]
    assert gap["volume"] == 0
    assert gap["open"] == gap["high"] == gap["low"] == gap["close"] == previous_close

    raw = load_ohlcv(tmp_path, "ETH/BTC", "5m", "parquet", fill_gaps=False)
    assert len(raw) == 8


def test_drop_incomplete_removes_the_last_candle(tmp_path: Path) -> None:
    write_ohlcv(tmp_path, "ETH/BTC", "5m", candles(rows=5), "feather")
    assert len(load_ohlcv(tmp_path, "ETH/BTC", "5m", "feather", drop_incomplete=True)) == 4


def test_a_missing_file_loads_as_an_empty_frame(tmp_path: Path) -> None:
    loaded = load_ohlcv(tmp_path, "NOPE/BTC", "5m", "feather")
    assert loaded.empty
    assert list(loaded.columns) == ["date", "open", "high", "low", "close", "volume"]


def test_unsorted_and_duplicated_rows_are_cleaned(tmp_path: Path) -> None:
    frame = candles(rows=6)
    messy = pd.concat([frame.iloc[3:], frame.iloc[:4]], ignore_index=True)
    write_ohlcv(tmp_path, "ETH/BTC", "5m", messy, "json")
    loaded = load_ohlcv(tmp_path, "ETH/BTC", "5m", "json")
    assert loaded["date"].is_monotonic_increasing
    assert len(loaded) == 6


def test_a_truncated_feather_file_raises_data_error_naming_it(tmp_path: Path) -> None:
    path = write_ohlcv(tmp_path, "ETH/BTC", "5m", candles(), "feather")
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(DataError, match=r"ETH_BTC-5m\.feather"):
        load_ohlcv(tmp_path, "ETH/BTC", "5m", "feather")


@pytest.mark.parametrize(
    ("content", "cause"),
    [
        (b"{not json", "JSONDecodeError"),
        (b'{"a": 1}', "JSON array"),
        (b"[[1704067200000, 1, 2, 3]]", "array of 6"),
        (b'[[1704067200000, "x", 2, 3, 4, 5]]', "ValueError"),
    ],
)
def test_garbage_json_raises_data_error_with_the_cause(
    tmp_path: Path, content: bytes, cause: str
) -> None:
    (tmp_path / "ETH_BTC-5m.json").write_bytes(content)
    with pytest.raises(DataError, match=r"ETH_BTC-5m\.json") as caught:
        load_ohlcv(tmp_path, "ETH/BTC", "5m", "json")
    assert cause in str(caught.value)


def test_garbage_parquet_and_gzip_raise_data_error(tmp_path: Path) -> None:
    (tmp_path / "ETH_BTC-5m.parquet").write_bytes(b"PAR1 garbage")
    (tmp_path / "ETH_BTC-5m.json.gz").write_bytes(b"not gzip")
    with pytest.raises(DataError, match="parquet"):
        load_ohlcv(tmp_path, "ETH/BTC", "5m", "parquet")
    with pytest.raises(DataError, match=r"json\.gz"):
        load_ohlcv(tmp_path, "ETH/BTC", "5m", "jsongz")


def test_a_file_without_the_candle_columns_is_rejected(tmp_path: Path) -> None:
    frame = candles().drop(columns=["volume"])
    frame.to_parquet(tmp_path / "ETH_BTC-5m.parquet")
    with pytest.raises(DataError, match="missing column"):
        load_ohlcv(tmp_path, "ETH/BTC", "5m", "parquet")


def test_convert_rewrites_every_file_and_can_erase_the_sources(tmp_path: Path) -> None:
    frame = candles()
    write_ohlcv(tmp_path, "ETH/BTC", "5m", frame, "feather")
    hourly = candles(freq="1h")
    write_ohlcv(tmp_path, "BTC/USDT:USDT", "1h", hourly, "feather", candle_type="futures")

    written = convert_ohlcv(tmp_path, "feather", "jsongz", erase=True)

    assert sorted(p.name for p in written) == [
        "BTC_USDT_USDT-1h-futures.json.gz",
        "ETH_BTC-5m.json.gz",
    ]
    assert not list(tmp_path.rglob("*.feather"))
    back = load_ohlcv(tmp_path, "ETH/BTC", "5m", "jsongz")
    pd.testing.assert_frame_equal(back, frame.astype({"date": DATE_DTYPE}))
    futures = load_ohlcv(tmp_path, "BTC/USDT:USDT", "1h", "jsongz", candle_type="futures")
    assert len(futures) == len(hourly)


def test_convert_keeps_the_sources_by_default(tmp_path: Path) -> None:
    write_ohlcv(tmp_path, "ETH/BTC", "5m", candles(), "json")
    convert_ohlcv(tmp_path, "json", "parquet")
    assert (tmp_path / "ETH_BTC-5m.json").exists()
    assert (tmp_path / "ETH_BTC-5m.parquet").exists()


def test_the_shared_real_data_loads(shared_ohlcv: Path) -> None:
    loaded = load_ohlcv(shared_ohlcv, "ETH/BTC", "5m", "feather")
    assert len(loaded) > 5000
    assert loaded["date"].iloc[0] == datetime(2018, 1, 10, 4, 55, tzinfo=UTC)


@pytest.fixture
def shared_ohlcv() -> Path:
    path = Path(__file__).resolve().parents[4] / "shared" / "data" / "ohlcv"
    assert path.is_dir(), f"the shared market data must lie beside the clone: {path}"
    return path
