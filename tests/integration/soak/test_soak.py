"""A 30-second soak under the issue's load: memory, latency, WebSocket delivery, a clean log.

The full 10-minute run is `python bench/soak.py`; this short one checks the same things with
bounds wide enough for the 2-core CI machine, where the other test worker shares the cores:

* RSS may grow by at most 40 MB over the 30 s after a 10 s warm-up. The bot's candle caches
  are full from the start (1000 candles per pair) and the 10-minute soak measured about
  +0.6 MB/min after its caches filled; a leak of one analysed frame per candle and pair (100
  per 2 s) would pass this bound within seconds.
* Every endpoint's median stays under the API issue's aim (50 ms) and its p99 under 150 ms:
  the aim with a 3× allowance for the shared machine (the 10-minute soak measured p99 of
  2.6–38 ms) — 300 ms for /profit, which sits at the aim even alone (p99 51 ms), and 400 ms
  for /trades?limit=500, whose first request encodes 500 trades cold (80 ms idle; with 60
  samples the p99 is the maximum). After that a trade close costs /trades and /profit one
  trade's work (they used to be rebuilt whole: p99 165 and 82 ms in the 10-minute soak).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.soak.harness import ENDPOINTS, Soak, percentile

pytestmark = pytest.mark.slow

SECONDS, WARMUP, EVERY = 30.0, 10.0, 0.5
RSS_GROWTH_MB = 40.0
P50_MS = 50.0
P99_MS = 150.0
WIDER_P99_MS = {
    "profit": 300.0,  # re-valued every loop iteration, beside the loop: 51 ms p99 even alone
    "trades?limit=500": 400.0,  # the first request encodes 500 trades cold (80 ms idle)
}


def test_a_loaded_bot_keeps_memory_flat_answers_fast_and_logs_no_error(tmp_path: Path) -> None:
    report = Soak(tmp_path, subscribers=20, open_trades=50, closed_trades=5000).run(
        SECONDS, WARMUP, EVERY
    )
    print("\n".join(report.lines()))
    assert report.log_levels["ERROR"] == report.log_levels["CRITICAL"] == 0, report.log_lines
    assert report.tracebacks == 0
    assert report.trades_at_end["closed"] > 5000, "the bot traded during the soak"
    growth = max(mb for _, mb in report.steady_rss) - report.rss_start
    assert growth < RSS_GROWTH_MB, f"RSS grew {growth:.1f} MB after the warm-up"
    for name in ENDPOINTS:
        values = report.latencies[name]
        assert len(values) >= SECONDS / EVERY and report.failures[name] == 0, name
        assert percentile(values, 0.5) < P50_MS, (name, sorted(values)[-5:])
        bound = WIDER_P99_MS.get(name, P99_MS)
        assert percentile(values, 0.99) < bound, (name, sorted(values)[-5:])
    received = [sum(client["types"].values()) for client in report.clients]
    assert len(report.clients) == 20 and all(c["connected"] for c in report.clients)
    assert min(received) >= 0.9 * max(received), f"a subscriber fell behind: {received}"
    for client in report.clients:
        assert client["types"]["analyzed_df"] and client["types"]["new_candle"], client
        assert client["last"] > WARMUP + SECONDS - 5, "a subscriber stopped receiving"
