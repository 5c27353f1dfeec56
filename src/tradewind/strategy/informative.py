"""Informative data: `merge_informative_pair`, the `@informative` decorator and stoploss helpers."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from tradewind.domain.pairs import split_pair
from tradewind.domain.timeframes import timeframe_to_minutes

_ATTRIBUTE = "_tradewind_informative"
F = TypeVar("F", bound=Callable[..., Any])


def _merge_keys(
    dates: pd.Series, timeframe: str, timeframe_inf: str, minutes: int, minutes_inf: int
) -> np.ndarray:
    """Informative open times shifted to the open of the base candle that closes with them."""
    stamps = pd.to_datetime(dates, utc=True)
    if minutes == minutes_inf:
        keys = stamps
    elif timeframe_inf.endswith("M"):
        # A monthly candle closes at the start of the next month, whatever the month's length.
        months = int(timeframe_inf[:-1])
        keys = stamps + pd.offsets.MonthBegin(months) - pd.Timedelta(minutes=minutes)
    else:
        keys = stamps + pd.Timedelta(minutes=minutes_inf - minutes)
    return np.asarray(pd.DatetimeIndex(keys).as_unit("ns").asi8)


def _matching_rows(base: np.ndarray, keys: np.ndarray, ffill: bool) -> np.ndarray:
    """For each base row, the informative row position to attach (-1 = none)."""
    present = np.flatnonzero(keys != np.iinfo(np.int64).min)  # NaT keys can never match
    order = present[np.argsort(keys[present], kind="stable")]
    sorted_keys = keys[order]
    if len(order) == 0:
        return np.full(len(base), -1)
    # Last key <= base date; with duplicate keys the last informative row wins.
    pos = np.searchsorted(sorted_keys, base, side="right") - 1
    clipped = np.clip(pos, 0, None)
    asof = np.where(pos >= 0, order[clipped], -1)
    exact = (pos >= 0) & (sorted_keys[clipped] == base)
    matched = np.where(exact, asof, -1)
    if not ffill:
        return matched
    last_match = np.maximum.accumulate(np.where(exact, np.arange(len(base)), -1))
    # Rows before the first exact match take the last informative row already closed by then
    # (past data only); later rows carry the last exact match forward.
    return np.where(last_match >= 0, matched[np.clip(last_match, 0, None)], asof)


def _join(dataframe: pd.DataFrame, right: pd.DataFrame) -> pd.DataFrame:
    overlap = set(dataframe.columns) & set(right.columns)
    left = dataframe.rename(columns={c: f"{c}_x" for c in overlap})
    right = right.rename(columns={c: f"{c}_y" for c in overlap})
    index = dataframe.index
    merged = pd.concat([left.reset_index(drop=True), right.reset_index(drop=True)], axis=1)
    merged.index = index
    return merged


def merge_informative_pair(  # noqa: PLR0917 -- Freqtrade's positional signature
    dataframe: pd.DataFrame,
    informative: pd.DataFrame,
    timeframe: str,
    timeframe_inf: str,
    ffill: bool = True,
    append_timeframe: bool = True,
    date_column: str = "date",
    suffix: str | None = None,
) -> pd.DataFrame:
    """Attach `informative` candles to `dataframe` without look-ahead.

    An informative candle is attached to the base candle that closes when it closes (key = its
    open + mi − m; for "1M" the next month's start − m), so nothing is seen before it is final.
    Columns are renamed `<col>_<timeframe_inf>` (`append_timeframe`) or `<col>_<suffix>`. With
    `ffill` the last matched row is carried forward; base rows before the first match take the
    last informative row whose key is not after them (past data only). The base row count,
    order and index are unchanged.
    Raises ValueError for a faster informative timeframe or for both naming options at once.
    """
    if append_timeframe and suffix:
        raise ValueError("You can not specify `append_timeframe` as True and a `suffix`.")
    minutes, minutes_inf = timeframe_to_minutes(timeframe), timeframe_to_minutes(timeframe_inf)
    if minutes > minutes_inf:
        raise ValueError(
            f"Cannot merge the faster timeframe {timeframe_inf} into the slower {timeframe}: "
            "it would add rows to the base dataframe."
        )
    inf = informative.copy()
    keys = _merge_keys(inf[date_column], timeframe, timeframe_inf, minutes, minutes_inf)
    if append_timeframe:
        inf.columns = [f"{col}_{timeframe_inf}" for col in inf.columns]
    elif suffix:
        inf.columns = [f"{col}_{suffix}" for col in inf.columns]
    base = np.asarray(
        pd.DatetimeIndex(pd.to_datetime(dataframe["date"], utc=True)).as_unit("ns").asi8
    )
    rows = _matching_rows(base, keys, ffill)
    right = inf.reset_index(drop=True).reindex(rows)
    return _join(dataframe, right)


def stoploss_from_open(
    open_relative_stop: float, current_profit: float, is_short: bool = False, leverage: float = 1.0
) -> float:
    """Stop distance relative to the current rate that puts the stop at `open_relative_stop`
    from the open rate (both as profit ratios of the leveraged position).

    Returns a non-negative ratio, 0 when the requested stop lies beyond the current rate, and 1
    when the current price is zero (long) or doubled (short).
    """
    profit = current_profit / leverage
    target = open_relative_stop / leverage
    if (profit <= -1 and not is_short) or (is_short and profit >= 1):
        return 1.0
    # Long: price = open·(1 + profit), stop = open·(1 + target); short mirrors both signs.
    if is_short:
        return max(((1 - target) / (1 - profit) - 1) * leverage, 0.0)
    distance = 1 - (1 + target) / (1 + profit)
    return max(distance * leverage, 0.0)


def stoploss_from_absolute(
    stop_rate: float, current_rate: float, is_short: bool = False, leverage: float = 1.0
) -> float:
    """Stop distance relative to `current_rate` for an absolute stop price, in [0, 1] × leverage."""
    if math.isnan(stop_rate) or math.isnan(current_rate):
        return math.nan
    if current_rate == 0:
        return 1.0
    distance = (current_rate - stop_rate) / current_rate
    if is_short:
        distance = -distance
    return min(max(distance, 0.0), 1.0) * leverage


@dataclass(frozen=True)
class InformativeData:
    """What one `@informative` decoration asks for."""

    timeframe: str
    asset: str = ""
    fmt: str | Callable[..., str] | None = None
    candle_type: str | None = None
    ffill: bool = True
    cache: bool = True

    def pair_for(self, pair: str, stake_currency: str) -> str:
        """The informative pair: `asset` with {stake} filled in, or the analysed pair."""
        if not self.asset:
            return pair
        return self.asset.format(stake=stake_currency, stake_currency=stake_currency)

    def column_name(self, column: str, pair: str) -> str:
        """The merged name of `column` for the informative `pair`."""
        base, quote = split_pair(pair) if "/" in pair else (pair, "")
        args = {
            "base": base.lower(),
            "quote": quote.lower(),
            "BASE": base.upper(),
            "QUOTE": quote.upper(),
            "asset": self.asset,
            "column": column,
            "timeframe": self.timeframe,
        }
        fmt = self.fmt
        if fmt is None:
            fmt = "{base}_{quote}_{column}_{timeframe}" if self.asset else "{column}_{timeframe}"
        return fmt(**args) if callable(fmt) else fmt.format(**args)


def informative(
    timeframe: str,
    asset: str = "",
    fmt: str | Callable[..., str] | None = None,
    *,
    candle_type: str | None = None,
    ffill: bool = True,
    cache: bool = True,
) -> Callable[[F], F]:
    """Mark `populate_indicators_*(self, dataframe, metadata)` as computing informative data.

    The runner calls the method on the informative pair's candles before `populate_indicators`
    and merges the result into the analysed dataframe with renamed columns. Stackable.
    """
    data = InformativeData(timeframe, asset, fmt, candle_type, ffill, cache)

    def decorate(method: F) -> F:
        previous = getattr(method, _ATTRIBUTE, ())
        setattr(method, _ATTRIBUTE, (*previous, data))
        return method

    return decorate


def informative_methods(strategy: object) -> list[tuple[InformativeData, Callable[..., Any]]]:
    """(decoration, bound method) pairs of `strategy`, in definition order (base classes first)."""
    found: dict[str, Any] = {}
    for klass in reversed(type(strategy).__mro__):
        for name, member in vars(klass).items():
            if callable(member) and hasattr(member, _ATTRIBUTE):
                found[name] = member
            elif name in found:
                del found[name]  # overridden without the decorator
    return [
        (data, getattr(strategy, name))
        for name, member in found.items()
        for data in getattr(member, _ATTRIBUTE)
    ]


def merge_informative_frame(
    dataframe: pd.DataFrame,
    informative_df: pd.DataFrame,
    data: InformativeData,
    *,
    pair: str,
    timeframe: str,
) -> pd.DataFrame:
    """Rename an analysed informative frame per `data` and merge it into `dataframe`."""
    renamed = informative_df.rename(
        columns={c: data.column_name(str(c), pair) for c in informative_df.columns}
    )
    duplicates = sorted(set(renamed.columns) & set(dataframe.columns))
    if duplicates:
        raise ValueError(
            f"Duplicate column name(s) {duplicates} from @informative({data.timeframe!r})"
        )
    return merge_informative_pair(
        dataframe,
        renamed,
        timeframe,
        data.timeframe,
        ffill=data.ffill,
        append_timeframe=False,
        date_column=data.column_name("date", pair),
    )
