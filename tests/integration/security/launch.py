"""Start a real `tradewind trade` process with any config change, for the security and bad-input
tests (the API tests' ``bot_process`` fixes the ``api_server`` section)."""

from __future__ import annotations

import copy
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from fastapi.routing import APIRoute, APIWebSocketRoute
from starlette.routing import Route

from tests.botconfig import write_config
from tests.integration.api.botprocess import (
    START_TIMEOUT,
    STOP_TIMEOUT,
    LiveBot,
    free_port,
    live_config,
    wait_for,
)
from tests.processes import stop_gently
from tradewind.api.app import create_app, flat_routes
from tradewind.cli.webserver import webserver_context
from tradewind.config import load_config
from tradewind.domain.enums import RunMode
from tradewind.logs import LogBuffer

READONLY_USER = "viewer"
READONLY_PASSWORD = "viewer-password-456"
ORIGIN = "http://ui.example:8080"


def merged(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` merged in at every depth (a ``None`` value removes the key)."""
    result = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def bot_settings(tmp_path: Path, port: int, **changes: Any) -> dict[str, Any]:
    """The API tests' live config (simulated exchange, 1 s loop) with ``changes`` merged in."""
    return merged(live_config(tmp_path, port, "info"), changes)


def _answers(bot: LiveBot) -> bool:
    if bot.process.poll() is not None:
        raise AssertionError(f"the bot exited with {bot.process.returncode}:\n{bot.log()}")
    try:
        return bot.session.get(bot.url("/ping"), timeout=1).status_code == 200
    except requests.RequestException:
        return False


def wait_until_answering(bot: LiveBot, timeout: float = START_TIMEOUT) -> None:
    """Bounded wait for ``/ping`` (fails at once if the process died)."""
    wait_for(lambda: _answers(bot), timeout, "the API to answer /ping")


@contextmanager
def started_bot(tmp_path: Path, **changes: Any) -> Iterator[LiveBot]:
    """A running bot with ``changes`` merged into its config; SIGTERM (then SIGKILL) at the end."""
    port = free_port()
    config_path = write_config(tmp_path / "config.json", bot_settings(tmp_path, port, **changes))
    log_path = tmp_path / "bot.log"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "tradewind", "trade", "-c", str(config_path)],
            cwd=tmp_path, stdout=log_file, stderr=subprocess.STDOUT, env=env,
        )  # fmt: skip
    bot = LiveBot(process, f"http://127.0.0.1:{port}", log_path, requests.Session())
    try:
        wait_until_answering(bot)
        yield bot
    finally:
        bot.session.close()
        stop_gently(process, STOP_TIMEOUT)


def run_to_exit(tmp_path: Path, config: dict[str, Any], timeout: float = 60) -> tuple[int, str]:
    """Run `tradewind trade -c <config>` expecting it to stop by itself: (exit code, output)."""
    path = write_config(tmp_path / "config.json", config)
    result = subprocess.run(
        [sys.executable, "-m", "tradewind", "trade", "-c", str(path)],
        capture_output=True, text=True, timeout=timeout, cwd=tmp_path, check=False,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )  # fmt: skip
    return result.returncode, result.stdout + result.stderr


def app_routes(bot: LiveBot) -> list[tuple[str, set[str], str]]:
    """``(kind, methods, path)`` of every route of an app built from the bot's own config:
    kind ``"ws"`` (methods ``{"WS"}``) or ``"http"`` (HEAD only where it is the only one)."""
    config = load_config([bot.log_path.parent / "config.json"], runmode=RunMode.WEBSERVER).config
    app = create_app(webserver_context(config, LogBuffer()))
    routes = []
    for route, path in flat_routes(app):
        if isinstance(route, APIWebSocketRoute):
            routes.append(("ws", {"WS"}, path))
        elif isinstance(route, APIRoute | Route):
            methods = set(route.methods or ())
            routes.append(("http", methods - {"HEAD"} or methods, path))
        else:
            raise AssertionError(f"unknown kind of route {route!r} at {path}")
    return routes
