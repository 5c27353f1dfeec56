"""Cost of `/profit`, `/trades` and the `/stats` family at 10 000 closed trades.

Run from the repository root: `python -m bench.stats [trade_count]`. "cold" clears the bot's
memo before each call (one closed-trade query + the vectorized statistics); "after a close"
stores one more closed trade before each call, as a trade closing does; "cached" is a repeated
call between two engine ticks.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from tests.unit.services.builders import NOW, bulk_closed_trades, closed_trade, make_bot, store

from tradewind.schemas.json import dumps
from tradewind.services.profit import ProfitService
from tradewind.services.stats import StatsService
from tradewind.services.trades import TradeService

Call = Callable[[], Awaitable[Any]]


async def _timed(call: Call, repeat: int, before: Callable[[], None] | None = None) -> float:
    """Median milliseconds of `repeat` calls (`before` runs untimed ahead of each)."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


async def measure(count: int, directory: Path) -> None:
    app = make_bot(directory)
    bulk_closed_trades(app, count)
    ctx = app.context()
    profit, stats, trades = ProfitService(ctx), StatsService(ctx), TradeService(ctx)
    day = timedelta(days=1)

    def close_one() -> None:
        store(app, closed_trade("ETH/BTC", "0.05", "0.051", opened=NOW - day))

    async def sync(function: Callable[[], Any]) -> Any:
        return function()

    cases: dict[str, Call] = {
        "profit_all": profit.profit_all,
        "trades(500)": lambda: sync(lambda: dumps(trades.trades(500, 0))),
        "performance": lambda: sync(stats.performance),
        "entries": lambda: sync(stats.entries),
        "mix_tags": lambda: sync(stats.mix_tags),
        "daily(30)": lambda: stats.period_breakdown("days", 30),
        "stats": lambda: sync(stats.stats),
    }
    print(f"{count} closed trades — median ms: cold (memo cleared), after a close, cached")
    for name, call in cases.items():
        cold = await _timed(call, 7, before=ctx.cache.clear)
        await call()
        after_close = await _timed(call, 7, before=close_one)
        cached = await _timed(call, 500)
        print(
            f"  {name:12s} cold {cold:8.2f}   after a close {after_close:8.2f}"
            f"   cached {cached:8.4f}"
        )
    await app.close()


def main(count: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(measure(count, Path(tmp)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
