"""Start-up time and memory of tradewind, measured against Freqtrade on the same market.

Both bots run the same Freqtrade-style strategy file (tests/fixtures/strategies/
leader_strategy.py — tradewind loads Freqtrade strategies unchanged) in dry-run with the REST
API on, against the local Binance stub (real ccxt on both sides). tradewind is also measured
on its default, the offline simulated exchange (no ccxt imported at all).

Measured per bot: seconds from process start until the API answers /ping, seconds until the
first loop iteration completed (/health last_process), RSS at that point and after --settle
seconds.

    python bench/footprint.py [--settle 30] [--freqtrade /path/to/freqtrade]

Freqtrade is optional: point --freqtrade at its executable (e.g. a venv with
`pip install freqtrade`); without it only tradewind is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.botconfig import REPO, SHARED_OHLCV, bot_config
from tests.processes import free_port
from tests.stubs.binance_stub.server import ccxt_urls

PAIRS = ["ETH/BTC", "LTC/BTC", "XMR/BTC", "ZEC/BTC", "DASH/BTC"]
STRATEGY_DIR = REPO / "tests" / "fixtures" / "strategies"
USER, PASSWORD = "bench", "bench-password-123"


def api_section(port: int) -> dict[str, Any]:
    return {
        "enabled": True,
        "listen_ip_address": "127.0.0.1",
        "listen_port": port,
        "username": USER,
        "password": PASSWORD,
        "verbosity": "error",
        "jwt_secret_key": "0123456789abcdef0123456789abcdef",
        "ws_token": "bench-ws-token",
        "CORS_origins": [],
        "enable_openapi": False,
    }


def stub_exchange(stub_url: str) -> dict[str, Any]:
    # Every binance endpoint → the stub (so nothing reaches the internet); spot markets only.
    ccxt = {**ccxt_urls(stub_url), "options": {"fetchMarkets": ["spot"]}}
    return {
        "name": "binance",
        "key": "",
        "secret": "",
        "pair_whitelist": PAIRS,
        "pair_blacklist": [],
        "ccxt_config": ccxt,
        "ccxt_async_config": ccxt,
    }


def freqtrade_config(workdir: Path, port: int, stub_url: str) -> dict[str, Any]:
    return {
        "max_open_trades": 3,
        "stake_currency": "BTC",
        "stake_amount": 0.01,
        "tradable_balance_ratio": 0.99,
        "dry_run": True,
        "dry_run_wallet": 1,
        "timeframe": "5m",
        "initial_state": "running",
        "strategy": "LeaderStrategy",
        "entry_pricing": {"price_side": "same", "use_order_book": False},
        "exit_pricing": {"price_side": "same", "use_order_book": False},
        "exchange": stub_exchange(stub_url),
        "pairlists": [{"method": "StaticPairList"}],
        "api_server": api_section(port),
        "db_url": f"sqlite:///{workdir / 'ft.sqlite'}",
        "internals": {"process_throttle_secs": 5},
        "bot_name": "freqtrade-bench",
    }


def tradewind_config(workdir: Path, port: int, stub_url: str | None) -> dict[str, Any]:
    config = bot_config(
        workdir,
        strategy="LeaderStrategy",
        strategy_path=str(STRATEGY_DIR),
        stake_amount=0.01,
        max_open_trades=3,
    )
    config["api_server"] = api_section(port)
    if stub_url is not None:
        config["exchange"] = stub_exchange(stub_url)
        config["internals"]["process_throttle_secs"] = 5
    return config


def measure(command: list[str], port: int, settle: float, log: Path) -> dict[str, float]:
    started = time.monotonic()
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, cwd=log.parent)
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        api_up = _until(lambda: requests.get(f"{base}/ping", timeout=1).ok, started, process)
        first_tick = _until(lambda: _ticked(base), started, process)
        rss_ready = psutil.Process(process.pid).memory_info().rss
        time.sleep(settle)
        rss_settled = psutil.Process(process.pid).memory_info().rss
    finally:
        process.terminate()
        process.wait(timeout=30)
    return {
        "api_s": api_up,
        "tick_s": first_tick,
        "rss_ready_mb": rss_ready / 2**20,
        "rss_settled_mb": rss_settled / 2**20,
    }


def _ticked(base: str) -> bool:
    answer = requests.get(f"{base}/health", auth=(USER, PASSWORD), timeout=1)
    return answer.ok and answer.json().get("last_process") is not None


def _until(
    check: Any, started: float, process: subprocess.Popen[bytes], limit: float = 120
) -> float:
    while time.monotonic() - started < limit:
        if process.poll() is not None:
            log = Path(process.args[-1]).with_suffix(".log") if process.args else None
            tail = log.read_text()[-1500:] if log and log.exists() else ""
            raise RuntimeError(f"bot exited early with {process.returncode}:\n{tail}")
        try:
            if check():
                return time.monotonic() - started
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise RuntimeError("timed out")


def run_bot(
    name: str, command: list[str], config: dict[str, Any], workdir: Path, port: int, settle: float
) -> dict[str, float]:
    path = workdir / f"{name}.json"
    path.write_text(json.dumps(config))
    (workdir / name).mkdir(exist_ok=True)
    return measure([*command, str(path)], port, settle, workdir / f"{name}.log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settle", type=float, default=30.0)
    parser.add_argument("--freqtrade", default=shutil.which("freqtrade"))
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        stub_port = free_port()
        stub = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.stubs.binance_stub",
                "--port",
                str(stub_port),
                "--data",
                str(SHARED_OHLCV),
                "--speed",
                "1",
            ],
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        stub_url = f"http://127.0.0.1:{stub_port}"
        try:
            _until(
                lambda: requests.get(f"{stub_url}/api/v3/ping", timeout=1).ok,
                time.monotonic(),
                stub,
            )
            tw = [sys.executable, "-m", "tradewind", "trade", "-c"]
            port = free_port()
            results["tradewind, simulated exchange"] = run_bot(
                "tw-sim",
                tw,
                tradewind_config(workdir / "tw-sim", port, None),
                workdir,
                port,
                args.settle,
            )
            port = free_port()
            results["tradewind, binance (stub) via ccxt"] = run_bot(
                "tw-ccxt",
                tw,
                tradewind_config(workdir / "tw-ccxt", port, stub_url),
                workdir,
                port,
                args.settle,
            )
            if args.freqtrade:
                port = free_port()
                ft = [
                    args.freqtrade,
                    "trade",
                    "--strategy-path",
                    str(STRATEGY_DIR),
                    "--userdir",
                    str(workdir / "ft_user"),
                    "-c",
                ]
                subprocess.run(
                    [args.freqtrade, "create-userdir", "--userdir", str(workdir / "ft_user")],
                    capture_output=True,
                    check=True,
                )
                results["freqtrade 2026.9, binance (stub)"] = run_bot(
                    "freqtrade",
                    ft,
                    freqtrade_config(workdir, port, stub_url),
                    workdir,
                    port,
                    args.settle,
                )
        finally:
            stub.terminate()
            stub.wait(timeout=10)
    print(f"machine: {os.cpu_count()} cores; RSS settled after {args.settle:.0f} s\n")
    print(f"{'bot':<36} {'API up':>8} {'1st loop':>9} {'RSS ready':>10} {'RSS settled':>12}")
    for name, r in results.items():
        print(
            f"{name:<36} {r['api_s']:>7.2f}s {r['tick_s']:>8.2f}s {r['rss_ready_mb']:>8.0f}MB "
            f"{r['rss_settled_mb']:>10.0f}MB"
        )


if __name__ == "__main__":
    main()
