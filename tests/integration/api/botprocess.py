"""A real `tradewind trade` (or `webserver`) process on a free port, for tests over real HTTP.

The bot runs the simulated exchange replaying the shared sample data at 300× speed (a 5m candle
per wall-clock second) with a 1 s loop, so trades fill within a second or two.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import requests

from tests.botconfig import TEST_PASSWORD, bot_config, write_config
from tests.processes import stop_gently

T = TypeVar("T")

USER = "tradewind"
START_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def live_config(
    tmp_path: Path, port: int, verbosity: str = "info", **overrides: Any
) -> dict[str, Any]:
    config = bot_config(
        tmp_path,
        initial_state="running",
        force_entry_enable=True,
        max_open_trades=5,
        stake_amount=0.05,
        exchange={"simulation": {"speed": 300, "warmup_candles": 300}},
        internals={"process_throttle_secs": 1},
        api_server={"listen_port": port, "verbosity": verbosity},
    )
    config.update(overrides)
    return config


@dataclass
class LiveBot:
    """The process and how to talk to it."""

    process: subprocess.Popen[bytes]
    base: str
    log_path: Path
    session: requests.Session

    @property
    def auth(self) -> tuple[str, str]:
        return (USER, TEST_PASSWORD)

    def url(self, path: str) -> str:
        return f"{self.base}/api/v1{path}"

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.url(path), auth=self.auth, timeout=10, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.post(self.url(path), auth=self.auth, timeout=10, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.delete(self.url(path), auth=self.auth, timeout=10, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.session.request(
            method, self.url(path), auth=self.auth, timeout=10, **kwargs
        )
        assert response.status_code == 200, (method, path, response.status_code, response.text)
        return response.json()

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


def wait_for(check: Callable[[], T | None], timeout: float, what: str, step: float = 0.1) -> T:
    """Poll ``check`` until it returns something truthy (bounded: fails after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(step)


def _answers(bot: LiveBot) -> bool:
    if bot.process.poll() is not None:
        raise AssertionError(f"the bot exited with {bot.process.returncode}:\n{bot.log()}")
    try:
        return bot.session.get(bot.url("/ping"), timeout=1).status_code == 200
    except requests.RequestException:
        return False


@contextmanager
def bot_process(
    tmp_path: Path, *, command: str = "trade", verbosity: str = "info", **overrides: Any
) -> Iterator[LiveBot]:
    """Start the process, wait (bounded) until /ping answers, stop it with SIGTERM at the end."""
    port = free_port()
    config = live_config(tmp_path, port, verbosity, **overrides)
    config_path = write_config(tmp_path / "config.json", config)
    log_path = tmp_path / "bot.log"
    argv = [sys.executable, "-m", "tradewind", command, "-c", str(config_path)]
    if command == "webserver":
        argv = [sys.executable, "-c", _WEBSERVER_LAUNCHER, "-c", str(config_path)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            argv, cwd=tmp_path, stdout=log_file, stderr=subprocess.STDOUT, env=env
        )
    bot = LiveBot(process, f"http://127.0.0.1:{port}", log_path, requests.Session())
    try:
        wait_for(lambda: _answers(bot), START_TIMEOUT, "the API to answer /ping")
        yield bot
    finally:
        bot.session.close()
        stop_gently(process, STOP_TIMEOUT)


_WEBSERVER_LAUNCHER = """
import argparse, sys
from tradewind.cli import webserver
parser = argparse.ArgumentParser(prog="tradewind")
commands = parser.add_subparsers(dest="command")
webserver.register(commands)
args = parser.parse_args(["webserver", *sys.argv[1:]])
sys.exit(args.handler(args))
"""
"""Runs `tradewind webserver` whether or not the CLI has registered the command yet."""
