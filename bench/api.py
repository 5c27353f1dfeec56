"""API requests/s and p50/p99 latency at concurrency 16, bot idle and bot busy.

A real `tradewind trade` process serves the API; its database is seeded beforehand with 500
closed and 20 open trades (through the persistence layer). The market has 100 pairs generated
by the simulated exchange's seeded price model (COIN001/BTC … COIN100/BTC):

* idle — the market clock barely moves (speed 0.01): no new candles, nothing to analyse;
  the loop still runs every second (orders, exits, entries for 20 open trades);
* busy — speed 300 and `process_only_new_candles: false`: every loop iteration (1 s throttle)
  analyses all 100 pairs with the sample strategy.

Each endpoint gets a warm-up, then `--seconds` of 16 concurrent clients (aiohttp, JWT bearer
like FreqUI). The load generator shares the machine with the bot.

    python bench/api.py [--seconds 5] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.botconfig import TEST_PASSWORD, bot_config, loaded
from tests.integration.soak.harness import ENDPOINTS  # the API issue's latency aims
from tests.unit.services.builders import closed_trade, open_trade

from tradewind.app import build
from tradewind.domain.money import round_to_step
from tradewind.persistence.repositories import TradeRepository

PAIRS = [f"COIN{i:03d}/BTC" for i in range(1, 101)]
OPEN_TRADES = 20
CLOSED_TRADES = 500
SCENARIOS = {
    "idle": {"speed": 0.01, "process_only_new_candles": True},
    "busy": {"speed": 300, "process_only_new_candles": False},
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def config_for(workdir: Path, port: int, scenario: dict[str, Any]) -> dict[str, Any]:
    config = bot_config(
        workdir,
        initial_state="running",
        max_open_trades=OPEN_TRADES,
        stake_amount=0.01,
        dry_run_wallet=10,
        process_only_new_candles=scenario["process_only_new_candles"],
        # the 20 open trades stay open (no ROI, stoploss, trailing or exit-signal exits) and
        # fill every slot, so the open-trade set is the same in both runs
        minimal_roi={"0": 100},
        stoploss=-0.99,
        trailing_stop=False,
        use_exit_signal=False,
        internals={"process_throttle_secs": 1, "heartbeat_interval": 0},
        api_server={"listen_port": port, "verbosity": "error"},
    )
    config["exchange"]["pair_whitelist"] = PAIRS
    config["exchange"]["simulation"].update(
        source="generate", speed=scenario["speed"], warmup_candles=600, seed=11
    )
    return config


async def _market_prices(app: Any, pairs: list[str]) -> dict[str, Decimal]:
    await app.exchange.load_markets()
    return {pair: Decimal(str((await app.exchange.fetch_ticker(pair)).last)) for pair in pairs}


def _amount_for(market: Any, price: Decimal, stake: Decimal) -> str:
    amount = round_to_step(stake / price, market.amount_step, up=True)
    if market.min_amount is not None:
        amount = max(amount, market.min_amount)
    return str(amount)


def seed_database(config: dict[str, Any]) -> None:
    """500 closed trades over the last year and 20 filled open trades at market prices."""
    app = build(loaded(config))
    open_pairs = PAIRS[50 : 50 + OPEN_TRADES]
    prices = asyncio.run(_market_prices(app, open_pairs))
    session = app.session
    repo = TradeRepository(session)
    now = datetime.now(UTC)
    for number in range(CLOSED_TRADES):
        opened = now - timedelta(days=365) + timedelta(minutes=997 * number)
        sell = f"{0.05 * (0.97 + (number * 37 % 80) / 1000):.6f}"
        repo.add(
            closed_trade(
                PAIRS[number % 50],
                "0.05",
                sell,
                opened=opened,
                hours=1 + number % 7,
                amount="0.2",
                enter_tag=("a", "b", None)[number % 3],
                exit_reason=("roi", "stop_loss", "exit_signal")[number % 3],
            )
        )
    for pair in open_pairs:
        price = prices[pair]
        amount = _amount_for(app.exchange.markets[pair], price, Decimal("0.01"))
        repo.add(open_trade(pair, str(price), opened=now - timedelta(hours=2), amount=amount))
    session.commit()
    app.session.close()
    app.db.dispose()


@dataclass
class Bot:
    process: subprocess.Popen[bytes]
    base: str
    log: Path


LAUNCHER = """
import gc, sys
interval, freeze = sys.argv[1], sys.argv[2] == "freeze"
if interval != "default":
    sys.setswitchinterval(float(interval))
import tradewind.cli.trade as trade
from tradewind.cli import main
if freeze:
    run_engine = trade.run_engine

    async def frozen_run_engine(app, stop):  # after build: the bot's long-lived objects
        gc.collect()
        gc.freeze()
        return await run_engine(app, stop)

    trade.run_engine = frozen_run_engine
