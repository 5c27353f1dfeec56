"""Message WebSocket benchmark: leader → follower latency, bytes on the wire, subscribers served.

    python bench/ws.py [--pairs 10,100] [--clients 10,100,500] [--rounds 5]

The leader is a real uvicorn server (permessage-deflate on, as the bot runs it) with a
`MessageHub` fed by synthetic candles: every round publishes one `PairAnalyzed` per pair, as the
engine does after analysing a new candle, with `la` = the wall-clock time of the analysis.

* bytes: one client behind a byte-counting TCP proxy takes the initial 1500-candle sync
  (compressed wire bytes vs the JSON text) and then the per-candle broadcasts.
* latency: a follower subprocess (`ExternalMessageConsumer` + `ProducerStore`) measures
  analysed-on-the-leader → stored-in-the-follower (wall clock, same machine) while a second
  subprocess holds 10 → 100 → 500 plain subscribers of `analyzed_df` + `new_candle` that
  measure the same per message. p50/p99 over all (pair, round) messages.

Leader, follower and subscribers each get a process (2 cores: they compete).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast

import orjson
import pandas as pd
import uvicorn
from fastapi import FastAPI
from websockets.asyncio.client import connect

from tradewind.api.auth import ApiAuth, AuthSettings
from tradewind.api.ws import websocket_router
from tradewind.config.models.consumer import ExternalMessageConsumerConfig
from tradewind.domain.events import EventBus, PairAnalyzed
from tradewind.exchange.simulated import packaged_data_dir
from tradewind.services.context import BotContext
from tradewind.signals.consumer import ExternalMessageConsumer
from tradewind.signals.hub import HubSource, MessageHub
from tradewind.strategy.loader import BUILTIN_DIR, load_strategy
from tradewind.strategy.runner import StrategyRunner
from tradewind.strategy.settings import resolve_settings

TOKEN = "bench-token"
ROWS = 1500
INITIAL_LA = datetime(2020, 1, 1, tzinfo=UTC)


# -- data -----------------------------------------------------------------------------------------
def leader_frames() -> list[pd.DataFrame]:
    """LeaderStrategy analyses of the packaged pairs (real candles, 1500 rows each)."""
    strategy = load_strategy("LeaderStrategy", [BUILTIN_DIR])
    config = {"stake_currency": "BTC", "stake_amount": 0.01, "max_open_trades": 3}
    runner = StrategyRunner(strategy, resolve_settings(strategy, config))
    frames = []
    for path in sorted(packaged_data_dir().glob("*_BTC-5m.feather")):
        candles = pd.read_feather(path)
        frame = runner.analyze(path.name.split("-")[0].replace("_", "/"), candles)
        frames.append(frame.tail(ROWS).reset_index(drop=True))
    return frames


class Market:
    """N pairs of 1500 analysed candles; `next_round` appends one candle to each."""

    def __init__(self, pairs: int, frames: list[pd.DataFrame]) -> None:
        self.pairs = [f"P{i:03d}/BTC" for i in range(pairs)]
        self.frames = {p: frames[i % len(frames)].copy() for i, p in enumerate(self.pairs)}
        self.source_rows = {p: frames[i % len(frames)] for i, p in enumerate(self.pairs)}
        self.round = 0

    def analyzed(self, pair: str, timeframe: str, candle_type: str) -> Any:
        frame = self.frames.get(pair)
        return None if frame is None else (frame, INITIAL_LA)

    def next_round(self) -> dict[str, pd.DataFrame]:
        """One new last row per pair (a recycled candle with the next date)."""
        self.round += 1
        rows = {}
        for pair, frame in self.frames.items():
            source = self.source_rows[pair]
            row = source.iloc[[self.round % len(source)]].copy()
            row["date"] = frame["date"].iloc[-1] + timedelta(minutes=5 * self.round)
            row.index = [ROWS - 1 + self.round]
            rows[pair] = row
        return rows


# -- the leader -----------------------------------------------------------------------------------
class Leader:
    """uvicorn + hub in a background thread."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.events = EventBus()
        source = HubSource(
            whitelist=lambda: list(market.pairs), analyzed=market.analyzed, timeframe="5m"
        )
        self.hub = MessageHub(source)
        self.hub.attach(self.events)
        auth = ApiAuth(AuthSettings("u", "p", "x" * 40, ws_token=TOKEN))
        app = FastAPI()
        app.include_router(websocket_router(cast(BotContext, SimpleNamespace(hub=self.hub)), auth))
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(
            app,
            ws_per_message_deflate=True,
            ws_ping_interval=None,
            log_level="warning",
            lifespan="off",
        )
        self.server = uvicorn.Server(config)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        while not self.server.started:
            time.sleep(0.01)

    def _run(self) -> None:
        self.loop.run_until_complete(self.server.serve(sockets=[self.sock]))

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(10)

    def publish_round(self) -> None:
        rows = self.market.next_round()

        def publish() -> None:
            now = datetime.now(UTC)
            for pair, row in rows.items():
                self.events.publish(PairAnalyzed(pair, "5m", "spot", row, now, new_candle=True))

        self.loop.call_soon_threadsafe(publish)

    def drained(self) -> bool:
        return all(not c.queue for c in list(self.hub._clients))

    def wait_drained(self, limit: float = 120.0) -> float:
        started = time.monotonic()
        time.sleep(0.005)
        while not self.drained() and time.monotonic() - started < limit:
            time.sleep(0.002)
        return time.monotonic() - started


