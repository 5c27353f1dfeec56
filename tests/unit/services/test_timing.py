"""10 000 closed trades: statistics stay fast cold and cost ~nothing between ticks.

Targets (bench/stats.py): cold /profit < 150 ms, cached < 1 ms. The bounds here are generous
so that a loaded CI machine does not fail them; a regression to per-trade loops or one query
per request still does.
"""

import asyncio
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any

from tests.unit.services.builders import bulk_closed_trades
from tests.unit.services.conftest import BotFactory
from tradewind.services.profit import ProfitService
from tradewind.services.stats import StatsService

TRADES = 10_000


async def _median_ms(call: Callable[[], Awaitable[Any]], runs: int, clear: Any = None) -> float:
    times = []
    for _ in range(runs):
        if clear is not None:
            clear()
        started = time.perf_counter()
        await call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def test_profit_and_stats_at_ten_thousand_trades(bot: BotFactory) -> None:
    app = bot()
    bulk_closed_trades(app, TRADES)
    ctx = app.context()
    profit, stats = ProfitService(ctx), StatsService(ctx)

    async def everything() -> None:
        await profit.profit_all()
        stats.performance()
        stats.entries()
        stats.exits()
        stats.mix_tags()
        stats.stats()
        await stats.period_breakdown("days", 30)

    async def measure() -> tuple[float, float, float]:
        cold_profit = await _median_ms(profit.profit_all, 3, clear=ctx.cache.clear)
        cold_all = await _median_ms(everything, 3, clear=ctx.cache.clear)
        await everything()
        cached_profit = await _median_ms(profit.profit_all, 50)
        return cold_profit, cold_all, cached_profit

    cold_profit, cold_all, cached_profit = asyncio.run(measure())
    answer = asyncio.run(profit.profit())
    assert answer.closed_trade_count == TRADES
    assert cold_profit < 1_000, f"cold /profit took {cold_profit:.0f} ms"
    assert cold_all < 2_000, f"cold statistics took {cold_all:.0f} ms"
    assert cached_profit < 10, f"cached /profit took {cached_profit:.2f} ms"
