"""A real `tradewind trade` subprocess on the simulated exchange, for the browser tests."""

from __future__ import annotations

import base64
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tradewind.exchange.simulated import packaged_data_dir

USERNAME = "ui-tester"
PASSWORD = "correct horse battery staple"
WHITELIST = ["ETH/BTC", "LTC/BTC", "XMR/BTC", "ADA/BTC"]
STARTUP_TIMEOUT_S = 45.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def bot_config(directory: Path, port: int) -> dict[str, Any]:
    """Dry-run, simulated exchange at 300x speed (a 5m candle per second), force entry on."""
    return {
        "bot_name": "ui-e2e",
        "max_open_trades": 10,
        "stake_currency": "BTC",
        "stake_amount": 0.01,
        "tradable_balance_ratio": 0.99,
        "dry_run": True,
        "dry_run_wallet": 1,
        "timeframe": "5m",
        "initial_state": "running",
        "force_entry_enable": True,
        "exchange": {
            "name": "simulated",
            "pair_whitelist": WHITELIST,
            "pair_blacklist": [],
            "simulation": {"speed": 300, "warmup_candles": 1100},
        },
        "pairlists": [{"method": "StaticPairList"}],
        "entry_pricing": {"price_side": "same"},
        "exit_pricing": {"price_side": "same"},
        "api_server": {
            "enabled": True,
            "listen_ip_address": "127.0.0.1",
            "listen_port": port,
            "verbosity": "error",
            "jwt_secret_key": "ui-e2e-0123456789abcdef0123456789abcdef",
            "CORS_origins": [],
            "username": USERNAME,
            "password": PASSWORD,
        },
        "internals": {"process_throttle_secs": 1},
        "strategy": "SampleStrategy",
        "db_url": f"sqlite:///{directory / 'trades.sqlite'}",
        "user_data_dir": str(directory / "user_data"),
    }


@dataclass
class BotProcess:
    """A running bot: its URL, credentials and process."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    username: str = USERNAME
    password: str = PASSWORD

    def api(self, path: str) -> Any:
        """GET an API route with HTTP Basic auth (for test set-up, not for what the UI shows)."""
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}", headers={"Authorization": f"Basic {token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def log_tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def _pong(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/v1/ping", timeout=2) as response:
            return bool(json.load(response).get("status") == "pong")
    except (OSError, urllib.error.URLError, ValueError):
        return False


def store_candles(datadir: Path) -> None:
    """Put the packaged sample candles (January 2018) where `pair_history` reads stored data."""
    datadir.mkdir(parents=True, exist_ok=True)
    for pair in WHITELIST:
        name = f"{pair.replace('/', '_')}-5m.feather"
        shutil.copy(packaged_data_dir() / name, datadir / name)


def start_bot(directory: Path) -> BotProcess:
    """Start the bot and wait (bounded) until /api/v1/ping answers; fail with its log if not."""
    store_candles(directory / "user_data" / "data" / "simulated")
    port = free_port()
    config_path = directory / "config.json"
    config_path.write_text(json.dumps(bot_config(directory, port), indent=2))
    log_path = directory / "bot.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tradewind", "trade", "-c", str(config_path)],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=directory,
        )
    bot = BotProcess(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the bot exited with {process.returncode}:\n{bot.log_tail()}")
        if _pong(bot.url):
            return bot
        time.sleep(0.25)
    bot.stop()
    raise RuntimeError(f"no /api/v1/ping answer within {STARTUP_TIMEOUT_S} s:\n{bot.log_tail()}")