# -- bytes on the wire ----------------------------------------------------------------------------
async def measure_bytes(leader: Leader, rounds: int) -> dict[str, float]:
    downstream = [0]

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", leader.port)

        async def pipe(src: Any, dst: Any, count: bool) -> None:
            while data := await src.read(65536):
                if count:
                    downstream[0] += len(data)
                dst.write(data)
                await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer, False), pipe(up_reader, writer, True))

    proxy = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = proxy.sockets[0].getsockname()[1]
    pairs = len(leader.market.pairs)
    async with connect(
        f"ws://127.0.0.1:{port}/api/v1/message/ws?token={TOKEN}", max_size=None, proxy=None
    ) as ws:
        await ws.send('{"type":"subscribe","data":["analyzed_df","new_candle"]}')
        before = downstream[0]
        await ws.send('{"type":"analyzed_df","data":{"limit":1500,"pair":null}}')
        sync_json = sum([len(str(await ws.recv()).encode()) for _ in range(pairs)])
        await asyncio.sleep(0.2)
        sync_wire = downstream[0] - before
        candle_json = 0
        before = downstream[0]
        for _ in range(rounds):
            leader.publish_round()
            candle_json += sum([len(str(await ws.recv()).encode()) for _ in range(2 * pairs)])
        await asyncio.sleep(0.2)
        candle_wire = downstream[0] - before
    proxy.close()
    messages = rounds * pairs
    return {
        "sync_json": sync_json,
        "sync_wire": sync_wire,
        "candle_json": candle_json / messages,
        "candle_wire": candle_wire / messages,
    }


# -- subprocess roles -----------------------------------------------------------------------------
def run_follower(port: int, pairs: int, expected: int) -> None:
    """Follow the leader; print 'ready' after the initial sync, then latencies as JSON."""
    config = ExternalMessageConsumerConfig.model_validate(
        {
            "enabled": True,
            "producers": [
                {"name": "default", "host": "127.0.0.1", "port": port, "ws_token": TOKEN}
            ],
            "wait_timeout": 60,
        }
    )
    latencies: list[float] = []
    stored: set[str] = set()

    def merged(producer: str, key: tuple[str, str, str], la: datetime) -> None:
        if la == INITIAL_LA:
            stored.add(key[0])
            if len(stored) == pairs:
                print("ready", flush=True)
            return
        latencies.append(time.time() - la.timestamp())

    consumer = ExternalMessageConsumer(config, on_merged=merged)

    async def main() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(consumer.run(stop))
        deadline = time.monotonic() + 600
        while len(latencies) < expected and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        key = ("P000/BTC", "5m", "spot")
        started = time.perf_counter()
        frame, _ = consumer.get_producer_df(*key)
        read_ms = (time.perf_counter() - started) * 1e3
        stop.set()
        await task
        print(
            json.dumps({"latencies": latencies, "read_ms": read_ms, "rows": len(frame)}), flush=True
        )

    asyncio.run(main())


