"""The dataframe wire form (§3.2) and `la`."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import numpy as np
import orjson
import pandas as pd
import pytest

from tradewind.signals.encoding import (
    decode_dataframe,
    encode_dataframe,
    format_la,
    parse_la,
    split_json,
)

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def _frame(rows: int = 3) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.date_range(T0, periods=rows, freq="5min", tz="UTC"),
            "close": np.linspace(1.5, 2.5, rows),
            "volume": np.full(rows, 40.0),
            "enter_long": np.ones(rows, dtype=np.int64),
            "flag": np.array([True, False] * rows)[:rows],
            "enter_tag": ["a", None, "c", "d"][:rows] + ["x"] * max(0, rows - 4),
        },
        index=range(10, 10 + rows),
    )


def _split(frame: pd.DataFrame) -> dict[str, object]:
    wrapper = encode_dataframe(frame)
    assert wrapper["__type__"] == "dataframe"
    return orjson.loads(wrapper["__value__"])  # type: ignore[no-any-return]


def test_split_orientation_keeps_index_labels_and_writes_dates_as_epoch_ms() -> None:
    value = _split(_frame(2))

    assert value["columns"] == ["date", "close", "volume", "enter_long", "flag", "enter_tag"]
    assert value["index"] == [10, 11]
    first = value["data"][0]  # type: ignore[index]
    assert first == [int(T0.timestamp() * 1000), 1.5, 40.0, 1, True, "a"]
    assert value["data"][1][5] is None  # type: ignore[index]


def test_nan_and_infinities_become_null_and_floats_keep_ten_decimals() -> None:
    frame = pd.DataFrame({"x": [np.nan, np.inf, -np.inf, 30.123456789012345, 1e-12, 1e300]})

    cells = [row[0] for row in _split(frame)["data"]]  # type: ignore[attr-defined]

    assert cells == [None, None, None, 30.123456789, 0.0, 1e300]


def test_the_value_is_the_same_text_pandas_writes() -> None:
    frame = _frame(4).drop(columns=["flag"])
    frame["rsi"] = [45.123456789123, 50.5, np.nan, 1 / 3]
    expected = frame.assign(date=frame["date"].dt.as_unit("ms").astype("int64")).to_json(
        orient="split", double_precision=10
    )

    assert orjson.loads(split_json(frame)) == orjson.loads(expected)


def test_an_empty_frame_has_the_spec_text() -> None:
    assert encode_dataframe(pd.DataFrame())["__value__"] == '{"columns":[],"index":[],"data":[]}'


def test_round_trip_restores_values_aware_dates_and_index() -> None:
    frame = _frame(4)
    frame.loc[11, "close"] = np.nan

    back = decode_dataframe(encode_dataframe(frame))

    assert list(back.index) == [10, 11, 12, 13]
    assert str(back["date"].dtype) == "datetime64[ns, UTC]"
    assert list(back["date"]) == list(frame["date"])
    assert np.isnan(back.loc[11, "close"])
    assert back.loc[12, "close"] == pytest.approx(frame.loc[12, "close"], abs=1e-10)
    assert list(back["flag"]) == [True, False, True, False]
    assert back.loc[11, "enter_tag"] is None or pd.isna(back.loc[11, "enter_tag"])
    assert list(back["enter_long"]) == [1, 1, 1, 1]


def test_decoding_accepts_the_bare_text_and_an_all_null_column_comes_back_as_float() -> None:
    text = '{"columns":["date","exit_long"],"index":[0],"data":[[1795570771000,null]]}'

    back = decode_dataframe(text)

    assert back["exit_long"].dtype == np.float64
    assert back["date"].iloc[0] == pd.Timestamp(1795570771000, unit="ms", tz="UTC")


def test_decoding_refuses_rows_that_do_not_match_the_columns() -> None:
    with pytest.raises(ValueError, match="one cell per column"):
        decode_dataframe('{"columns":["a","b"],"index":[0],"data":[[1]]}')
    with pytest.raises(ValueError, match="not a dataframe"):
        decode_dataframe({"__type__": "x", "__value__": "{}"})


def test_la_is_iso_with_offset_and_parses_with_t_or_space() -> None:
    when = datetime(2022, 9, 8, 22, 14, 41, 457786, tzinfo=UTC)

    assert format_la(when) == "2022-09-08T22:14:41.457786+00:00"
    assert format_la(when.replace(microsecond=0)) == "2022-09-08T22:14:41+00:00"
    assert parse_la("2022-09-08 22:14:41.457786+00:00") == when
    assert parse_la("2022-09-08T22:14:41.457786+00:00") == when
    assert parse_la("2022-09-08T22:14:41").tzinfo is UTC
    with pytest.raises(ValueError):
        parse_la("yesterday")


def test_a_1500_row_frame_encodes_and_decodes_in_a_few_milliseconds() -> None:
    rows = 1500
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(rng.random((rows, 18)), columns=[f"c{i}" for i in range(18)])
    frame.insert(0, "date", pd.date_range(T0, periods=rows, freq="5min", tz="UTC"))
    frame["enter_tag"] = None
    timings = []
    for _ in range(5):  # best of five: the machine may be busy with other work
        started = time.perf_counter()
        wrapper = encode_dataframe(frame)
        encoded = time.perf_counter() - started
        started = time.perf_counter()
        back = decode_dataframe(wrapper)
        timings.append((encoded, time.perf_counter() - started))
    encoded, decoded = min(t[0] for t in timings), min(t[1] for t in timings)

    assert len(back) == rows
    assert back["date"].iloc[-1] == T0 + timedelta(minutes=5 * (rows - 1))
    assert encoded < 0.05
    assert decoded < 0.05


def test_small_and_large_frames_encode_each_row_identically() -> None:
    rng = np.random.default_rng(7)
    rows = 200
    frame = pd.DataFrame(
        {
            "date": pd.date_range(T0, periods=rows, freq="5min", tz="UTC"),
            "x": rng.normal(0, 1e3, rows) / 7,
            "tiny": rng.random(rows) * 1e-9,
            "n": rng.integers(0, 10, rows),
            "b": rng.random(rows) > 0.5,
            "tag": rng.choice(["a", None], rows),
        }
    )
    frame.loc[frame.index[::7], "x"] = np.nan
    frame.loc[frame.index[::11], "x"] = np.inf

    whole = orjson.loads(split_json(frame))["data"]
    pieces = [orjson.loads(split_json(frame.iloc[[i]]))["data"][0] for i in range(rows)]

    assert pieces == whole
