from typing import Any

import numpy as np
import pandas as pd
import pytest

from tradewind.domain.enums import RunMode
from tradewind.errors import StrategyError
from tradewind.strategy import IStrategy, informative, merge_informative_pair
from tradewind.strategy.data_provider import DataProvider
from tradewind.strategy.informative import stoploss_from_absolute, stoploss_from_open

from .builders import DictAnalyzed, DictCandles, candles, runner_for


def _frame(start: str, periods: int, freq: str, **columns: Any) -> pd.DataFrame:
    frame = pd.DataFrame({"date": pd.date_range(start, periods=periods, freq=freq, tz="UTC")})
    for name, values in columns.items():
        frame[name] = values
    return frame


def test_worked_example_15m_base_with_1h_informative():
    base = _frame("2024-01-01 00:00", 8, "15min", close=np.arange(8.0))
    inf = pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2023-12-31 23:00", "2024-01-01 00:00", "2024-01-01 01:00"], utc=True
            ),
            "close": [1.0, 2.0, 3.0],
        }
    )
    merged = merge_informative_pair(base, inf, "15m", "1h")
    assert merged["close_1h"].tolist() == [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 2.0, 3.0]
    assert str(merged["date_1h"].iloc[3]) == "2024-01-01 00:00:00+00:00"
    assert len(merged) == 8
    assert merged["date"].equals(base["date"])
    assert "date_merge" not in "".join(merged.columns)


def test_merge_renames_every_informative_column_with_the_timeframe():
    base = _frame("2024-01-01", 4, "1h", close=np.arange(4.0))
    inf = _frame("2024-01-01", 4, "1h", close=np.arange(4.0) * 10, rsi=[1.0, 2.0, 3.0, 4.0])
    merged = merge_informative_pair(base, inf, "1h", "1h")
    assert list(merged.columns) == ["date", "close", "date_1h", "close_1h", "rsi_1h"]
    assert merged["rsi_1h"].tolist() == [1.0, 2.0, 3.0, 4.0]


def test_merge_with_suffix_produces_the_follower_column_names():
    base = _frame("2024-01-01", 3, "5min", close=[1.0, 2.0, 3.0])
    leader = _frame("2024-01-01", 3, "5min", close=[1.0, 2.0, 3.0], rsi=[10.0, 20.0, 30.0])
    leader["enter_tag"] = ["", "x", ""]
    merged = merge_informative_pair(
        base, leader, "5m", "5m", append_timeframe=False, suffix="default"
    )
    assert {"date_default", "close_default", "rsi_default", "enter_tag_default"} <= set(
        merged.columns
    )
    assert merged["enter_tag_default"].tolist() == ["", "x", ""]


def test_rows_not_yet_covered_by_the_leader_stay_nan():
    base = _frame("2024-01-01", 4, "5min", close=np.arange(4.0))
    leader = _frame("2024-01-01 00:10", 2, "5min", rsi=[50.0, 60.0])
    merged = merge_informative_pair(
        base, leader, "5m", "5m", append_timeframe=False, suffix="default"
    )
    assert merged["rsi_default"].iloc[:2].isna().all()
    assert merged["rsi_default"].iloc[2:].tolist() == [50.0, 60.0]


def test_merge_without_ffill_keeps_only_exact_matches():
    base = _frame("2024-01-01 00:00", 8, "15min")
    inf = _frame("2024-01-01 00:00", 2, "1h", close=[2.0, 3.0])
    merged = merge_informative_pair(base, inf, "15m", "1h", ffill=False)
    assert merged["close_1h"].notna().tolist() == [
        False,
        False,
        False,
        True,
        False,
        False,
        False,
        True,
    ]


def test_misaligned_informative_rows_are_never_used_after_the_first_match():
    base = _frame("2024-01-01 00:00", 6, "5min")
    inf = pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2024-01-01 00:05", "2024-01-01 00:12", "2024-01-01 00:20"], utc=True
            ),
            "v": [1.0, 2.0, 3.0],
        }
    )
    merged = merge_informative_pair(base, inf, "5m", "5m")
    assert merged["v_5m"].tolist()[1:] == [1.0, 1.0, 1.0, 3.0, 3.0]
    assert np.isnan(merged["v_5m"].iloc[0])  # nothing closed before 00:00


def test_monthly_informative_becomes_visible_when_the_month_closes():
    base = _frame("2024-01-01", 62, "1D")
    inf = pd.DataFrame(
        {"date": pd.to_datetime(["2023-12-01", "2024-01-01"], utc=True), "v": [12.0, 1.0]}
    )
    merged = merge_informative_pair(base, inf, "1d", "1M")
    by_date = dict(zip(merged["date"].dt.strftime("%m-%d"), merged["v_1M"], strict=True))
    assert by_date["01-01"] == 12.0
    assert by_date["01-30"] == 12.0
    assert by_date["01-31"] == 1.0  # the daily candle that closes with January
    assert by_date["03-02"] == 1.0


