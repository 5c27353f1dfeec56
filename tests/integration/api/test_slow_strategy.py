"""The API keeps answering while a slow strategy keeps the loop busy (analysis runs off the
event loop, in a worker thread)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from tests.botconfig import REPO
from tests.integration.api.botprocess import bot_process, wait_for

BURN_PER_PAIR = 0.25  # SlowStrategy: ten pairs → 2.5 s of pure-Python work per loop


def test_requests_stay_fast_while_the_strategy_is_slow(tmp_path: Path) -> None:
    with bot_process(
        tmp_path,
        verbosity="error",
        strategy="SlowStrategy",
        strategy_path=str(REPO / "tests" / "fixtures" / "strategies"),
    ) as bot:
        wait_for(
            lambda: "SlowStrategy" in bot.log() and bot.get("/health").json().get("last_process"),
            30,
            "the first slow loop",
        )
        latencies: list[float] = []
        deadline = time.monotonic() + 5  # two whole loops of 2.5 s analysis each
        while time.monotonic() < deadline:
            for path in ("/ping", "/status", "/profit", "/show_config"):
                began = time.perf_counter()
                response = bot.get(path)
                latencies.append(time.perf_counter() - began)
                assert response.status_code == 200, (path, response.text)
        latencies.sort()
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        median = statistics.median(latencies)
        print(
            f"{len(latencies)} requests while busy: p50 {median * 1000:.1f} ms, "
            f"p99 {p99 * 1000:.1f} ms, max {latencies[-1] * 1000:.1f} ms"
        )
        # Without the worker thread a request would wait for the whole 2.5 s analysis.
        assert p99 < 0.25, f"p99 {p99:.3f}s"
        assert latencies[-1] < BURN_PER_PAIR * 10 / 2
