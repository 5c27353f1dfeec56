"""The price path of one simulated pair: candles on a regular grid and the path inside each.

Candle i opens at origin + i * timeframe. Inside a candle the price moves piecewise linearly
in time through open → low → high → close for an up candle (close >= open) and open → high →
low → close for a down candle, each leg lasting a third of the candle. Tickers, the forming
candle and limit-order fills are all read off this one path, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from tradewind.exchange.simulated.price_model import BLOCK, Candles, FloatArray, PriceModel

IntArray = npt.NDArray[np.int64]
_FRACTIONS = (0.0, 1 / 3, 2 / 3, 1.0)


@dataclass(frozen=True)
class CandleArrays:
    """Candles ready for a DataFrame: open times in epoch milliseconds plus value columns."""

    dates_ms: IntArray
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: FloatArray


class PairPath:
    """Candles of one pair, extended block by block from the price model as time passes."""

    def __init__(
        self, origin_ms: int, timeframe_ms: int, model: PriceModel, history: Candles | None
    ) -> None:
        self.origin_ms = origin_ms
        self.timeframe_ms = timeframe_ms
        self.model = model
        self.history_length = len(history) if history is not None else 0
        empty = np.empty(0)
        source = history or Candles(empty, empty, empty, empty, empty)
        self._open, self._high, self._low = source.open, source.high, source.low
        self._close, self._volume = source.close, source.volume
        self._ensure(0)

    def __len__(self) -> int:
        return len(self._close)

    def _ensure(self, index: int) -> None:
        """Generate blocks until candle `index` exists."""
        if index < len(self._close):
            return
        blocks = [self.model.next_block() for _ in range((index - len(self._close)) // BLOCK + 1)]
        self._open = np.concatenate([self._open, *(b.open for b in blocks)])
        self._high = np.concatenate([self._high, *(b.high for b in blocks)])
        self._low = np.concatenate([self._low, *(b.low for b in blocks)])
        self._close = np.concatenate([self._close, *(b.close for b in blocks)])
        self._volume = np.concatenate([self._volume, *(b.volume for b in blocks)])

    def _locate(self, ms: int) -> tuple[int, float]:
        """(candle index, fraction of it elapsed) of an instant at or after the origin."""
        index, offset = divmod(ms - self.origin_ms, self.timeframe_ms)
        self._ensure(index)
        return index, offset / self.timeframe_ms

    def _vertices(self, index: int) -> tuple[float, float, float, float]:
        o, c = float(self._open[index]), float(self._close[index])
        h, lo = float(self._high[index]), float(self._low[index])
        return (o, lo, h, c) if c >= o else (o, h, lo, c)

    def _price(self, index: int, fraction: float) -> float:
        return float(np.interp(fraction, _FRACTIONS, self._vertices(index)))

    def price_at(self, ms: int) -> float:
        """The traded price at an instant (the open of the first candle before the origin)."""
        if ms <= self.origin_ms:
            return float(self._open[0])
        return self._price(*self._locate(ms))

    def _extremes(self, index: int, start: float, end: float) -> tuple[float, float]:
        """(low, high) of the path inside candle `index` between two fractions."""
        vertices = self._vertices(index)
        points = [self._price(index, start), self._price(index, end)]
        points += [v for f, v in zip(_FRACTIONS, vertices, strict=True) if start < f < end]
        return min(points), max(points)

    def trading_range(self, since_ms: int, until_ms: int) -> tuple[float, float, float] | None:
        """(low, high, base volume) traded in [since, until); None for an empty interval."""
        since_ms = max(since_ms, self.origin_ms)
        if until_ms <= since_ms:
            return None
        first, start = self._locate(since_ms)
        last, end = self._locate(until_ms)
        if first == last:
            low, high = self._extremes(first, start, end)
            return low, high, float(self._volume[first]) * (end - start)
        low_a, high_a = self._extremes(first, start, 1.0)
        low_b, high_b = self._extremes(last, 0.0, end)
        low, high = min(low_a, low_b), max(high_a, high_b)
        volume = float(self._volume[first]) * (1 - start) + float(self._volume[last]) * end
        if last > first + 1:
            low = min(low, float(self._low[first + 1 : last].min()))
            high = max(high, float(self._high[first + 1 : last].max()))
            volume += float(self._volume[first + 1 : last].sum())
        return low, high, volume

    def candles(
        self, timeframe_ms: int, since_ms: int | None, limit: int, now_ms: int
    ) -> CandleArrays | None:
        """Candles of `timeframe_ms` (a multiple of the base timeframe, aligned to the epoch)
        opening at or after `since_ms` (else the latest `limit`), the forming one last."""
        if now_ms < self.origin_ms or limit <= 0:
            return None
        first_group = -(-self.origin_ms // timeframe_ms)  # groups starting before history
        now_group = now_ms // timeframe_ms  # are incomplete and left out
        if since_ms is None:
            g_end, g_start = now_group, max(now_group - limit + 1, first_group)
        else:
            g_start = max(-(-since_ms // timeframe_ms), first_group)
            g_end = min(g_start + limit - 1, now_group)
        if g_start > g_end:
            return None
        now_index, fraction = self._locate(now_ms)
        b_start = (g_start * timeframe_ms - self.origin_ms) // self.timeframe_ms
        b_end = min(
            ((g_end + 1) * timeframe_ms - self.origin_ms) // self.timeframe_ms, now_index + 1
        )
        columns = [a[b_start:b_end] for a in (self._open, self._high, self._low, self._close)]
        volume = self._volume[b_start:b_end]
        if b_end == now_index + 1:  # the forming candle: only the path up to now
            columns = [column.copy() for column in columns]
            volume = volume.copy()
            self._patch_forming(columns, volume, now_index, fraction)
        dates = np.arange(g_start, g_end + 1, dtype=np.int64) * timeframe_ms
        step = timeframe_ms // self.timeframe_ms
        if step == 1:
            return CandleArrays(dates, columns[0], columns[1], columns[2], columns[3], volume)
        return _resample(dates, columns, volume, step)

    def _patch_forming(
        self, columns: list[FloatArray], volume: FloatArray, index: int, fraction: float
    ) -> None:
        vertices = self._vertices(index)
        price = self._price(index, fraction)
        seen = [v for f, v in zip(_FRACTIONS, vertices, strict=True) if f <= fraction] + [price]
        columns[1][-1] = max(seen)
        columns[2][-1] = min(seen)
        columns[3][-1] = price
        volume[-1] = float(self._volume[index]) * fraction


def _resample(
    dates: IntArray,
    columns: list[FloatArray],
    volume: FloatArray,
    step: int,
) -> CandleArrays:
    """Aggregate consecutive groups of `step` base candles (the last group may be shorter)."""
    starts = np.arange(0, len(volume), step)
    ends = np.minimum(starts + step, len(volume)) - 1
    return CandleArrays(
        dates[: len(starts)],
        columns[0][starts],
        np.maximum.reduceat(columns[1], starts),
        np.minimum.reduceat(columns[2], starts),
        columns[3][ends],
        np.add.reduceat(volume, starts),
    )
