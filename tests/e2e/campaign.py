"""The SIGKILL campaign: start a churning bot, aim a kill, check its books, again (see
tests/e2e/test_crash_recovery.py for what is aimed at and why)."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from alembic.script import ScriptDirectory

from tests.botconfig import REPO, bot_config, write_config
from tests.consistency import Snapshot, check_database, check_nothing_lost
from tests.e2e.frozen import Changes, PostgresProbe, Probe, SqliteProbe, Zygote, alive, busy, freeze
from tests.processes import kill, start_bot, wait_for
from tradewind.persistence.database import Database as SchemaDatabase
from tradewind.persistence.database import alembic_config

HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
TARGETS = ("random", "unacknowledged", "in_transaction", "start_up")
HUNT_SECONDS = 8.0
TAKE = 0.5  # share of the moments found that are taken: the rest spread kills over the run
STARTED = "Bot started in state"


@dataclass
class Observation:
    """Where a kill landed (seen while the bot was frozen)."""

    recovering: bool = False
    busy: bool | None = None
    writing: bool = False
    unacknowledged: set[str] = field(default_factory=set)
    missed: bool = False

    def hits(self, target: str) -> bool:
        if target == "unacknowledged":
            return bool(self.unacknowledged)
        if target == "start_up":
            return self.recovering
        return target != "in_transaction" or self.writing

    def kinds(self) -> list[str]:
        working = self.busy or self.writing or bool(self.unacknowledged)
        found = ["recovery" if self.recovering else "mid_tick" if working else "idle"]
        found += ["unacknowledged"] * bool(self.unacknowledged)
        found += ["in_transaction"] * self.writing
        return found


@dataclass
class KillRecord:
    target: str
    kinds: list[str]
    missed: bool
    orders: int
    trades: int
    filled_orders: int
    open_orders: int
    unacknowledged: int
    closed_trades: int
    seconds: float  # from the start to the kill


@dataclass
class CampaignReport:
    backend: str
    kills: list[KillRecord] = field(default_factory=list)
    checks: int = 0
    seconds: float = 0.0
    final: Snapshot | None = None

    def _last_kill(self) -> str:
        if not self.kills:
            return "  no kill"
        last = self.kills[-1]
        return (
            f"  at the last kill: {last.orders} orders, {last.trades} trades, "
            f"{last.filled_orders} filled orders"
        )

    def count(self, kind: str) -> int:
        return sum(kind in k.kinds for k in self.kills)

    def lines(self) -> list[str]:
        targets = Counter(k.target for k in self.kills)
        missed = Counter(k.target for k in self.kills if k.missed)
        final = self.final or Snapshot()
        kinds = ("recovery", "mid_tick", "idle", "unacknowledged", "in_transaction")
        with_open = sum(k.open_orders > 0 for k in self.kills)
        return [
            f"{self.backend}: {len(self.kills)} SIGKILLs survived in {self.seconds:.0f} s, "
            f"{self.checks} database checks passed",
            "  aimed at: " + ", ".join(f"{t} {targets[t]} (missed {missed[t]})" for t in TARGETS),
            "  landed:   " + ", ".join(f"{k} {self.count(k)}" for k in kinds),
            f"  kills with open orders in the database: {with_open}",
            self._last_kill(),
            f"  after the final clean run: {final.order_count} orders, {final.trade_count} "
            f"trades ({final.closed_count} closed), {final.filled_count} filled orders",
        ]


class Database:
    """The bot's database as the campaign sees it: probe it, check a crashed copy of it."""

    def __init__(self, url: str, workdir: Path) -> None:
        self.url = url
        self.file = Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite") else None
        self.copies = workdir / "checked"

    def watched_files(self) -> list[Path]:
        return [] if self.file is None else [self.file.with_name(self.file.name + "-wal")]

    def probe(self) -> Probe | None:
        if self.file is None:
            return PostgresProbe(self.url)
        return SqliteProbe(self.file) if self.file.exists() else None

    def check(self) -> Snapshot:
        """Check a copy of the crashed files (the bot recovers the originals itself)."""
        url = self.url
        if self.file is not None:
            shutil.rmtree(self.copies, ignore_errors=True)
            self.copies.mkdir()
            for suffix in ("", "-wal"):
                source = self.file.with_name(self.file.name + suffix)
                if source.exists():
                    shutil.copy(source, self.copies / source.name)
            url = f"sqlite:///{self.copies / self.file.name}"
        if _revision(url) != HEAD:  # killed before its first migration committed
            assert _revision(url) is None, f"half-migrated database: {_revision(url)}"
            return Snapshot()
        return check_database(url, Decimal(1))


def _revision(url: str) -> str | None:
    db = SchemaDatabase(url)
    try:
        return db.schema_revision()
    finally:
        db.dispose()


# -- the campaign --------------------------------------------------------------------------------
def crash_config(tmp_path: Path, db_url: str | None = None) -> Path:
    config = bot_config(
        tmp_path,
        strategy="ChurnStrategy",
        strategy_path=str(REPO / "tests" / "fixtures" / "strategies"),
        api_server={"enabled": False},
        exchange={"simulation": {"speed": 600, "warmup_candles": 100}},
        max_open_trades=6,
        stake_amount=0.05,
        exit_pricing={"price_side": "other"},
    )
    if db_url is not None:
        config["db_url"] = db_url
    return write_config(tmp_path / "config.json", config)


