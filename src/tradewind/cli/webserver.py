"""`tradewind webserver`: the REST API and web UI without a trading bot, for browsing data.

Strategies, strategy code and parameters, pairs with data on disk, historic analysis
(`pair_history`), `plot_config` of a named strategy and `show_config` answer; trade-only routes
answer 503 "Bot is not in the correct state." (rest-api.md §0.3).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
from pathlib import Path
from typing import Any

from tradewind import __version__
from tradewind.api.server import api_service
from tradewind.cli.options import add_config_options, load
from tradewind.config import BotConfig, secret_values
from tradewind.domain.enums import RunMode
from tradewind.domain.events import EventBus
from tradewind.errors import ConfigError
from tradewind.logs import LogBuffer, SecretRedactor, setup_logging
from tradewind.persistence.database import Database
from tradewind.services.context import BotContext

log = logging.getLogger("tradewind")

IN_MEMORY_DB = "sqlite://"
"""Webserver mode reads no trades; an in-memory database keeps it from creating files."""


def register(commands: Any) -> None:
    parser = commands.add_parser(
        "webserver", help="serve the API and web UI without trading (browse data and strategies)"
    )
    add_config_options(parser)
    parser.add_argument("--logfile", metavar="FILE", help="also log to this rotating file")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    parser.set_defaults(handler=run)


def webserver_context(config: BotConfig, log_buffer: LogBuffer) -> BotContext:
    """The services' view of a process without a trading engine."""
    return BotContext(
        config=config,
        runmode=RunMode.WEBSERVER,
        db=Database(IN_MEMORY_DB),
        log_buffer=log_buffer,
        version=__version__,
        events=EventBus(),
    )


def run(args: argparse.Namespace) -> int:
    buffer = LogBuffer()
    redactor = SecretRedactor()
    setup_logging(
        args.verbose, Path(args.logfile) if args.logfile else None, buffer, redactor=redactor
    )
    loaded = load(args, RunMode.WEBSERVER)
    config = loaded.config
    redactor.register(*secret_values(config))
    for warning in loaded.warnings:
        log.warning(warning)
    api = config.api_server
    if api is None or not api.enabled:
        raise ConfigError("api_server.enabled: must be true to run the webserver")
    context = webserver_context(config, buffer)
    try:
        return asyncio.run(_serve(context))
    finally:
        context.db.dispose()


async def _serve(context: BotContext) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    log.info("tradewind %s webserver mode: API and UI without trading.", __version__)
    await api_service(context)(stop)
    log.info("Bye.")
    return 0