def run_subscribers(port: int, clients: int, expected_each: int) -> None:
    """`clients` plain subscribers; print 'ready' once all subscribed, then latencies as JSON."""
    latencies: list[float] = []
    done = [0]
    since = time.time()

    async def client(ready: asyncio.Event, counter: list[int]) -> None:
        url = f"ws://127.0.0.1:{port}/api/v1/message/ws?token={TOKEN}"
        async with connect(
            url, max_size=None, proxy=None, ping_interval=None, open_timeout=60
        ) as ws:
            await ws.send('{"type":"subscribe","data":["analyzed_df","new_candle"]}')
            counter[0] += 1
            if counter[0] == clients:
                ready.set()
            got = 0
            while got < expected_each:
                message = orjson.loads(await ws.recv())
                if message["type"] == "analyzed_df":
                    la = datetime.fromisoformat(message["data"]["la"]).timestamp()
                    if la > since:
                        latencies.append(time.time() - la)
                        got += 1
        done[0] += 1

    async def main() -> None:
        ready = asyncio.Event()
        counter = [0]
        tasks = [asyncio.create_task(client(ready, counter)) for _ in range(clients)]
        await ready.wait()
        print("ready", flush=True)
        await asyncio.wait(tasks, timeout=600)
        print(json.dumps({"latencies": latencies, "finished": done[0]}), flush=True)

    asyncio.run(main())


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)


def wait_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    if line != "ready":
        raise RuntimeError(f"subprocess failed to start: {line!r}")


def result(process: subprocess.Popen[str]) -> dict[str, Any]:
    out, _ = process.communicate(timeout=900)
    return cast(dict[str, Any], json.loads(out.strip().splitlines()[-1]))


def percentiles(values: list[float]) -> tuple[float, float, float]:
    if not values:
        return (float("nan"),) * 3  # type: ignore[return-value]
    ordered = sorted(values)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1e3, p99 * 1e3, ordered[-1] * 1e3


# -- main -----------------------------------------------------------------------------------------
def bench(pair_counts: list[int], client_counts: list[int], rounds: int) -> None:
    frames = leader_frames()
    print(
        f"machine: {len(__import__('os').sched_getaffinity(0))} cores; rounds per setting: {rounds}"
    )
    print()
    print("| pairs | initial sync JSON | on the wire | ratio | per candle JSON | per candle wire |")
    print("|---:|---:|---:|---:|---:|---:|")
    for pairs in pair_counts:
        leader = Leader(Market(pairs, frames))
        figures = asyncio.run(measure_bytes(leader, 3))
        leader.stop()
        print(
            f"| {pairs} | {figures['sync_json'] / 1e6:.2f} MB "
            f"| {figures['sync_wire'] / 1e6:.2f} MB "
            f"| {figures['sync_wire'] / figures['sync_json']:.1%} | {figures['candle_json']:.0f} B "
            f"| {figures['candle_wire']:.0f} B |"
        )
    print()
    print(
        "| pairs | subscribers | follower p50 | follower p99 | subscribers p50 | subscribers p99 "
        "| leader busy per round | dropped | follower df read |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for pairs in pair_counts:
        for clients in [0, *client_counts]:
            leader = Leader(Market(pairs, frames))
            follower = spawn(
                "--role",
                "follower",
                "--port",
                str(leader.port),
                "--n",
                str(pairs),
                "--expected",
                str(rounds * pairs),
            )
            wait_ready(follower)
            subscribers = None
            if clients:
                subscribers = spawn(
                    "--role",
                    "subscribers",
                    "--port",
                    str(leader.port),
                    "--n",
                    str(clients),
                    "--expected",
                    str(rounds * pairs),
                )
                wait_ready(subscribers)
            time.sleep(0.3)
            drains = []
            for _ in range(rounds):
                leader.publish_round()
                drains.append(leader.wait_drained())
                time.sleep(0.1)
            followed = result(follower)
            f50, f99, _ = percentiles(followed["latencies"])
            s50 = s99 = float("nan")
            if subscribers is not None:
                s50, s99, _ = percentiles(result(subscribers)["latencies"])
            print(
                f"| {pairs} | {clients} | {f50:.1f} ms | {f99:.1f} ms "
                f"| {s50:.1f} ms | {s99:.1f} ms "
                f"| {statistics.median(drains) * 1e3:.0f} ms | {leader.hub.dropped} "
                f"| {followed['read_ms']:.1f} ms |",
                flush=True,
            )
            leader.stop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", default="10,100")
    parser.add_argument("--clients", default="10,100,500")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--role", choices=["follower", "subscribers"], help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--n", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--expected", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role == "follower":
        run_follower(args.port, args.n, args.expected)
    elif args.role == "subscribers":
        run_subscribers(args.port, args.n, args.expected)
    else:
        bench(
            [int(p) for p in args.pairs.split(",")],
            [int(c) for c in args.clients.split(",")],
            args.rounds,
        )


if __name__ == "__main__":
    main()
