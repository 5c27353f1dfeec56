"""Watching a bot process from outside: fork it fast, freeze it, see what it was doing."""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Protocol

from tests.botconfig import REPO

UNACKNOWLEDGED_SQL = (
    "SELECT client_order_id FROM orders WHERE order_id IS NULL AND ft_is_open = TRUE"
)
# System calls in which a thread waits (x86_64, aarch64): a bot whose threads all sit in one
# is idle between ticks; anything else (running code, writing the database …) is busy.
WAITING_SYSCALLS = {
    "x86_64": {"7", "23", "35", "202", "230", "232", "270", "271", "281", "441"},
    "aarch64": {"22", "72", "73", "98", "101", "115", "441"},
}

ZYGOTE = r"""
import contextlib, ctypes, os, signal, sys, traceback
import tradewind.app, tradewind.cli  # what every restart would import again (1.5 s of CPU)
with contextlib.suppress(ImportError):
    import psycopg
from tradewind.cli import main

def start(config, log):
    sys.stdout.flush()
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        with contextlib.suppress(OSError):  # die with the zygote (it exits when the test does)
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        out = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
        os.dup2(out, 1)
        os.dup2(out, 2)
        os.chdir(os.path.dirname(config))
        code = main(["trade", "-c", config])
    except BaseException:
        traceback.print_exc()
    finally:
        os._exit(code)

for line in sys.stdin:
    command, _, rest = line.rstrip("\n").partition(" ")
    if command == "start":
        print(start(*rest.split("\t")), flush=True)
    elif command == "reap":
        _, status = os.waitpid(int(rest), 0)
        print(os.waitstatus_to_exitcode(status), flush=True)
"""
"""Forks `tradewind trade` processes from an interpreter that has imported tradewind once."""


class Zygote:
    """Starts bots by fork (fast restarts); reaps them, since they are its children."""

    def __init__(self) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, env=env, cwd=REPO,
        )  # fmt: skip
        self.children: set[int] = set()

    def _ask(self, line: str, timeout: float) -> str:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        assert ready, f"the zygote did not answer {line!r} within {timeout} s"
        return self.process.stdout.readline().strip()

    def start(self, config: Path, log: Path) -> int:
        pid = int(self._ask(f"start {config}\t{log}", 60))
        self.children.add(pid)
        return pid

    def reap(self, pid: int) -> int:
        """Wait for a child that was killed (or is exiting); its exit code."""
        code = int(self._ask(f"reap {pid}", 30))
        self.children.discard(pid)
        return code

    def close(self) -> None:
        for pid in list(self.children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            self.reap(pid)
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(10)


# -- watching a frozen bot ---------------------------------------------------------------------
def _state(pid: int, tid: int | str) -> str:
    text = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
    return text.rsplit(")", 1)[1].split()[0]


def freeze(pid: int) -> None:
    """SIGSTOP, then wait (bounded) until every thread has stopped."""
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 5
    while True:
        states = [_state(pid, tid) for tid in os.listdir(f"/proc/{pid}/task")]
        if "Z" in states or all(s in "tT" for s in states):
            return
        assert time.monotonic() < deadline, f"bot {pid} does not stop: {states}"
        time.sleep(0.0001)


def alive(pid: int) -> bool:
    try:
        return _state(pid, pid) not in "ZX"
    except FileNotFoundError:
        return False


def busy(pid: int) -> bool | None:
    """Was any thread of the frozen bot running or in a non-waiting system call?"""
    waiting = WAITING_SYSCALLS.get(os.uname().machine)
    if waiting is None:
        return None
    for tid in os.listdir(f"/proc/{pid}/task"):
        call = Path(f"/proc/{pid}/task/{tid}/syscall").read_text().split(" ", 1)[0]
        if call not in waiting:
            return True
    return False


class Probe(Protocol):
    def writing(self) -> bool: ...

    def unacknowledged(self) -> set[str]: ...

    def order_count(self) -> int: ...

    def close(self) -> None: ...


class SqliteProbe:
    """A second connection: `BEGIN IMMEDIATE` fails at once while the bot holds the write lock
    ("database is locked"), or is frozen amid updating the WAL index ("locking protocol")."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, timeout=0, isolation_level=None)

    def writing(self) -> bool:
        try:
            self.connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if any(word in str(exc) for word in ("locked", "busy", "locking protocol")):
                return True
            raise
        self.connection.execute("ROLLBACK")
        return False

    def unacknowledged(self) -> set[str]:
        try:
            return {row[0] for row in self.connection.execute(UNACKNOWLEDGED_SQL)}
        except sqlite3.OperationalError:  # the schema is not there yet
            return set()

    def order_count(self) -> int:
        return int(self.connection.execute("SELECT count(*) FROM orders").fetchone()[0])

    def close(self) -> None:
        self.connection.close()


class PostgresProbe:
    """Another session: the bot's backend has a transaction id once it wrote, until commit."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url.replace("+psycopg", ""), autocommit=True)

    def writing(self) -> bool:
        row = self.connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        ).fetchone()
        return bool(row and row[0])

    def unacknowledged(self) -> set[str]:
        try:
            return {row[0] for row in self.connection.execute(UNACKNOWLEDGED_SQL)}
        except Exception:  # the schema is not there yet
            return set()

    def order_count(self) -> int:
        row = self.connection.execute("SELECT count(*) FROM orders").fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.connection.close()


class Changes:
    """Did any of these files change (size or mtime) since the last look?"""

    def __init__(self, paths: list[Path]) -> None:
        self.paths = paths
        self.last = self._stamp()

    def _stamp(self) -> tuple[tuple[int, int] | None, ...]:
        stamps = []
        for path in self.paths:
            try:
                status = path.stat()
                stamps.append((status.st_size, status.st_mtime_ns))
            except FileNotFoundError:
                stamps.append(None)
        return tuple(stamps)

    def seen(self) -> bool:
        stamp = self._stamp()
        changed, self.last = stamp != self.last, stamp
        return changed
