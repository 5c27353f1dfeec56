"""A started Binance stub per test, and a clock in step with it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.stubs.binance_stub import BinanceStub
from tests.stubs.ccxt_harness import STUB_START, data_dir
from tradewind.domain.clock import ManualClock


@pytest.fixture
def stub() -> Iterator[BinanceStub]:
    with BinanceStub(data_dir(), STUB_START) as running:
        yield running


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(STUB_START)
