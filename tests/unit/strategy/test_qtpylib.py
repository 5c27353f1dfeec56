import numpy as np
import pandas as pd
import pytest
import talib.abstract as ta

from tradewind.strategy import qtpylib

from .builders import candles, real_candles


def test_crossed_above_is_true_only_on_the_crossing_row_and_never_on_the_first():
    s1 = pd.Series([1.0, 2.0, 3.0, 2.0, 4.0])
    s2 = pd.Series([2.0, 2.0, 2.0, 2.0, 2.0])
    assert qtpylib.crossed_above(s1, s2).tolist() == [False, False, True, False, True]


def test_crossed_above_broadcasts_a_scalar_second_argument():
    s1 = pd.Series([30.0, 29.0, 31.0, 35.0, 28.0, 30.5])
    assert qtpylib.crossed_above(s1, 30).tolist() == [False, False, True, False, False, True]


def test_crossed_above_requires_the_previous_value_to_be_at_or_below():
    # From exactly equal to above counts as a cross (previous <= s2).
    assert qtpylib.crossed_above(pd.Series([5.0, 5.0, 6.0]), 5).tolist() == [False, False, True]


def test_crossed_below_mirrors_crossed_above():
    s1 = pd.Series([3.0, 1.0, 3.0, 3.0, 1.0])
    assert qtpylib.crossed_below(s1, 2).tolist() == [False, True, False, False, True]


def test_crossed_without_direction_reports_both_directions():
    s1 = pd.Series([1.0, 3.0, 1.0])
    assert qtpylib.crossed(s1, 2).tolist() == [False, True, True]


def test_crossed_with_nan_values_is_false():
    s1 = pd.Series([np.nan, 3.0, np.nan, 3.0])
    assert qtpylib.crossed_above(s1, 2).tolist() == [False, False, False, False]


def test_crossed_accepts_an_array_second_argument_and_keeps_the_index():
    s1 = pd.Series([1.0, 3.0], index=[10, 11])
    result = qtpylib.crossed_above(s1, np.array([2.0, 2.0]))
    assert result.index.tolist() == [10, 11]
    assert result.tolist() == [False, True]


def test_typical_price_is_the_mean_of_high_low_close():
    bars = pd.DataFrame({"high": [3.0], "low": [1.0], "close": [2.0]}, index=[5])
    result = qtpylib.typical_price(bars)
    assert result.tolist() == [2.0]
    assert result.index.tolist() == [5]


def test_rolling_mean_needs_a_full_window_by_default():
    result = qtpylib.rolling_mean(pd.Series([1.0, 2.0, 3.0, 4.0]), window=3)
    assert np.isnan(result.iloc[1])
    assert result.iloc[2:].tolist() == [2.0, 3.0]


def test_rolling_std_is_the_sample_standard_deviation():
    values = pd.Series([1.0, 2.0, 4.0])
    assert qtpylib.rolling_std(values, window=3).iloc[-1] == pytest.approx(
        np.std([1, 2, 4], ddof=1)
    )


def test_bollinger_bands_are_defined_from_the_first_rows_with_min_periods_one():
    values = pd.Series([10.0, 12.0, 14.0, 16.0])
    bands = qtpylib.bollinger_bands(values, window=20, stds=2)
    assert list(bands.columns) == ["upper", "mid", "lower"]
    assert bands["mid"].tolist() == [10.0, 11.0, 12.0, 13.0]
    assert np.isnan(bands["upper"].iloc[0]) and np.isnan(bands["lower"].iloc[0])
    std = np.std([10.0, 12.0], ddof=1)
    assert bands["upper"].iloc[1] == pytest.approx(11 + 2 * std)
    assert bands["lower"].iloc[1] == pytest.approx(11 - 2 * std)


def test_bollinger_bands_match_a_full_window_rolling_computation_after_warmup():
    close = real_candles(rows=300)["close"]
    bands = qtpylib.bollinger_bands(close, window=20, stds=2)
    expected_mid = close.rolling(20).mean()
    pd.testing.assert_series_equal(
        bands["mid"].iloc[19:], expected_mid.iloc[19:], check_names=False
    )