sys.exit(main(sys.argv[3:]))
"""
"""Runs the bot with process-wide settings the composition root does not make (yet)."""


@contextlib.contextmanager
def running_bot(
    workdir: Path,
    config: dict[str, Any],
    switch_interval: float | None = None,
    gc_freeze: bool = False,
) -> Iterator[Bot]:
    path = workdir / "config.json"
    path.write_text(json.dumps(config))
    log = workdir / "bot.log"
    command = ["-m", "tradewind"]
    if switch_interval is not None or gc_freeze:  # experiments, see LAUNCHER
        interval = "default" if switch_interval is None else str(switch_interval)
        command = ["-c", LAUNCHER, interval, "freeze" if gc_freeze else "no-freeze"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, *command, "trade", "-c", str(path)],
            cwd=workdir,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    port = config["api_server"]["listen_port"]
    try:
        yield Bot(process, f"http://127.0.0.1:{port}", log)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


async def wait_until_ready(
    session: aiohttp.ClientSession, bot: Bot, headers: dict[str, str]
) -> None:
    """Bounded poll: the API answers and COIN001/BTC has 500 analysed candles."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if bot.process.poll() is not None:
            raise SystemExit(f"bot exited:\n{bot.log.read_text()[-3000:]}")
        with contextlib.suppress(aiohttp.ClientError):
            async with session.get(bot.base + ENDPOINTS["pair_candles"], headers=headers) as r:
                if r.status == 200 and (await r.json())["length"] == 500:
                    return
        await asyncio.sleep(0.5)
    raise SystemExit("the bot did not get ready in 120 s")


async def token(session: aiohttp.ClientSession, bot: Bot) -> dict[str, str]:
    deadline = time.monotonic() + 60
    while True:
        try:
            async with session.post(
                bot.base + "/api/v1/token/login",
                headers={"Authorization": aiohttp.encode_basic_auth("tradewind", TEST_PASSWORD)},
                json={},
            ) as response:
                body = await response.json()
                return {"Authorization": f"Bearer {body['access_token']}"}
        except aiohttp.ClientError:
            if time.monotonic() > deadline or bot.process.poll() is not None:
                raise
            await asyncio.sleep(0.3)


async def hammer(
    session: aiohttp.ClientSession,
    url: str,
    headers: dict[str, str],
    concurrency: int,
    seconds: float,
) -> tuple[float, list[float], int]:
    """(requests/s, latencies in s, non-200 count) of `concurrency` clients for `seconds`."""
    latencies: list[float] = []
    failures = 0
    stop_at = time.perf_counter() + seconds

    async def client() -> None:
        nonlocal failures
        while time.perf_counter() < stop_at:
            began = time.perf_counter()
            async with session.get(url, headers=headers) as response:
                await response.read()
                if response.status != 200:
                    failures += 1
            latencies.append(time.perf_counter() - began)

    began = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(concurrency)))
    return len(latencies) / (time.perf_counter() - began), latencies, failures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def ticks_per_second(
    session: aiohttp.ClientSession, bot: Bot, headers: dict[str, str]
) -> float:
    """How often the loop completed an iteration over 5 s (from /health)."""
    seen: set[str] = set()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        async with session.get(bot.base + "/api/v1/health", headers=headers) as response:
            seen.add((await response.json())["last_process"])
        await asyncio.sleep(0.05)
    return (len(seen) - 1) / 5


async def measure(
    bot: Bot, concurrency: int, seconds: float
) -> tuple[dict[str, tuple[float, float, float, int]], float]:
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        headers = await token(session, bot)
        await wait_until_ready(session, bot, headers)
        loop_rate = await ticks_per_second(session, bot, headers)
        results: dict[str, tuple[float, float, float, int]] = {}
        for name, path in ENDPOINTS.items():
            url = bot.base + path
            await hammer(session, url, headers, concurrency, 1.0)  # warm-up
            rate, latencies, failures = await hammer(session, url, headers, concurrency, seconds)
            results[name] = (
                rate,
                statistics.median(latencies) * 1000,
                percentile(latencies, 0.99) * 1000,
                failures,
            )
        return results, loop_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    parser.add_argument(
        "--switch-interval",
        type=float,
        help="run the bot with sys.setswitchinterval(SECONDS) (default: Python's 0.005)",
    )
    parser.add_argument(
        "--gc-freeze",
        action="store_true",
        help="gc.freeze() the built bot before its loop starts (no 100+ ms full collections)",
    )
    args = parser.parse_args()
    print(
        f"machine: {os.cpu_count()} cores; concurrency {args.concurrency}, "
        f"{args.seconds:.0f} s per endpoint; {OPEN_TRADES} open + {CLOSED_TRADES} closed trades, "
        f"{len(PAIRS)} pairs\n"
    )
    rows: list[tuple[str, str, tuple[float, float, float, int]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        seeded = Path(tmp) / "seed"
        seeded.mkdir()
        seed_database(config_for(seeded, free_port(), SCENARIOS["idle"]))
        for name in args.scenarios:
            workdir = Path(tmp) / name
            workdir.mkdir()
            port = free_port()
            config = config_for(workdir, port, SCENARIOS[name])
            shutil.copy(seeded / "tradesv3.dryrun.sqlite", workdir / "tradesv3.dryrun.sqlite")
            with running_bot(workdir, config, args.switch_interval, args.gc_freeze) as bot:
                results, loop_rate = asyncio.run(measure(bot, args.concurrency, args.seconds))
            print(f"{name}: loop iterations/s during the run: {loop_rate:.2f}")
            rows += [(name, endpoint, figures) for endpoint, figures in results.items()]
    print()
    print(f"{'bot':<5} {'endpoint':<17} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'non-200':>8}")
    for scenario, endpoint, (rate, p50, p99, failures) in rows:
        print(f"{scenario:<5} {endpoint:<17} {rate:>8.0f} {p50:>8.1f} {p99:>8.1f} {failures:>8}")
    print(
        "\naims (busy): p99 < 50 ms for every endpoint; profit and trades within 3x of ping's req/s"
    )


if __name__ == "__main__":
    main()
