"""`tradewind trade`: run the bot until interrupted, rebuilding it on `reload_config`."""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import gc
import logging
import os
import platform
import signal
import sys
from pathlib import Path
from typing import Any

from tradewind.app import Application, build, run_engine
from tradewind.cli.options import add_config_options, load
from tradewind.config import LoadedConfig, secret_values
from tradewind.domain.enums import RunMode
from tradewind.engine.event_log import log_trade_events
from tradewind.errors import TradewindError
from tradewind.logs import LogBuffer, SecretRedactor, setup_logging

log = logging.getLogger("tradewind")
M_MMAP_THRESHOLD = -3  # glibc's mallopt parameter
MMAP_THRESHOLD = 128 * 1024  # glibc's default starting value
TRIM_EVERY = 60.0  # seconds


def register(commands: Any) -> None:
    parser = commands.add_parser("trade", help="run the trading bot (dry-run or live)")
    add_config_options(parser)
    parser.add_argument("--logfile", metavar="FILE", help="also log to this rotating file")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    fix_mmap_threshold()
    buffer = LogBuffer()
    redactor = SecretRedactor()
    setup_logging(
        args.verbose, Path(args.logfile) if args.logfile else None, buffer, redactor=redactor
    )
    loaded = load(args, RunMode.DRY_RUN)
    return asyncio.run(_serve(args, loaded, buffer, redactor))


async def _serve(
    args: argparse.Namespace, loaded: LoadedConfig, buffer: LogBuffer, redactor: SecretRedactor
) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    while True:
        redactor.register(*secret_values(loaded.config))
        for warning in loaded.warnings:
            log.warning(warning)
        app = build(loaded, log_buffer=buffer)
        # Everything built so far lives as long as the bot: keep it out of the collector's
        # full passes, which otherwise pause the event loop for 100 ms+ under load.
        gc.freeze()
        app.extras["reload"] = lambda: load(args, RunMode.DRY_RUN)
        log_trade_events(app.events)
        _attach_api(app)
        _attach_memory_trim(app)
        _banner(app)
        try:
            await run_engine(app, stop)
        finally:
            await app.close()
        if stop.is_set():
            log.info("Bye.")
            return 0
        loaded = _reloaded(args, loaded)
        # The old bot was frozen with everything built with it; frozen objects are never
        # collected, and a bot is full of reference cycles: without this, every reload kept
        # the whole previous bot (candles, analysed frames, …) in memory for good.
        del app
        gc.unfreeze()
        gc.collect()


def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (the allocator tuning below is glibc's), else None."""
    if platform.libc_ver()[0] != "glibc":
        return None
    try:
        return ctypes.CDLL(None)
    except OSError:
        return None


def fix_mmap_threshold() -> None:
    """On glibc, serve every allocation of 128 KiB or more by mmap, for the process's life.

    glibc starts with that threshold but raises it (up to 32 MiB) each time such a block is
    freed; from then on the large short-lived buffers a running bot makes all the time
    (response bodies, JSON encodings, frame copies) come from the heap, and the free space
    they leave between long-lived objects stays resident: RSS crept up by 0.7 MB a minute in
    bench/soak.py while live memory stayed flat. Setting the threshold stops the
    adjustment. An explicit MALLOC_MMAP_THRESHOLD_ in the environment wins.
    """
    libc = _glibc()
    if libc is not None and "MALLOC_MMAP_THRESHOLD_" not in os.environ:
        libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD)


def _attach_memory_trim(app: Application) -> None:
    """On glibc, hand the heap's free pages back to the system every `TRIM_EVERY` seconds.

    glibc returns free memory on its own only from the top of the heap; pages freed below a
    long-lived object stay resident until `malloc_trim` (≈ 2 ms for the soak's bot).
    """
    libc = _glibc()
    if libc is None:
        return

    async def trim(_stop: asyncio.Event) -> None:
        # Never returns: run_engine stops everything once any service ends, and cancels
        # this one when the engine is done.
        while True:
            await asyncio.sleep(TRIM_EVERY)
            libc.malloc_trim(0)

    app.extras.setdefault("services", {})["malloc_trim"] = trim


def _reloaded(args: argparse.Namespace, previous: LoadedConfig) -> LoadedConfig:
    try:
        loaded = load(args, RunMode.DRY_RUN)
    except TradewindError as exc:
        log.error("Reloading the config failed, keeping the previous one: %s", exc)
        return previous
    log.info("Config reloaded from %s.", ", ".join(map(str, loaded.files)) or "the defaults")
    return loaded


def _attach_api(app: Application) -> None:
    """Register the API server when enabled (the API package is imported only then)."""
    api = app.config.api_server
    if api is None or not api.enabled:
        return
    from tradewind.api.server import api_service

    app.extras.setdefault("services", {})["api"] = api_service(app.context())


def _banner(app: Application) -> None:
    config = app.config
    mode = "dry-run" if config.dry_run else "LIVE"
    log.info(
        "tradewind %s on %s (%s), strategy %s, %d pairs, database %s",
        mode,
        config.exchange.name,
        config.stake_currency,
        type(app.strategy).__name__,
        len(config.exchange.pair_whitelist),
        config.effective_db_url(),
    )
    api = config.api_server
    if api is not None and api.enabled:
        host = api.listen_ip_address
        shown = f"[{host}]" if ":" in host else host
        log.info(
            "Web UI and API on http://%s:%d/ — user '%s'", shown, api.listen_port, api.username
        )
        if not app.loaded.files:
            # Straight to the terminal: the log (and its file and API buffer) never holds it.
            path = config.effective_user_data_dir() / ".api_credentials.json"
            print(
                f"Log in as '{api.username}' with password {api.password} (kept in {path})",
                file=sys.stderr,
                flush=True,
            )
