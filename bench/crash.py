"""SIGKILL campaign: kill a trading bot at aimed and random moments, restart it, check its books.

The campaign of tests/e2e/test_crash_recovery.py with more kills: a ChurnStrategy bot on the
simulated exchange (600× speed) is SIGKILLed `--kills` times on SQLite and `--postgres-kills`
times on a throwaway PostgreSQL cluster. Each kill is aimed in turn at a random moment, at an
order committed but not yet acknowledged by the exchange, at an open write transaction and at
start-up recovery; where it landed is measured while the bot is frozen. After every kill the
database is checked (tests/consistency.py) and compared with the state before; the run ends with
a clean start of the real CLI that must resolve every pending order and trade on.

    python bench/crash.py [--kills 100] [--postgres-kills 20] [--seed 20260101] [--per-kill]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.campaign import CampaignReport, CrashCampaign
from tests.postgres import postgres_server


def campaign(kills: int, seed: int, postgres: bool) -> tuple[CampaignReport, float]:
    """Run one campaign; its report and the CPU seconds it took (bot processes included)."""
    before = os.times()
    with tempfile.TemporaryDirectory(prefix="tw-crash-") as tmp:
        if postgres:
            with postgres_server() as server:
                url = server.create_database("crash")
                report = CrashCampaign(Path(tmp), url, seed=seed).run(kills)
        else:
            report = CrashCampaign(Path(tmp), seed=seed).run(kills)
    after = os.times()
    cpu = sum(after[:4]) - sum(before[:4])
    return report, cpu


def per_kill(report: CampaignReport) -> None:
    print(f"  {'#':>3} {'aimed at':<15} {'landed':<40} {'orders':>6} {'open':>4} {'unack':>5} "
          f"{'closed':>6} {'s':>5}")  # fmt: skip
    for number, kill in enumerate(report.kills, 1):
        landed = ", ".join(kill.kinds) + (" (missed)" if kill.missed else "")
        print(
            f"  {number:>3} {kill.target:<15} {landed:<40} {kill.orders:>6} "
            f"{kill.open_orders:>4} {kill.unacknowledged:>5} {kill.closed_trades:>6} "
            f"{kill.seconds:>5.2f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=100, help="SIGKILLs on SQLite")
    parser.add_argument("--postgres-kills", type=int, default=20, help="SIGKILLs on PostgreSQL")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--per-kill", action="store_true", help="one line per kill")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores\n")
    runs = [(args.kills, False), (args.postgres_kills, True)]
    for kills, postgres in runs:
        if kills <= 0:
            continue
        began = time.monotonic()
        report, cpu = campaign(kills, args.seed, postgres)
        print("\n".join(report.lines()))
        print(f"  {time.monotonic() - began:.0f} s wall, {cpu:.0f} s CPU (bots included)")
        if args.per_kill:
            per_kill(report)
        print()
    print("every kill: database consistent, nothing lost or duplicated, wallet = ledger of fills")


if __name__ == "__main__":
    main()
