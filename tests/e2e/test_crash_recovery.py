"""A bot killed with SIGKILL at random moments restarts with every trade and order intact."""

from __future__ import annotations

import random
import signal
import sqlite3
import time
from decimal import Decimal
from pathlib import Path

from tests.botconfig import REPO, bot_config, write_config
from tests.consistency import Snapshot, check_database, check_nothing_lost
from tests.processes import kill, start_bot, wait_for

KILLS = 6


def _order_count(db_file: Path) -> int:
    with sqlite3.connect(db_file) as conn:
        return int(conn.execute("SELECT count(*) FROM orders").fetchone()[0])


def _alive(process, log: Path) -> bool:
    if process.poll() is not None:
        raise AssertionError(f"bot exited with {process.returncode}:\n{log.read_text()[-2000:]}")
    return True


def _progress(process, log: Path, db_file: Path, floor: int):
    def check() -> bool:
        return _alive(process, log) and db_file.exists() and _order_count(db_file) > floor

    return check


def test_sigkill_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    config = bot_config(
        tmp_path,
        strategy="ChurnStrategy",
        strategy_path=str(REPO / "tests" / "fixtures" / "strategies"),
        api_server={"enabled": False},
        exchange={"simulation": {"speed": 600}},
        max_open_trades=6,
        stake_amount=0.05,
        exit_pricing={"price_side": "other"},
    )
    path = write_config(tmp_path / "config.json", config)
    db_file = tmp_path / "tradesv3.dryrun.sqlite"
    url = f"sqlite:///{db_file}"
    log = tmp_path / "bot.log"
    rng = random.Random(20260101)
    previous = Snapshot()
    for round_ in range(KILLS):
        process = start_bot(path, log)
        floor = _order_count(db_file) if db_file.exists() else 0
        wait_for(_progress(process, log, db_file, floor), 60, f"new orders in round {round_}")
        time.sleep(rng.uniform(0.0, 2.0))
        assert kill(process) == -signal.SIGKILL
        snapshot = check_database(url, Decimal(1))
        check_nothing_lost(previous, snapshot)
        previous = snapshot
    floor = _order_count(db_file)
    process = start_bot(path, log)
    wait_for(_progress(process, log, db_file, floor), 60, "trading after the restarts")
    assert kill(process, signal.SIGTERM) == 0
    final = check_database(url, Decimal(1))
    check_nothing_lost(previous, final)
    assert final.closed_count > 0 and final.trade_count > 3
    text = log.read_text()
    assert "Traceback" not in text, text[-3000:]