def test_merging_a_faster_timeframe_is_a_value_error():
    base = _frame("2024-01-01", 3, "1h")
    with pytest.raises(ValueError, match="faster"):
        merge_informative_pair(base, _frame("2024-01-01", 3, "5min"), "1h", "5m")


def test_append_timeframe_and_suffix_together_is_a_value_error():
    base = _frame("2024-01-01", 3, "1h")
    with pytest.raises(ValueError, match="suffix"):
        merge_informative_pair(base, base, "1h", "1h", append_timeframe=True, suffix="x")


def test_merge_keeps_the_base_index_and_row_order():
    base = _frame("2024-01-01", 3, "1h", close=[1.0, 2.0, 3.0])
    base.index = [7, 8, 9]
    merged = merge_informative_pair(
        base, _frame("2024-01-01", 3, "1h", x=[1.0, 2.0, 3.0]), "1h", "1h"
    )
    assert merged.index.tolist() == [7, 8, 9]
    assert merged["x_1h"].tolist() == [1.0, 2.0, 3.0]


@pytest.mark.parametrize(
    ("open_relative", "profit", "is_short", "leverage", "expected"),
    [
        (0.07, 0.10, False, 1.0, 1 - 1.07 / 1.10),
        (0.0, 0.0, False, 1.0, 0.0),
        (0.10, 0.05, False, 1.0, 0.0),  # the stop would be above the current price
        (0.07, 0.10, True, 1.0, 0.93 / 0.90 - 1),
        (0.07, 0.20, False, 2.0, (1 - 1.035 / 1.10) * 2),
        (0.05, -1.0, False, 1.0, 1.0),
    ],
)
def test_stoploss_from_open(open_relative, profit, is_short, leverage, expected):
    assert stoploss_from_open(open_relative, profit, is_short, leverage) == pytest.approx(expected)


def test_stoploss_from_absolute():
    assert stoploss_from_absolute(95, 100) == pytest.approx(0.05)
    assert stoploss_from_absolute(105, 100, is_short=True) == pytest.approx(0.05)
    assert stoploss_from_absolute(105, 100) == 0.0
    assert stoploss_from_absolute(95, 100, leverage=3) == pytest.approx(0.15)
    assert stoploss_from_absolute(1, 0) == 1.0


class _InformativeStrategy(IStrategy):
    timeframe = "5m"
    stoploss = -0.1

    @informative("1h")
    def populate_indicators_1h(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        dataframe["hour_close"] = dataframe["close"]
        return dataframe

    @informative("1h", "BTC/{stake}")
    def populate_indicators_btc_1h(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        dataframe["seen_pair"] = metadata["pair"]
        return dataframe

    def populate_indicators(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        dataframe["has_hour"] = dataframe["hour_close_1h"].notna()
        return dataframe


def _dp(frames: dict[tuple[str, str, str], pd.DataFrame]) -> DataProvider:
    return DataProvider(
        candles=DictCandles(frames),
        analyzed=DictAnalyzed(),
        runmode=RunMode.DRY_RUN,
        timeframe="5m",
    )


def test_informative_decorator_merges_before_populate_indicators_without_look_ahead():
    base = candles(rows=36)  # 3 hours of 5m candles from 00:00
    hourly = candles(rows=3, minutes=60)
    dp = _dp({("ETH/BTC", "1h", "spot"): hourly, ("BTC/BTC", "1h", "spot"): hourly})
    runner = runner_for(_InformativeStrategy(), dp=dp)
    result = runner.analyze("ETH/BTC", base)
    # The 00:00 hourly candle closes at 01:00: it is attached to the 00:55 candle.
    assert result["hour_close_1h"].iloc[:11].isna().all()
    assert result["hour_close_1h"].iloc[11] == hourly["close"].iloc[0]
    assert result["has_hour"].iloc[11]
    assert result["btc_btc_seen_pair_1h"].iloc[-1] == "BTC/BTC"


def test_informative_pairs_lists_decorated_and_declared_series():
    runner = runner_for(_InformativeStrategy())
    keys = runner.informative_pairs(["ETH/BTC", "LTC/BTC"])
    assert keys == [("ETH/BTC", "1h", "spot"), ("LTC/BTC", "1h", "spot"), ("BTC/BTC", "1h", "spot")]


def test_informative_without_data_provider_is_a_strategy_error():
    runner = runner_for(_InformativeStrategy())
    with pytest.raises(StrategyError, match="DataProvider"):
        runner.analyze("ETH/BTC", candles(rows=12))
