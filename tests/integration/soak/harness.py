"""Run a loaded bot for a while and measure it: RSS, API latencies, WebSocket delivery, log.

The bot is a real `python -m tradewind trade` process: 100 pairs on the simulated exchange
(the 10 pairs of the shared sample data replayed, 90 generated), the sample strategy, every
loop iteration a second; its database is seeded beforehand through the persistence layer with
5 000 closed and 50 open trades, so it trades on from there (exits free slots, entries fill
them). While it runs, a separate process holds the WebSocket subscribers and this one samples
the bot's RSS (psutil) and one request per endpoint every `every` seconds.

Used by tests/integration/soak/test_soak.py (short) and bench/soak.py (10 minutes).
"""

from __future__ import annotations

import asyncio
import math
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import orjson
import psutil
import requests

from tests.botconfig import REPO, TEST_PASSWORD, TEST_WS_TOKEN, bot_config, loaded, write_config
from tests.processes import free_port, kill, start_bot, wait_for
from tests.unit.services.builders import closed_trade, open_trade
from tradewind.app import Application, build
from tradewind.domain.money import round_to_step
from tradewind.domain.trade import Trade
from tradewind.persistence.repositories import TradeRepository
from tradewind.persistence.tables import orders, trades

REPLAYED = ["ADA/BTC", "DASH/BTC", "ETC/BTC", "ETH/BTC", "LTC/BTC",
            "NXT/BTC", "TRX/BTC", "XLM/BTC", "XMR/BTC", "ZEC/BTC"]  # fmt: skip
GENERATED = [f"COIN{i:03d}/BTC" for i in range(1, 91)]
PAIRS = REPLAYED + GENERATED
STAKE = Decimal("0.01")
# The endpoints of the API issue's latency aims (bench/api.py measures the same).
ENDPOINTS = {
    "ping": "/api/v1/ping",
    "status": "/api/v1/status",
    "trades?limit=500": "/api/v1/trades?limit=500",
    "profit": "/api/v1/profit",
    "pair_candles": "/api/v1/pair_candles?pair=COIN001/BTC&timeframe=5m&limit=500",
}
LEVELS = ("WARNING", "ERROR", "CRITICAL")
TOKEN_RENEWAL = 300.0  # seconds


def soak_config(workdir: Path, port: int, speed: float) -> dict[str, Any]:
    config = bot_config(
        workdir,
        initial_state="running",
        max_open_trades=50,
        stake_amount=float(STAKE),
        dry_run_wallet=10,
        internals={"process_throttle_secs": 1, "heartbeat_interval": 0},
        api_server={"listen_port": port, "verbosity": "error"},
        # a full candle cache from the start (1000 per pair): memory then has no reason to grow
        exchange={"simulation": {"source": "auto", "speed": speed, "warmup_candles": 1100}},
    )
    config["exchange"]["pair_whitelist"] = PAIRS
    return config


# -- seeding ---------------------------------------------------------------------------------------
def seed(config: dict[str, Any], open_count: int, closed_count: int) -> None:
    """`closed_count` closed trades over the past year (bulk inserts of rows that the domain
    model computed) and `open_count` open trades filled at the market's current prices."""
    app = build(loaded(config))
    try:
        now = app.clock.now()
        rows = [closed_trade(PAIRS[n % len(PAIRS)], "0.05",
                             f"{0.05 * (0.97 + (n * 37 % 80) / 1000):.6f}",
                             opened=now - timedelta(days=365) + timedelta(minutes=100 * n),
                             hours=1 + n % 7, amount="0.2",
                             exit_reason=("roi", "stop_loss", "exit_signal")[n % 3])
                for n in range(closed_count)]  # fmt: skip
        _bulk_insert(app, rows)
        open_pairs = (GENERATED + REPLAYED)[-open_count:]
        prices = asyncio.run(_prices(app, open_pairs))
        with app.db.transaction() as session:
            repo = TradeRepository(session)
            for pair in open_pairs:
                market = app.exchange.markets[pair]
                amount = round_to_step(STAKE / prices[pair], market.amount_step, up=True)
                amount = max(amount, market.min_amount or amount)
                repo.add(open_trade(pair, str(prices[pair]), opened=now, amount=str(amount)))
    finally:
        asyncio.run(app.close())


