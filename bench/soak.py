"""Load soak: 100 pairs, 50 open + 5 000 closed trades, 20 WebSocket subscribers, 10 minutes.

A real `tradewind trade` process on the simulated exchange (10 replayed + 90 generated pairs,
sample strategy, `--speed` market seconds per second) whose database is seeded through the
persistence layer; it trades on from there. A separate process holds `--subscribers` message
WebSocket clients subscribed to every message type. Every `--every` seconds this script samples
the bot's RSS and one request to each of ping, status, trades?limit=500, profit and
pair_candles (500 candles with indicators); the first `--warmup` minutes count for latency but
not for the memory slope. At the end the log is scanned for warnings, errors and tracebacks.

    python bench/soak.py [--minutes 10] [--warmup 2] [--every 2] [--speed 150] [--subscribers 20]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.soak.harness import Soak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="measured after warm-up")
    parser.add_argument("--warmup", type=float, default=2.0, help="minutes (caches fill)")
    parser.add_argument("--every", type=float, default=2.0, help="seconds between samples")
    parser.add_argument("--speed", type=float, default=150.0)
    parser.add_argument("--subscribers", type=int, default=20)
    parser.add_argument("--open-trades", type=int, default=50)
    parser.add_argument("--closed-trades", type=int, default=5000)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; speed {args.speed:g}×\n")
    began, before = time.monotonic(), os.times()
    with tempfile.TemporaryDirectory(prefix="tw-soak-") as tmp:
        soak = Soak(
            Path(tmp),
            speed=args.speed,
            subscribers=args.subscribers,
            open_trades=args.open_trades,
            closed_trades=args.closed_trades,
        )
        report = soak.run(args.minutes * 60, args.warmup * 60, args.every)
    after = os.times()
    print("\n".join(report.lines()))
    cpu = sum(after[:4]) - sum(before[:4])
    print(f"\n{time.monotonic() - began:.0f} s wall, {cpu:.0f} s CPU (bot and clients included)")
    print("aims: RSS flat after warm-up; p99 < 50 ms per endpoint (API issue); no error logged")


if __name__ == "__main__":
    main()
