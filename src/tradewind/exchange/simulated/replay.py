"""Replay files: real candles (`<PAIR>-<TF>.feather`) the simulated market plays back.

The file's own dates only give the order of its candles: the simulated exchange shifts them
onto its own time axis. Missing candles become flat candles with zero volume, so row i of the
result is exactly the i-th candle interval after the first.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from pyarrow import feather

from tradewind.domain.pairs import pair_to_filename
from tradewind.errors import DataError
from tradewind.exchange.simulated.price_model import Candles

_VALUES = ("open", "high", "low", "close", "volume")


def find_replay_file(directories: Sequence[Path], pair: str, timeframe: str) -> Path | None:
    """The first `<PAIR>-<timeframe>.feather` found in `directories`, in order."""
    name = f"{pair_to_filename(pair)}-{timeframe}.feather"
    for directory in directories:
        candidate = Path(directory) / name
        if candidate.is_file():
            return candidate
    return None


def load_replay(path: Path, timeframe_seconds: int) -> Candles:
    """Candles of a replay file on a regular grid; DataError if it cannot be used."""
    try:
        table = feather.read_table(path, columns=["date", *_VALUES])
        dates = table.column("date").to_numpy()
        values = {name: table.column(name).to_numpy().astype(np.float64) for name in _VALUES}
    except Exception as exc:  # pyarrow raises many types for truncated or foreign files
        raise DataError(
            f"{path}: cannot read replay candles ({type(exc).__name__}: {exc})"
        ) from exc
    if len(dates) == 0:
        raise DataError(f"{path}: the replay file has no candles")
    stamps = dates.astype("datetime64[s]").astype(np.int64)
    order = np.argsort(stamps, kind="stable")
    slots = (stamps[order] - stamps[order[0]]) // timeframe_seconds
    close = values["close"][order]
    if not np.all(np.isfinite(close)) or np.any(close <= 0):
        raise DataError(f"{path}: the replay file has non-positive or missing close prices")
    size = int(slots[-1]) + 1
    present = np.zeros(size, dtype=bool)
    present[slots] = True
    filled = {name: np.zeros(size) for name in _VALUES}
    for name in _VALUES:
        filled[name][slots] = values[name][order]  # a repeated slot keeps its last row
    # forward-fill the close into missing slots: index of the last present slot at each slot
    last = np.maximum.accumulate(np.where(present, np.arange(size), 0))
    flat = filled["close"][last]
    for name in ("open", "high", "low", "close"):
        filled[name] = np.where(present, filled[name], flat)
    return Candles(**filled)
