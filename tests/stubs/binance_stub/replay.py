"""The stub's market: replayed 5m candles of each pair, read as one continuous price path.

Inside a 5m candle the price moves piecewise linearly through open → low → high → close (an up
candle) or open → high → low → close (a down candle), each leg a third of the candle, and the
volume trades evenly over time. Every answer the stub gives (klines of any interval, tickers,
order fills) is read off that one path, so they always agree with each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

BASE_MS = 300_000
_FRACTIONS = (0.0, 1 / 3, 2 / 3, 1.0)
MIN_NOTIONAL = {"BTC": Decimal("0.0001"), "ETH": Decimal("0.001"), "USDT": Decimal(5)}


@dataclass(frozen=True)
class Span:
    """What traded over an interval: first and last price, extremes and base volume."""

    open: float
    high: float
    low: float
    close: float
    volume: float


@dataclass(frozen=True)
class SymbolRules:
    """Binance filters of one symbol (tick size, lot step, minimums)."""

    symbol: str  # exchange id, "ETHBTC"
    base: str
    quote: str
    tick: Decimal
    step: Decimal
    min_qty: Decimal
    min_notional: Decimal


class PairSeries:
    """The candles of one pair on a gap-free 5m grid."""

    def __init__(self, frame: pd.DataFrame) -> None:
        stamps = pd.DatetimeIndex(frame["date"]).as_unit("ms").asi8
        order = np.argsort(stamps, kind="stable")
        stamps = stamps[order]
        slots = (stamps - stamps[0]) // BASE_MS
        size = int(slots[-1]) + 1
        self.first_ms = int(stamps[0])
        self.end_ms = self.first_ms + size * BASE_MS  # exclusive
        columns = {}
        for name in ("open", "high", "low", "close", "volume"):
            values = np.zeros(size)
            values[slots] = frame[name].to_numpy(dtype=np.float64)[order]
            columns[name] = values
        present = np.zeros(size, dtype=bool)
        present[slots] = True
        last = np.maximum.accumulate(np.where(present, np.arange(size), 0))
        flat = columns["close"][last]  # missing candles are flat at the previous close
        for name in ("open", "high", "low", "close"):
            columns[name] = np.where(present, columns[name], flat)
        self.open, self.high, self.low = columns["open"], columns["high"], columns["low"]
        self.close, self.volume = columns["close"], columns["volume"]

    def _vertices(self, index: int) -> tuple[float, float, float, float]:
        o, c = float(self.open[index]), float(self.close[index])
        h, lo = float(self.high[index]), float(self.low[index])
        return (o, lo, h, c) if c >= o else (o, h, lo, c)

    def _point(self, index: int, fraction: float) -> float:
        return float(np.interp(fraction, _FRACTIONS, self._vertices(index)))

    def _extremes(self, index: int, start: float, end: float) -> tuple[float, float]:
        points = [self._point(index, start), self._point(index, end)]
        vertices = self._vertices(index)
        points += [v for f, v in zip(_FRACTIONS, vertices, strict=True) if start < f < end]
        return min(points), max(points)

    def price_at(self, ms: int) -> float:
        """The price at an instant (clamped to the data's first open and last close)."""
        if ms <= self.first_ms:
            return float(self.open[0])
        if ms >= self.end_ms:
            return float(self.close[-1])
        index, offset = divmod(ms - self.first_ms, BASE_MS)
        return self._point(index, offset / BASE_MS)

    def span(self, t0: int, t1: int) -> Span | None:
        """What traded in [t0, t1) (clipped to the data), None for an empty interval."""
        t0, t1 = max(t0, self.first_ms), min(t1, self.end_ms)
        if t1 <= t0:
            return None
        first, offset0 = divmod(t0 - self.first_ms, BASE_MS)
        last, offset1 = divmod(t1 - self.first_ms, BASE_MS)
        f0, f1 = offset0 / BASE_MS, offset1 / BASE_MS
        if offset1 == 0:  # ends on a boundary: at the close of the previous candle
            last, f1 = last - 1, 1.0
        if first == last:
            low, high = self._extremes(first, f0, f1)
            volume = float(self.volume[first]) * (f1 - f0)
        else:
            low_a, high_a = self._extremes(first, f0, 1.0)
            low_b, high_b = self._extremes(last, 0.0, f1)
            low, high = min(low_a, low_b), max(high_a, high_b)
            volume = float(self.volume[first]) * (1 - f0) + float(self.volume[last]) * f1
            if last > first + 1:
                low = min(low, float(self.low[first + 1 : last].min()))
                high = max(high, float(self.high[first + 1 : last].max()))
                volume += float(self.volume[first + 1 : last].sum())
        return Span(self._point(first, f0), high, low, self._point(last, f1), volume)

    def crash(self, at_ms: int, factor: float) -> None:
        """Scale every price from the first candle opening at or after `at_ms` on by `factor`;
        that candle moves from its old open to its scaled low and close, so the fall is traded
        through continuously (a stop on the way triggers at its price)."""
        index = max(-(-(at_ms - self.first_ms) // BASE_MS), 0)
        if index >= len(self.open):
            return
        opening = float(self.open[index])
        for column in (self.open, self.high, self.low, self.close):
            column[index:] *= factor
        self.open[index] = opening
        self.high[index] = max(opening, float(self.high[index]))

    def typical_price(self) -> float:
        return float(np.median(self.close))


def derive_rules(base: str, quote: str, price: float) -> SymbolRules:
    """Filters that look like Binance's for a pair trading around `price`."""
    min_notional = MIN_NOTIONAL.get(quote, Decimal(1))
    tick_exponent = max(math.floor(math.log10(price)) - 5, -8)
    step_exponent = math.floor(math.log10(float(min_notional) / price)) - 1
    step = Decimal(1).scaleb(min(max(step_exponent, -8), 0))
    return SymbolRules(
        symbol=f"{base}{quote}",
        base=base,
        quote=quote,
        tick=Decimal(1).scaleb(tick_exponent),
        step=step,
        min_qty=step,
        min_notional=min_notional,
    )


@dataclass
class Listing:
    """One listed pair: its rules and its candles."""

    rules: SymbolRules
    series: PairSeries


def load_listings(data_dir: Path, timeframe: str = "5m") -> dict[str, Listing]:
    """Every `<BASE>_<QUOTE>-5m.feather` of `data_dir`, keyed by exchange symbol ("ETHBTC")."""
    listings: dict[str, Listing] = {}
    for path in sorted(Path(data_dir).glob(f"*-{timeframe}.feather")):
        pair_part = path.name.split("-", 1)[0]
        if pair_part.count("_") != 1:
            continue
        base, quote = pair_part.split("_")
        series = PairSeries(pd.read_feather(path))
        rules = derive_rules(base, quote, series.typical_price())
        listings[rules.symbol] = Listing(rules, series)
    if not listings:
        raise FileNotFoundError(f"no *-{timeframe}.feather candle files in {data_dir}")
    return listings


def klines(
    series: PairSeries,
    interval_ms: int,
    now_ms: int,
    *,
    start: int | None,
    end: int | None,
    limit: int,
) -> list[tuple[int, Span]]:
    """(open time, span) of the candles Binance would return; the last may be forming.

    Candles open on multiples of the interval; one that would start before the data is left
    out. With `start`, candles opening at or after it; otherwise the latest `limit` up to `end`.
    """
    first = -(-series.first_ms // interval_ms) * interval_ms
    newest = min(now_ms, series.end_ms - 1, end if end is not None else now_ms)
    newest = newest // interval_ms * interval_ms
    if start is not None:
        opening = max(-(-start // interval_ms) * interval_ms, first)
        opens = range(opening, min(newest, opening + (limit - 1) * interval_ms) + 1, interval_ms)
    else:
        opening = max(newest - (limit - 1) * interval_ms, first)
        opens = range(opening, newest + 1, interval_ms)
    result = []
    for open_ms in opens:
        span = series.span(open_ms, min(open_ms + interval_ms, now_ms))
        if span is None:  # the candle opened exactly now: nothing traded in it yet
            price = series.price_at(open_ms)
            span = Span(price, price, price, price, 0.0)
        result.append((open_ms, span))
    return result
