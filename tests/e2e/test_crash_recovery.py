"""A bot killed with SIGKILL at 50 moments restarts every time with every trade and order intact.

The bot trades the ChurnStrategy (an entry or an exit on most candles) on the simulated exchange
at 600× speed. Kills are aimed, not only random; each round has a target:

* random — after a random delay (0.05–2 s) from the start;
* start_up — frozen at random instants from its start until one falls before it logs that
  it started, i.e. while it recovers from the previous kill (schema check, loading the open
  trades, re-taking open orders, looking up unacknowledged ones);
* unacknowledged — the bot is frozen (SIGSTOP) right after its log or its SQLite WAL moves, and
  killed only if the database then holds an order of this run that is committed but has no
  exchange id yet (placed locally, not acknowledged); else it is thawed and watched again;
* in_transaction — frozen at such moments and at random instants until it holds an open write
  transaction (SQLite: the write lock is taken; PostgreSQL: its backend has a transaction id),
  i.e. it is killed between the first write of a unit of work and the end of its commit.

A round that does not find its moment within HUNT_SECONDS kills anyway and counts as a miss.
Where each kill landed is measured, not assumed: the freeze shows whether the bot was starting up
(recovering), busy (a thread running or in a non-waiting system call: mid-tick) or idle, and
whether it held a write transaction or an unacknowledged order.

After each kill a copy of the database files is checked (tests/consistency.py: no duplicate or
lost order, fills and closed trades only move forward, wallet equals the ledger of fills) while
the bot itself recovers the crashed originals on its next start. Restarts fork a pre-imported
interpreter (`Zygote`) that runs the `tradewind trade` command's `main()`: the bot's whole
start-up runs as usual, only the 1.5 s of imports per restart is saved. The last start is a
plain `python -m tradewind trade`, stopped with SIGTERM.

`bench/crash.py` runs the same campaign with more kills and prints the figures.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tests.botconfig import REPO
from tests.consistency import check_database
from tests.e2e.campaign import HEAD, CampaignReport, CrashCampaign
from tests.postgres import PostgresServer, postgres_server
from tradewind.persistence.database import Database as SchemaDatabase


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


def _assert_campaign(report: CampaignReport, kills: int) -> None:
    print("\n".join(report.lines()))
    assert len(report.kills) == kills and report.checks == kills + 1
    final = report.final
    assert final is not None and final.closed_count > 5, "the bot kept trading between kills"
    for kind in ("recovery", "unacknowledged", "in_transaction"):
        assert report.count(kind) >= kills // 6, f"too few kills landed {kind}"


@pytest.mark.slow
def test_50_sigkills_mid_order_and_mid_commit_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    report = CrashCampaign(tmp_path).run(50)
    _assert_campaign(report, 50)
    assert report.count("mid_tick") >= 10 and report.count("idle") >= 1


@pytest.mark.slow
@pytest.mark.postgres
def test_sigkills_on_postgresql_lose_and_duplicate_nothing(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    report = CrashCampaign(tmp_path, postgres.create_database("crash"), seed=7).run(12)
    _assert_campaign(report, 12)


# -- a kill during a schema migration -----------------------------------------------------------
MIGRATE_AND_DIE = r"""
import os, signal, sys
from alembic import command
from sqlalchemy import event
from tradewind.persistence.database import Database, alembic_config
url, start, fatal = sys.argv[1:]
if start != "empty":
    command.upgrade(alembic_config(url), start)
db = Database(url)

@event.listens_for(db.engine, "before_cursor_execute")
def die(connection, cursor, statement, parameters, context, executemany):
    if statement.lstrip().startswith(fatal):
        os.kill(os.getpid(), signal.SIGKILL)

db.migrate()
"""
"""Migrates `url` from `start` and SIGKILLs itself just before the statement `fatal`."""


@pytest.mark.parametrize(
    ("start", "fatal"),
    [
        ("empty", "CREATE TABLE trades"),  # halfway through the first revision
        ("empty", "ALTER TABLE trades"),  # the first revision done, the second half done
        ("0001", "ALTER TABLE trades"),  # an upgrade of a populated database, half done
    ],
)
def test_a_kill_during_a_migration_leaves_a_schema_the_next_start_completes(
    tmp_path: Path, start: str, fatal: str
) -> None:
    url = f"sqlite:///{tmp_path / 'tradesv3.sqlite'}"
    died = subprocess.run([sys.executable, "-c", MIGRATE_AND_DIE, url, start, fatal], check=False)
    assert died.returncode == -signal.SIGKILL
    db = SchemaDatabase(url)
    assert db.schema_revision() == (None if start == "empty" else start)  # nothing half-done
    db.migrate()
    assert db.schema_revision() == HEAD
    db.dispose()
    check_database(url, Decimal(1))


# -- a kill between an order's end and its consequence ------------------------------------------
TIMEOUT_AND_DIE = r"""
import asyncio, os, signal, sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tests.botconfig import bot_config, loaded
from tradewind.app import build
from tradewind.domain.clock import ManualClock
from tradewind.domain.events import TradeEvent
from tradewind.engine.entries import EntryOrder

config = bot_config(
    Path(sys.argv[1]), force_entry_enable=True,
    unfilledtimeout={"entry": 10, "exit": 10, "unit": "minutes"},
    exchange={"simulation": {"warmup_candles": 300}},
)
clock = ManualClock(datetime(2018, 1, 15, tzinfo=UTC))
app = build(loaded(config), clock=clock)

def die_at_the_cancel(event):  # published after the cancellation, before the trade's removal
    if isinstance(event, TradeEvent) and event.kind == "entry_cancel":
        os.kill(os.getpid(), signal.SIGKILL)

async def rest_then_time_out():
    await app.engine.start_up()
    last = (await app.exchange.fetch_ticker("ETH/BTC")).last
    request = EntryOrder("ETH/BTC", price=last / 2, order_type="limit", forced=True)
    await app.engine.force_enter(request)  # far below the market: it rests
    app.events.subscribe(die_at_the_cancel)
    clock.advance(timedelta(minutes=15))
    await app.engine.tick()

asyncio.run(rest_then_time_out())
"""
"""Rests an entry order, lets it time out and SIGKILLs itself as the cancellation is announced."""


def test_a_kill_as_an_unfilled_entry_is_cancelled_leaves_no_trade_without_a_position(
    tmp_path: Path,
) -> None:
    died = subprocess.run(
        [sys.executable, "-c", TIMEOUT_AND_DIE, str(tmp_path)], cwd=REPO, check=False
    )
    assert died.returncode == -signal.SIGKILL
    snapshot = check_database(f"sqlite:///{tmp_path / 'tradesv3.dryrun.sqlite'}", Decimal(1))
    assert snapshot.order_count == 1  # the entry: still open (to sync again), or gone with it