class CrashCampaign:
    """Start, aim, kill, check — `kills` times — then one clean run through the real CLI."""

    def __init__(self, workdir: Path, db_url: str | None = None, seed: int = 20260101) -> None:
        self.workdir = workdir
        self.config = crash_config(workdir, db_url)
        self.db = Database(db_url or f"sqlite:///{workdir / 'tradesv3.dryrun.sqlite'}", workdir)
        self.log = workdir / "bot.log"
        self.rng = random.Random(seed)
        self.report = CampaignReport("postgresql" if db_url else "sqlite")
        self.previous = Snapshot()

    def run(self, kills: int) -> CampaignReport:
        began = time.monotonic()
        zygote = Zygote()
        try:
            for number in range(kills):
                self._round(zygote, TARGETS[number % len(TARGETS)])
        finally:
            zygote.close()
        self._clean_run()
        self.report.seconds = time.monotonic() - began
        return self.report

    def _round(self, zygote: Zygote, target: str) -> None:
        offset = self.log.stat().st_size if self.log.exists() else 0
        began = time.monotonic()
        pid = zygote.start(self.config, self.log)
        seen = self._hunt(pid, target, offset)
        seconds = time.monotonic() - began
        code = zygote.reap(pid)
        assert code == -signal.SIGKILL, f"bot exited with {code}:\n{self._tail()}"
        snapshot = self._check()
        self.report.kills.append(
            KillRecord(
                target, seen.kinds(), seen.missed, snapshot.order_count, snapshot.trade_count,
                snapshot.filled_count, snapshot.open_order_count, len(snapshot.unacknowledged),
                snapshot.closed_count, seconds,
            )
        )  # fmt: skip

    def _check(self) -> Snapshot:
        snapshot = self.db.check()
        check_nothing_lost(self.previous, snapshot)
        assert not snapshot.filled_orphans, f"fills without a trade: {snapshot.filled_orphans}"
        self.report.checks += 1
        self.previous = snapshot
        return snapshot

    def _hunt(self, pid: int, target: str, offset: int) -> Observation:
        """Freeze the bot at the moment `target` asks for, then SIGKILL it."""
        if target == "random":
            self._pause(pid, self.rng.uniform(0.05, 2.0))
            return self._kill(pid, self._freeze(pid, offset))
        if target != "start_up":
            wait_for(lambda: self._started(pid, offset), 60, "the bot to start")
        changes = Changes([self.log, *self.db.watched_files()])
        deadline = time.monotonic() + HUNT_SECONDS
        next_random = 0.0
        while time.monotonic() < deadline:
            assert alive(pid), f"the bot died by itself:\n{self._tail()}"
            now = time.monotonic()
            if not changes.seen() and now < next_random:
                time.sleep(0.0003)
                continue
            next_random = now + self.rng.uniform(0.002, 0.03)
            seen = self._freeze(pid, offset)
            if seen.hits(target) and self.rng.random() < TAKE:
                return self._kill(pid, seen)
            if target == "start_up" and not seen.recovering:
                break  # started before a moment was taken
            os.kill(pid, signal.SIGCONT)
            changes.seen()
        seen = self._freeze(pid, offset)  # no-op if it is frozen already
        seen.missed = True
        return self._kill(pid, seen)

    def _pause(self, pid: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert alive(pid), f"the bot died by itself:\n{self._tail()}"
            time.sleep(0.02)  # the random kill delay, polled for an early death

    def _started(self, pid: int, offset: int) -> bool:
        assert alive(pid), f"the bot died by itself:\n{self._tail()}"
        with self.log.open("rb") as log:
            log.seek(offset)
            return STARTED.encode() in log.read()

    def _freeze(self, pid: int, offset: int) -> Observation:
        freeze(pid)
        recovering = not self._started(pid, offset)
        # Not probed during start-up: SQLite may be rebuilding its WAL index there, and a
        # reader then retries for seconds against the frozen bot.
        probe = None if recovering else self.db.probe()
        if probe is None:
            return Observation(recovering=recovering, busy=busy(pid))
        try:
            new = probe.unacknowledged() - self.previous.unacknowledged
            return Observation(recovering, busy(pid), probe.writing(), new)
        finally:
            probe.close()  # before the kill: the last connection to close would checkpoint

    def _kill(self, pid: int, seen: Observation) -> Observation:
        os.kill(pid, signal.SIGKILL)  # also ends a stopped process, at the instruction it froze
        return seen

    def _clean_run(self) -> None:
        """The real CLI recovers the last crash, resolves every unacknowledged order, trades on."""
        floor = self.previous.order_count
        process = start_bot(self.config, self.log)
        try:
            wait_for(lambda: self._trading_again(process, floor), 90, "trading after the kills")
        finally:
            code = kill(process, signal.SIGTERM)
        assert code == 0, self._tail()
        final = self._check()
        assert not final.unacknowledged, f"unresolved after restart: {final.unacknowledged}"
        self.report.final = final
        text = self.log.read_text(errors="replace")  # every run, killed ones included
        assert "Traceback" not in text and " - ERROR - " not in text, text[-3000:]

    def _trading_again(self, process: subprocess.Popen[bytes], floor: int) -> bool:
        """New orders placed and every unacknowledged one resolved (read while it runs)."""
        assert process.poll() is None, f"bot exited with {process.returncode}:\n{self._tail()}"
        probe = self.db.probe()
        assert probe is not None
        try:
            return probe.order_count() > floor + 2 and not probe.unacknowledged()
        finally:
            probe.close()

    def _tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
