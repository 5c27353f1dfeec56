"""Building tradewind's ccxt adapter against a running BinanceStub (shared by the tests)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.stubs.binance_stub import BinanceStub
from tests.stubs.loop_thread import LoopBoundExchange, LoopThread
from tradewind.domain.clock import ManualClock
from tradewind.exchange.ccxt import CcxtExchange, Credentials, RateGate, RetryPolicy
from tradewind.exchange.simulated import packaged_data_dir

STUB_KEY = Credentials(api_key="stub-key", secret="stub-secret")
# market time inside the replayed data (2018-01-10 → 2018-01-30), off a candle boundary
STUB_START = datetime(2018, 1, 20, 0, 2, 17, tzinfo=UTC)
FAST_RETRY = RetryPolicy(attempts=4, base_delay=0.05, max_delay=0.4)


def data_dir() -> Path:
    """The replay candles: ../shared/data/ohlcv beside the clone, else the packaged copy."""
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ohlcv"
    return shared if shared.is_dir() else packaged_data_dir()


def build_adapter(
    stub: BinanceStub,
    clock: ManualClock,
    *,
    dry_run: bool,
    timeout_ms: int = 3000,
    rate_limit: bool = True,
    **options: Any,
) -> CcxtExchange:
    """An adapter of "binance" pointed at `stub` (construct it inside the loop it will run in).

    rate_limit: ccxt's own request pacing (Binance's weights, ~50 ms per unit); tests that make
    hundreds of requests switch it off.
    """
    options.setdefault("retry", FAST_RETRY)
    options.setdefault("gate", RateGate(initial=0.2, maximum=2.0))
    if dry_run:
        options.setdefault("paper_balances", {"BTC": Decimal(10)})
    return CcxtExchange(
        "binance", clock, dry_run=dry_run, credentials=STUB_KEY,
        ccxt_config=stub.ccxt_config(timeout=timeout_ms, enableRateLimit=rate_limit),
        **options,
    )  # fmt: skip


@asynccontextmanager
async def open_adapter(
    stub: BinanceStub, clock: ManualClock, *, dry_run: bool, **options: Any
) -> AsyncIterator[CcxtExchange]:
    """`build_adapter` in the running loop, closed on exit."""
    adapter = build_adapter(stub, clock, dry_run=dry_run, **options)
    try:
        yield adapter
    finally:
        await adapter.close()


@dataclass
class StubSetup:
    """A started stub, a clock in step with it and an adapter on its own loop thread."""

    stub: BinanceStub
    clock: ManualClock
    thread: LoopThread
    exchange: LoopBoundExchange

    def advance(self, delta: timedelta) -> None:
        """Move market time on both sides (the stub matches its resting orders)."""
        self.clock.advance(delta)
        self.stub.set_time(self.clock.now())


def start_setup(*, dry_run: bool, start: datetime = STUB_START, **options: Any) -> StubSetup:
    stub = BinanceStub(data_dir(), start).start()
    clock = ManualClock(start)
    thread = LoopThread()

    async def build() -> CcxtExchange:
        return build_adapter(stub, clock, dry_run=dry_run, **options)

    adapter = thread.run(build())
    exchange = LoopBoundExchange(adapter, thread, on_close=[thread.stop, stub.stop])
    return StubSetup(stub, clock, thread, exchange)
