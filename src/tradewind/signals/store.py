"""What a follower keeps of its producers: whitelists and analysed dataframes (spec §6.2–§6.3).

Frames are stored per producer and ``(pair, timeframe, candle_type)`` as immutable snapshots of
decoded rows (dates still in epoch ms). Merging a one-row broadcast is a list operation, not a
pandas concat; the dataframe is built the first time a strategy asks for it and cached on the
snapshot. Snapshots are swapped whole, so the strategy's worker thread can read while the
event loop merges without a lock.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from tradewind.domain.timeframes import timeframe_to_seconds
from tradewind.signals.encoding import DATE_COLUMN, EPOCH, SplitFrame, dataframe_from_split

__all__ = ["FULL_FRAME_ROWS", "MAX_ROWS", "ProducerStore"]

log = logging.getLogger(__name__)

FULL_FRAME_ROWS = 100
"""A received frame with at least this many rows replaces the stored one."""
MAX_ROWS = 1500
"""Rows kept per key after an append, and the size of a full-frame request."""
SIGNAL_COLUMNS = {"enter_long": 0, "exit_long": 0, "enter_short": 0, "exit_short": 0}
TAG_COLUMNS = ("enter_tag", "exit_tag")

Key = tuple[str, str, str]


@dataclass
class _Snapshot:
    """One stored frame: its rows never change once stored (merges build a new snapshot)."""

    columns: list[Any]
    rows: list[list[Any]]
    date_position: int | None
    analyzed_at: datetime
    frame: pd.DataFrame | None = field(default=None, repr=False)

    def last_date(self) -> int | None:
        if self.date_position is None or not self.rows:
            return None
        value = self.rows[-1][self.date_position]
        return value if isinstance(value, int) else None

    def dataframe(self) -> pd.DataFrame:
        frame = self.frame
        if frame is None:
            split = SplitFrame(self.columns, list(range(len(self.rows))), self.rows)
            frame = dataframe_from_split(split)
            self.frame = frame  # a racing reader builds an equal frame: harmless
        return frame


class ProducerStore:
    """Producer whitelists and dataframes; a ``ProducerSource`` for the DataProvider."""

    def __init__(self, *, remove_entry_exit_signals: bool = False) -> None:
        self.remove_entry_exit_signals = remove_entry_exit_signals
        self._pairs: dict[str, list[str]] = {}
        self._frames: dict[str, dict[Key, _Snapshot]] = {}

    # -- reading (the DataProvider's ProducerSource) ---------------------------------------------
    def get_producer_pairs(self, producer_name: str = "default") -> list[str]:
        """A copy of the producer's last whitelist (empty when none arrived yet)."""
        return list(self._pairs.get(producer_name, ()))

    def get_producer_df(
        self, pair: str, timeframe: str, candle_type: str, producer_name: str = "default"
    ) -> tuple[pd.DataFrame, datetime]:
        """A copy of the stored frame and its ``la``; ``(empty, 1970-01-01 UTC)`` when none."""
        snapshot = self._frames.get(producer_name, {}).get((pair, timeframe, candle_type))
        if snapshot is None:
            return pd.DataFrame(), EPOCH
        return snapshot.dataframe().copy(), snapshot.analyzed_at

    def keys(self, producer_name: str) -> list[Key]:
        """The keys stored for a producer."""
        return list(self._frames.get(producer_name, {}))

    def rows(self, producer_name: str, key: Key) -> int:
        """How many rows are stored (0 when none)."""
        snapshot = self._frames.get(producer_name, {}).get(key)
        return 0 if snapshot is None else len(snapshot.rows)

    # -- writing ----------------------------------------------------------------------------------
    def set_pairs(self, producer_name: str, pairs: list[str]) -> None:
        """Replace the producer's whitelist."""
        self._pairs[producer_name] = [p for p in pairs if isinstance(p, str)]

    def merge(
        self, producer_name: str, key: Key, received: SplitFrame, analyzed_at: datetime
    ) -> int | None:
        """Merge a received frame (§6.2); returns the row count to request when it could not.

        An empty frame is ignored. ≥ 100 rows replace the stored frame; fewer are appended
        when they continue it, else a follow-up request of ``missing + 1`` rows (1500 once
        that reaches 100) is asked for.
        """
        if not received.data:
            return None
        if self.remove_entry_exit_signals:
            received = _without_signals(received)
        frames = self._frames.setdefault(producer_name, {})
        date_position = received.column_position(DATE_COLUMN)
        if len(received) >= FULL_FRAME_ROWS:
            frames[key] = _Snapshot(received.columns, received.data, date_position, analyzed_at)
            return None
        stored = frames.get(key)
        if stored is None:
            return MAX_ROWS
        last = stored.last_date()
        first = received.data[0][date_position] if date_position is not None else None
        if last is None or not isinstance(first, int) or received.columns != stored.columns:
            return MAX_ROWS  # no way to continue the stored frame: ask for a whole one
        gap = (first - last) / (timeframe_to_seconds(key[1]) * 1000)
        if gap > 1:
            missing = int(gap)
            wanted = missing + 1
            return MAX_ROWS if wanted >= FULL_FRAME_ROWS else wanted
        frames[key] = _appended(stored, received, first, analyzed_at)
        return None


def _without_signals(received: SplitFrame) -> SplitFrame:
    """The frame with entry/exit signals zeroed and tags nulled (a copy)."""
    changes = {
        position: value
        for name, value in [*SIGNAL_COLUMNS.items(), *((tag, None) for tag in TAG_COLUMNS)]
        if (position := received.column_position(name)) is not None
    }
    if not changes:
        return received
    rows = []
    for row in received.data:
        copy = list(row)
        for position, value in changes.items():
            copy[position] = value
        rows.append(copy)
    return SplitFrame(received.columns, received.index, rows)


def _appended(
    stored: _Snapshot, received: SplitFrame, first: int, analyzed_at: datetime
) -> _Snapshot:
    """Stored rows before ``first``, then the received rows; the last 1500 kept."""
    position = stored.date_position
    keep = len(stored.rows)
    if position is not None:
        while keep and _before(stored.rows[keep - 1][position], first) is False:
            keep -= 1
    merged = stored.rows[:keep] + received.data
    if len(merged) > MAX_ROWS:
        merged = merged[-MAX_ROWS:]
    return _Snapshot(stored.columns, merged, position, analyzed_at)


def _before(value: Any, first: int) -> bool:
    return not isinstance(value, int) or value < first
