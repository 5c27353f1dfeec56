"""Start tradewind as a real process for tests, and wait for things with bounded polls."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_bot(config: Path, log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """`python -m tradewind trade -c config`, output appended to `log`."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "tradewind", "trade", "-c", str(config), *extra],
            cwd=config.parent, stdout=out, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip


def kill(process: subprocess.Popen[bytes], sig: int = signal.SIGKILL, timeout: float = 20) -> int:
    if process.poll() is None:
        process.send_signal(sig)
    return process.wait(timeout=timeout)


def stop_gently(process: subprocess.Popen[bytes], timeout: float = 15.0) -> None:
    """SIGTERM a process still running; SIGKILL it if it has not exited within `timeout`."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout)


def wait_for(check: Callable[[], T | None], timeout: float, what: str, every: float = 0.1) -> T:
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
        except AssertionError:
            raise
        except Exception:  # the thing polled may not exist yet
            result = None
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)