def _bulk_insert(app: Application, rows: list[Trade]) -> None:
    trade_rows, order_rows = [], []
    for number, trade in enumerate(rows, 1):
        trade.id = number
        trade_rows.append({column.name: getattr(trade, column.name) for column in trades.c})
        for order in trade.orders:
            order.trade_id = number
            order_rows.append({c.name: getattr(order, c.name) for c in orders.c if c.name != "id"})
    with app.db.transaction() as session:
        if trade_rows:
            session.execute(trades.insert(), trade_rows)
            session.execute(orders.insert(), order_rows)


async def _prices(app: Application, pairs: list[str]) -> dict[str, Decimal]:
    await app.exchange.load_markets()
    return {pair: Decimal(str((await app.exchange.fetch_ticker(pair)).last)) for pair in pairs}


# -- figures --------------------------------------------------------------------------------------
def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)] if ordered else 0.0


def slope_per_minute(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per minute."""
    if len(points) < 2:
        return 0.0
    mean_t = statistics.fmean(t for t, _ in points)
    mean_v = statistics.fmean(v for _, v in points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return 0.0
    return 60 * sum((t - mean_t) * (v - mean_v) for t, v in points) / spread


@dataclass
class SoakReport:
    seconds: float
    warmup: float
    subscribers: int
    rss: list[tuple[float, float]] = field(default_factory=list)  # (s since start, MB)
    latencies: dict[str, list[float]] = field(default_factory=dict)  # ms
    failures: Counter[str] = field(default_factory=Counter)
    clients: list[dict[str, Any]] = field(default_factory=list)
    log_levels: Counter[str] = field(default_factory=Counter)
    tracebacks: int = 0
    log_lines: list[str] = field(default_factory=list)  # the warning/error lines themselves
    trades_at_end: dict[str, int] = field(default_factory=dict)
    seed_seconds: float = 0.0
    ready_seconds: float = 0.0

    @property
    def steady_rss(self) -> list[tuple[float, float]]:
        return [(t, mb) for t, mb in self.rss if t >= self.warmup]

    @property
    def rss_start(self) -> float:
        return self.steady_rss[0][1] if self.steady_rss else 0.0

    @property
    def rss_end(self) -> float:
        return self.rss[-1][1] if self.rss else 0.0

    @property
    def rss_max(self) -> float:
        return max((mb for _, mb in self.rss), default=0.0)

    @property
    def rss_slope(self) -> float:
        return slope_per_minute(self.steady_rss)

    def p99(self, endpoint: str) -> float:
        return percentile(self.latencies.get(endpoint, []), 0.99)

    def rss_by_minute(self) -> str:
        minutes: dict[int, list[float]] = {}
        for seconds, mb in self.rss:
            minutes.setdefault(int(seconds // 60), []).append(mb)
        return " ".join(f"{statistics.fmean(v):.0f}" for _, v in sorted(minutes.items()))

    def lines(self) -> list[str]:
        out = [
            f"soak: {self.seconds:.0f} s after warm-up {self.warmup:.0f} s, {len(PAIRS)} pairs, "
            f"{self.subscribers} WebSocket subscribers (seeded in {self.seed_seconds:.1f} s, "
            f"ready {self.ready_seconds:.1f} s after start)",
            f"trades at the end: {self.trades_at_end}",
            f"RSS MB: first {self.rss[0][1] if self.rss else 0:.1f}, after warm-up "
            f"{self.rss_start:.1f}, end {self.rss_end:.1f}, max {self.rss_max:.1f}, slope "
            f"{self.rss_slope:+.2f} MB/min after warm-up ({len(self.rss)} samples)",
            "RSS MB by minute (mean of each minute's samples): " + self.rss_by_minute(),
            f"{'endpoint':<17} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'non-200':>8}",
        ]
        for name, values in self.latencies.items():
            out.append(
                f"{name:<17} {len(values):>5} {percentile(values, 0.5):>8.1f} "
                f"{percentile(values, 0.99):>8.1f} {max(values, default=0):>8.1f} "
                f"{self.failures[name]:>8}"
            )
        counts = [sum(c["types"].values()) for c in self.clients]
        types: Counter[str] = Counter()
        for client in self.clients:
            types.update(client["types"])
        connected = sum(bool(c["connected"]) for c in self.clients)
        out.append(
            f"WebSocket: {connected}/{len(self.clients)} connected at the end; messages per "
            f"subscriber min {min(counts, default=0)} max {max(counts, default=0)}; "
            f"by type {dict(types)}"
        )
        out.append(
            f"log: {dict(self.log_levels) or 'no warning or error'}, {self.tracebacks} tracebacks"
        )
        return out + [f"  {line}" for line in self.log_lines[:10]]


# -- the run --------------------------------------------------------------------------------------
class Soak:
    """Seed, start, subscribe, sample, stop."""

    def __init__(
        self,
        workdir: Path,
        *,
        speed: float = 150,
        subscribers: int = 20,
        open_trades: int = 50,
        closed_trades: int = 5000,
    ) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.config = soak_config(workdir, self.port, speed)
        self.subscribers = subscribers
        self.open_trades = open_trades
        self.closed_trades = closed_trades
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = workdir / "bot.log"
        self.http = requests.Session()
        self._token, self._token_at = "", -math.inf

    def run(self, seconds: float, warmup: float, every: float) -> SoakReport:
        report = SoakReport(seconds, warmup, self.subscribers)
        began = time.monotonic()
        seed(self.config, self.open_trades, self.closed_trades)
        report.seed_seconds = time.monotonic() - began
        path = write_config(self.workdir / "config.json", self.config)
        process = start_bot(path, self.log)
        try:
            began = time.monotonic()
            self._ready(process)
            report.ready_seconds = time.monotonic() - began
            clients = self._subscribe(warmup + seconds)
            self._sample(process, report, warmup + seconds, every)
            out, _ = clients.communicate(timeout=60)
            report.clients = orjson.loads(out)
            for client in report.clients:
                client["types"] = Counter(client["types"])
            report.trades_at_end = self._trade_counts()
        finally:
            code = kill(process, signal.SIGTERM, timeout=30)
        assert code == 0, f"the bot exited with {code}"
        self._scan_log(report)
        return report

    def _ready(self, process: subprocess.Popen[bytes]) -> None:
        """Bounded wait: the API answers and the sampled pair has 500 analysed candles."""

        def logged_in() -> bool:
            assert process.poll() is None, self.log.read_text()[-3000:]
            return bool(self._headers())

        wait_for(logged_in, 120, "the API")

        def analysed() -> bool:
            answer = self.http.get(self.base + ENDPOINTS["pair_candles"], headers=self._headers())
            return answer.ok and answer.json()["length"] == 500

        wait_for(analysed, 120, "500 analysed candles of COIN001/BTC", every=0.5)

    def _headers(self) -> dict[str, str]:
        """A bearer token as FreqUI sends it, renewed before it expires (15 min)."""
        if time.monotonic() - self._token_at > TOKEN_RENEWAL:
            answer = self.http.post(
                self.base + "/api/v1/token/login", auth=("tradewind", TEST_PASSWORD), timeout=5
            )
            answer.raise_for_status()
            self._token = str(answer.json()["access_token"])
            self._token_at = time.monotonic()
        return {"Authorization": f"Bearer {self._token}"}

    def _subscribe(self, seconds: float) -> subprocess.Popen[bytes]:
        url = f"ws://127.0.0.1:{self.port}/api/v1/message/ws?token={TEST_WS_TOKEN}"
        command = [sys.executable, "-m", "tests.integration.soak.subscribers", url,
                   str(self.subscribers), str(seconds)]  # fmt: skip
        return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE)

    def _sample(
        self,
        process: subprocess.Popen[bytes],
        report: SoakReport,
        seconds: float,
        every: float,
    ) -> None:
        bot = psutil.Process(process.pid)
        began = time.monotonic()
        report.latencies = {name: [] for name in ENDPOINTS}
        next_at = began
        while (now := time.monotonic()) < began + seconds:
            if now < next_at:
                time.sleep(min(next_at - now, 0.05))  # paced sampling, not a wait for a result
                continue
            next_at += every
            assert process.poll() is None, self.log.read_text()[-3000:]
            report.rss.append((now - began, bot.memory_info().rss / 2**20))
            headers = self._headers()
            for name, path in ENDPOINTS.items():
                sent = time.perf_counter()
                answer = self.http.get(self.base + path, headers=headers, timeout=10)
                report.latencies[name].append((time.perf_counter() - sent) * 1000)
                report.failures[name] += answer.status_code != 200

    def _trade_counts(self) -> dict[str, int]:
        headers = self._headers()
        count = self.http.get(self.base + "/api/v1/count", headers=headers, timeout=10).json()
        profit = self.http.get(self.base + "/api/v1/profit", headers=headers, timeout=10).json()
        return {"open": count["current"], "closed": profit["closed_trade_count"]}

    def _scan_log(self, report: SoakReport) -> None:
        for line in self.log.read_text(errors="replace").splitlines():
            level = next((name for name in LEVELS if f" - {name} - " in line), None)
            if level is not None:
                report.log_levels[level] += 1
                report.log_lines.append(line)
            report.tracebacks += line.startswith("Traceback")
