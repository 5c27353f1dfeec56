"""Vectorized indicator helpers with the semantics strategies expect from `qtpylib`.

Strategies import this module as `qtpylib` (also reachable under the Freqtrade import names while
a strategy file loads). Every function takes pandas objects and returns new ones with the input's
index; nothing is modified in place.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "atr",
    "awesome_oscillator",
    "bollinger_bands",
    "cci",
    "crossed",
    "crossed_above",
    "crossed_below",
    "ema",
    "heikinashi",
    "hma",
    "keltner_channel",
    "log_returns",
    "macd",
    "returns",
    "roc",
    "rolling_max",
    "rolling_mean",
    "rolling_min",
    "rolling_std",
    "rolling_vwap",
    "rolling_weighted_mean",
    "rsi",
    "sma",
    "stoch",
    "true_range",
    "typical_price",
    "vwap",
    "weighted_bollinger_bands",
    "wma",
    "zscore",
]


def _series(values: Any, index: pd.Index | None = None) -> pd.Series:
    if isinstance(values, pd.Series):
        return values
    return pd.Series(np.asarray(values, dtype=float), index=index)


def typical_price(bars: pd.DataFrame) -> pd.Series:
    """(high + low + close) / 3."""
    return (bars["high"] + bars["low"] + bars["close"]) / 3


def crossed(series1: Any, series2: Any, direction: str | None = None) -> pd.Series:
    """True where `series1` crosses `series2` ("above", "below" or either when None).

    `series2` may be a scalar (compared against every row) or a series/array. Comparisons with
    NaN are False, so the first row is always False.
    """
    first = _series(series1)
    if np.ndim(series2) == 0:
        second: Any = series2
        second_prev: Any = series2
    else:
        second = _series(series2, first.index)
        second_prev = second.shift(1)
    first_prev = first.shift(1)
    above = (first > second) & (first_prev <= second_prev)
    below = (first < second) & (first_prev >= second_prev)
    if direction == "above":
        result = above
    elif direction == "below":
        result = below
    else:
        result = above | below
    # Nullable dtypes yield <NA> for missing comparisons; a cross needs both values known.
    return pd.Series(result.fillna(False).astype(bool), index=first.index)


def crossed_above(series1: Any, series2: Any) -> pd.Series:
    """True on the row where series1 moves from <= series2 (previous row) to > series2."""
    return crossed(series1, series2, "above")


def crossed_below(series1: Any, series2: Any) -> pd.Series:
    """True on the row where series1 moves from >= series2 (previous row) to < series2."""
    return crossed(series1, series2, "below")


def rolling_mean(series: Any, window: int = 200, min_periods: int | None = None) -> pd.Series:
    """Simple moving average; `min_periods` defaults to `window`."""
    periods = window if min_periods is None else min_periods
    return _series(series).rolling(window, min_periods=periods).mean()


sma = rolling_mean


def rolling_std(series: Any, window: int = 200, min_periods: int | None = None) -> pd.Series:
    """Rolling sample standard deviation (ddof=1); `min_periods` defaults to `window`."""
    periods = window if min_periods is None else min_periods
    return _series(series).rolling(window, min_periods=periods).std(ddof=1)


def rolling_min(series: Any, window: int = 14, min_periods: int | None = None) -> pd.Series:
    """Rolling minimum; `min_periods` defaults to `window`."""
    periods = window if min_periods is None else min_periods
    return _series(series).rolling(window, min_periods=periods).min()


def rolling_max(series: Any, window: int = 14, min_periods: int | None = None) -> pd.Series:
    """Rolling maximum; `min_periods` defaults to `window`."""
    periods = window if min_periods is None else min_periods
    return _series(series).rolling(window, min_periods=periods).max()


def rolling_weighted_mean(
    series: Any, window: int = 200, min_periods: int | None = None
) -> pd.Series:
    """Exponential moving average with span `window` (qtpylib's "weighted" mean)."""
    periods = window if min_periods is None else min_periods
    return _series(series).ewm(span=window, min_periods=periods).mean()


ema = rolling_weighted_mean


def wma(series: Any, window: int = 200) -> pd.Series:
    """Linearly weighted moving average (weights 1…window, newest heaviest); NaN until full."""
    values = _series(series)
    data = values.to_numpy(dtype=float)
    out = np.full(len(data), np.nan)
    if window > 0 and len(data) >= window:
        weights = np.arange(1, window + 1, dtype=float)
        windows = np.lib.stride_tricks.sliding_window_view(data, window)
        out[window - 1 :] = windows @ weights / weights.sum()
    return pd.Series(out, index=values.index)


def hma(series: Any, window: int = 200) -> pd.Series:
    """Hull moving average: WMA(2·WMA(n/2) − WMA(n), √n)."""
    values = _series(series)
    raw = 2 * wma(values, max(window // 2, 1)) - wma(values, window)
    return wma(raw, max(int(np.sqrt(window)), 1))


def rsi(series: Any, window: int = 14) -> pd.Series:
    """Wilder's RSI (seeded with the simple average of the first `window` changes)."""
    values = _series(series)
    delta = values.diff()
    gains, losses = delta.clip(lower=0), -delta.clip(upper=0)

    def wilder(part: pd.Series) -> pd.Series:
        seeded = pd.Series(np.nan, index=part.index)
        if len(part) > window:
            seeded.iloc[window] = part.iloc[1 : window + 1].mean()
            seeded.iloc[window + 1 :] = part.iloc[window + 1 :]
        return seeded.ewm(alpha=1 / window, adjust=False).mean()

    avg_gain, avg_loss = wilder(gains), wilder(losses)
    result = 100 - 100 / (1 + avg_gain / avg_loss)
    # No losses in the window: RSI is 100 by definition (the division above gives NaN or inf).
    return result.where(avg_loss != 0, 100.0).where(avg_gain.notna())


def macd(series: Any, fast: int = 3, slow: int = 10, smooth: int = 16) -> pd.DataFrame:
    """MACD line (EMA fast − EMA slow), its signal EMA and the histogram."""
    values = _series(series)
    line = ema(values, fast) - ema(values, slow)
    signal = ema(line, smooth)
    return pd.DataFrame(
        {"macd": line, "signal": signal, "histogram": line - signal}, index=values.index
    )


def true_range(bars: pd.DataFrame) -> pd.Series:
    """max(high − low, |high − previous close|, |low − previous close|)."""
    prev_close = bars["close"].shift(1)
    ranges = pd.concat(
        [
            bars["high"] - bars["low"],
            (bars["high"] - prev_close).abs(),
            (bars["low"] - prev_close).abs(),
        ],
        axis=1,
    )
    return ranges.max(axis=1)


def atr(bars: pd.DataFrame, window: int = 14, exp: bool = False) -> pd.Series:
    """Average true range: SMA (or EMA when `exp`) of the true range."""
    ranges = true_range(bars)
    return ema(ranges, window) if exp else rolling_mean(ranges, window)


def vwap(bars: pd.DataFrame) -> pd.Series:
    """Cumulative volume-weighted typical price."""
    volume = bars["volume"]
    return (volume * typical_price(bars)).cumsum() / volume.cumsum()


def rolling_vwap(
    bars: pd.DataFrame, window: int = 200, min_periods: int | None = None
) -> pd.Series:
    """Volume-weighted typical price over a rolling window."""
    periods = window if min_periods is None else min_periods
    volume = bars["volume"]
    weighted = (volume * typical_price(bars)).rolling(window, min_periods=periods).sum()
    return weighted / volume.rolling(window, min_periods=periods).sum()


def bollinger_bands(series: Any, window: int = 20, stds: float = 2) -> pd.DataFrame:
    """Columns upper/mid/lower; mid and std use min_periods=1 (std is NaN on the first row)."""
    values = _series(series)
    mid = rolling_mean(values, window, min_periods=1)
    std = rolling_std(values, window, min_periods=1)
    return pd.DataFrame(
        {"upper": mid + stds * std, "mid": mid, "lower": mid - stds * std}, index=values.index
    )


def weighted_bollinger_bands(series: Any, window: int = 20, stds: float = 2) -> pd.DataFrame:
    """Bollinger bands around an EMA instead of an SMA."""
    values = _series(series)
    mid = ema(values, window)
    std = values.ewm(span=window, min_periods=window).std()
    return pd.DataFrame(
        {"upper": mid + stds * std, "mid": mid, "lower": mid - stds * std}, index=values.index
    )


def heikinashi(bars: pd.DataFrame) -> pd.DataFrame:
    """Heikin-Ashi candles (columns open, high, low, close, volume)."""
    ha_close = (bars["open"] + bars["high"] + bars["low"] + bars["close"]) / 4
    # ha_open[i] = (ha_open[i-1] + ha_close[i-1]) / 2 is an EMA with alpha 1/2 of the previous
    # close, seeded with (open + close) / 2 of the first candle.
    seed_input = ha_close.shift(1)
    if len(bars):
        seed_input.iloc[0] = (bars["open"].iloc[0] + bars["close"].iloc[0]) / 2
    ha_open = seed_input.ewm(alpha=0.5, adjust=False).mean()
    frame = pd.concat([bars["high"], ha_open, ha_close], axis=1)
    low_frame = pd.concat([bars["low"], ha_open, ha_close], axis=1)
    return pd.DataFrame(
        {
            "open": ha_open,
            "high": frame.max(axis=1),
            "low": low_frame.min(axis=1),
            "close": ha_close,
            "volume": bars["volume"],
        },
        index=bars.index,
    )


def keltner_channel(bars: pd.DataFrame, window: int = 14, atrs: float = 2) -> pd.DataFrame:
    """Columns upper/mid/lower: SMA of the typical price ± `atrs` × ATR."""
    mid = rolling_mean(typical_price(bars), window)
    band = atr(bars, window) * atrs
    return pd.DataFrame({"upper": mid + band, "mid": mid, "lower": mid - band}, index=bars.index)


def stoch(
    bars: pd.DataFrame, window: int = 14, d: int = 3, k: int = 3, fast: bool = False
) -> pd.DataFrame:
    """Stochastic oscillator: columns fast_k/fast_d when `fast`, else slow_k/slow_d."""
    lowest = bars["low"].rolling(window).min()
    highest = bars["high"].rolling(window).max()
    fast_k = 100 * (bars["close"] - lowest) / (highest - lowest)
    fast_d = fast_k.rolling(d).mean()
    if fast:
        return pd.DataFrame({"fast_k": fast_k, "fast_d": fast_d}, index=bars.index)
    slow_k = fast_k.rolling(k).mean()
    slow_d = slow_k.rolling(d).mean()
    return pd.DataFrame({"slow_k": slow_k, "slow_d": slow_d}, index=bars.index)


def zscore(bars: pd.DataFrame, window: int = 20, stds: float = 1, col: str = "close") -> pd.Series:
    """(value − rolling mean) / (rolling std × stds)."""
    values = bars[col]
    return (values - rolling_mean(values, window)) / (rolling_std(values, window) * stds)


def returns(series: Any) -> pd.Series:
    """Simple returns (pct change), NaN on the first row."""
    return _series(series).pct_change()


def log_returns(series: Any) -> pd.Series:
    """Logarithmic returns, NaN on the first row."""
    values = _series(series)
    return pd.Series(np.log(values / values.shift(1)), index=values.index)


def roc(series: Any, window: int = 14) -> pd.Series:
    """Rate of change in percent over `window` rows."""
    values = _series(series)
    return (values / values.shift(window) - 1) * 100


def cci(bars: pd.DataFrame, window: int = 14) -> pd.Series:
    """Commodity channel index using the mean absolute deviation of the typical price."""
    price = typical_price(bars)
    mean = rolling_mean(price, window)
    deviation = np.full(len(price), np.nan)
    if window > 0 and len(price) >= window:
        windows = np.lib.stride_tricks.sliding_window_view(price.to_numpy(dtype=float), window)
        centred = windows - windows.mean(axis=1, keepdims=True)
        deviation[window - 1 :] = np.abs(centred).mean(axis=1)
    return (price - mean) / (0.015 * pd.Series(deviation, index=price.index))


def awesome_oscillator(
    bars: pd.DataFrame, weighted: bool = False, fast: int = 5, slow: int = 34
) -> pd.Series:
    """SMA (or EMA when `weighted`) of the median price, fast − slow."""
    median = (bars["high"] + bars["low"]) / 2
    average = ema if weighted else rolling_mean
    return average(median, fast) - average(median, slow)