def test_rsi_matches_ta_lib_after_the_warmup():
    frame = real_candles(rows=500)
    ours = qtpylib.rsi(frame["close"], 14)
    reference = ta.RSI(frame, timeperiod=14)
    assert np.isnan(ours.iloc[13])
    np.testing.assert_allclose(ours.iloc[14:], reference.iloc[14:], rtol=1e-9)


def test_wma_weights_recent_values_more():
    result = qtpylib.wma(pd.Series([1.0, 2.0, 3.0]), window=3)
    assert np.isnan(result.iloc[1])
    assert result.iloc[2] == pytest.approx((1 * 1 + 2 * 2 + 3 * 3) / 6)


def test_hma_lags_a_trend_less_than_the_wma():
    line = pd.Series(np.arange(100, dtype=float))
    hull = qtpylib.hma(line, window=16).iloc[-1]
    weighted = qtpylib.wma(line, window=16).iloc[-1]
    assert abs(99 - hull) < abs(99 - weighted)
    # 2·WMA(8) − WMA(16) leads by 1/3, WMA(4) lags by 1: exactly 2/3 behind.
    assert hull == pytest.approx(99 - 2 / 3)


def test_true_range_uses_the_previous_close_and_atr_averages_it():
    bars = pd.DataFrame(
        {"high": [10.0, 12.0, 11.0], "low": [9.0, 11.5, 8.0], "close": [9.5, 12.0, 9.0]}
    )
    assert qtpylib.true_range(bars).tolist() == [1.0, 2.5, 4.0]
    assert qtpylib.atr(bars, window=2).iloc[-1] == pytest.approx(3.25)


def test_vwap_is_volume_weighted_typical_price():
    bars = pd.DataFrame(
        {"high": [2.0, 4.0], "low": [2.0, 4.0], "close": [2.0, 4.0], "volume": [1.0, 3.0]}
    )
    assert qtpylib.vwap(bars).tolist() == [2.0, pytest.approx((2 + 12) / 4)]
    assert qtpylib.rolling_vwap(bars, window=1).tolist() == [2.0, 4.0]


def test_heikinashi_first_candle_and_recursion():
    bars = candles(rows=5)
    ha = qtpylib.heikinashi(bars)
    assert list(ha.columns) == ["open", "high", "low", "close", "volume"]
    first = bars.iloc[0]
    assert ha["open"].iloc[0] == pytest.approx((first.open + first.close) / 2)
    assert ha["open"].iloc[1] == pytest.approx((ha["open"].iloc[0] + ha["close"].iloc[0]) / 2)
    assert (ha["high"] >= ha[["open", "close"]].max(axis=1)).all()


def test_macd_stoch_keltner_and_zscore_have_the_expected_columns():
    bars = real_candles(rows=200)
    assert list(qtpylib.macd(bars["close"]).columns) == ["macd", "signal", "histogram"]
    assert list(qtpylib.stoch(bars).columns) == ["slow_k", "slow_d"]
    assert list(qtpylib.stoch(bars, fast=True).columns) == ["fast_k", "fast_d"]
    assert list(qtpylib.keltner_channel(bars).columns) == ["upper", "mid", "lower"]
    z = qtpylib.zscore(bars, window=20)
    assert z.iloc[19:].notna().all()
    stoch = qtpylib.stoch(bars, fast=True)["fast_k"].dropna()
    assert ((stoch >= 0) & (stoch <= 100)).all()


def test_cci_is_zero_when_price_equals_its_mean():
    flat = pd.DataFrame(
        {"high": [2.0] * 5, "low": [1.0] * 5, "close": [1.5] * 5, "volume": [1.0] * 5}
    )
    result = qtpylib.cci(flat, window=3)
    assert np.isnan(result.iloc[-1]) or result.iloc[-1] == 0
