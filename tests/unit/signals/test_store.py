"""The follower's storage and merge rules (§6.2)."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from tradewind.signals.encoding import EPOCH, SplitFrame
from tradewind.signals.store import MAX_ROWS, ProducerStore

KEY = ("ETH/USDT", "5m", "spot")
T0_MS = 1_795_570_800_000
STEP = 300_000
LA = datetime(2026, 11, 25, 1, 49, 31, tzinfo=UTC)
COLUMNS = ["date", "close", "enter_long", "exit_long", "enter_tag", "exit_tag"]


def _rows(first: int, count: int) -> SplitFrame:
    data = [
        [T0_MS + (first + i) * STEP, float(first + i), 1, 1, "tag", "out"] for i in range(count)
    ]
    return SplitFrame(list(COLUMNS), list(range(first, first + count)), data)


def _closes(store: ProducerStore) -> list[float]:
    frame, _ = store.get_producer_df(*KEY, "default")
    return list(frame["close"])


def test_nothing_stored_reads_as_an_empty_frame_at_the_epoch() -> None:
    frame, la = ProducerStore().get_producer_df(*KEY, "default")
    assert frame.empty
    assert la == EPOCH


def test_a_frame_of_at_least_100_rows_replaces_the_stored_one() -> None:
    store = ProducerStore()
    assert store.merge("default", KEY, _rows(0, 150), LA) is None
    assert store.merge("default", KEY, _rows(500, 100), LA) is None
    assert _closes(store)[0] == 500.0
    assert store.rows("default", KEY) == 100


def test_a_short_frame_with_nothing_stored_asks_for_a_full_frame() -> None:
    store = ProducerStore()
    assert store.merge("default", KEY, _rows(0, 1), LA) == MAX_ROWS
    assert store.rows("default", KEY) == 0


def test_the_next_candle_is_appended_with_its_la_and_the_index_renumbered() -> None:
    store = ProducerStore()
    store.merge("default", KEY, _rows(0, 120), LA)
    later = LA.replace(minute=54)

    assert store.merge("default", KEY, _rows(120, 1), later) is None

    frame, la = store.get_producer_df(*KEY, "default")
    assert len(frame) == 121
    assert list(frame.index) == list(range(121))
    assert frame["date"].iloc[-1] == pd.Timestamp(T0_MS + 120 * STEP, unit="ms", tz="UTC")
    assert la == later


def test_a_repeated_last_candle_replaces_the_stored_row_instead_of_duplicating_it() -> None:
    store = ProducerStore()
    store.merge("default", KEY, _rows(0, 120), LA)
    again = _rows(119, 1)
    again.data[0][1] = 999.0

    store.merge("default", KEY, again, LA)

    assert store.rows("default", KEY) == 120
    assert _closes(store)[-1] == 999.0


def test_a_gap_is_not_appended_and_asks_for_the_missing_candles_plus_one() -> None:
    store = ProducerStore()
    store.merge("default", KEY, _rows(0, 120), LA)

    assert store.merge("default", KEY, _rows(123, 1), LA) == 5  # gap 4 → 4 + 1
    assert store.rows("default", KEY) == 120
    assert store.merge("default", KEY, _rows(300, 1), LA) == MAX_ROWS  # ≥ 100 → 1500


def test_only_the_last_1500_rows_are_kept() -> None:
    store = ProducerStore()
    store.merge("default", KEY, _rows(0, MAX_ROWS), LA)
    store.merge("default", KEY, _rows(MAX_ROWS, 1), LA)

    frame, _ = store.get_producer_df(*KEY, "default")
    assert len(frame) == MAX_ROWS
    assert frame["close"].iloc[0] == 1.0
    assert list(frame.index) == list(range(MAX_ROWS))


def test_remove_entry_exit_signals_zeroes_signals_and_nulls_tags() -> None:
    store = ProducerStore(remove_entry_exit_signals=True)
    store.merge("default", KEY, _rows(0, 100), LA)
    store.merge("default", KEY, _rows(100, 1), LA)

    frame, _ = store.get_producer_df(*KEY, "default")
    assert set(frame["enter_long"]) == {0}
    assert set(frame["exit_long"]) == {0}
    assert frame["enter_tag"].isna().all()
    assert frame["exit_tag"].isna().all()


def test_reads_are_copies_and_producers_are_independent() -> None:
    store = ProducerStore()
    store.merge("default", KEY, _rows(0, 100), LA)
    frame, _ = store.get_producer_df(*KEY, "default")
    frame["close"] = -1.0

    assert _closes(store)[0] == 0.0
    assert store.get_producer_df(*KEY, "other")[0].empty


def test_an_empty_frame_is_ignored_and_whitelists_are_copied() -> None:
    store = ProducerStore()
    assert store.merge("default", KEY, SplitFrame(COLUMNS, [], []), LA) is None
    store.set_pairs("default", ["ETH/USDT", "XRP/USDT"])
    pairs = store.get_producer_pairs("default")
    pairs.append("BTC/USDT")
    assert store.get_producer_pairs("default") == ["ETH/USDT", "XRP/USDT"]
    assert store.get_producer_pairs("other") == []
