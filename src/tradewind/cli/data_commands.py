"""Data subcommands: download-data, list-data, convert-data (the data-dir layout of config.md)."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from rich.console import Console

from tradewind.cli.options import add_config_options, load
from tradewind.data.commands import (
    ClosableCandleSource,
    convert_data,
    download_data,
    list_data,
    render_data_table,
)
from tradewind.data.timerange import TimeRange
from tradewind.domain.clock import SystemClock
from tradewind.domain.enums import RunMode
from tradewind.errors import ConfigError

FORMATS = ("feather", "parquet", "json", "jsongz")


def register(commands: Any) -> None:
    download = commands.add_parser("download-data", help="download candles into the data dir")
    add_config_options(download)
    download.add_argument("-p", "--pairs", nargs="+", help="pairs (default: the whitelist)")
    download.add_argument("-t", "--timeframes", nargs="+", default=None,
                          help="timeframes (default: the config's timeframe, else 5m)")  # fmt: skip
    span = download.add_mutually_exclusive_group()
    span.add_argument("--days", type=int, help="the last N days (default 30)")
    span.add_argument("--timerange", help="YYYYMMDD-YYYYMMDD (open ends allowed)")
    download.add_argument("--exchange", help="ccxt exchange id (default: the config's)")
    download.add_argument("--data-format", choices=FORMATS, help="file format (default feather)")
    download.set_defaults(handler=download_command)

    listing = commands.add_parser("list-data", help="list the candle files of the data dir")
    add_config_options(listing)
    listing.add_argument("--data-format", choices=FORMATS)
    listing.set_defaults(handler=list_command)

    convert = commands.add_parser("convert-data", help="convert candle files between formats")
    add_config_options(convert)
    convert.add_argument("--format-from", choices=FORMATS, required=True)
    convert.add_argument("--format-to", choices=FORMATS, required=True)
    convert.add_argument("--erase", action="store_true", help="delete the source files")
    convert.set_defaults(handler=convert_command)


def download_command(args: argparse.Namespace) -> int:
    config = load(args, RunMode.UTIL_EXCHANGE).config
    exchange_id = args.exchange or config.exchange.name
    if exchange_id == "simulated":
        raise ConfigError("download-data needs a real exchange: pass --exchange (e.g. binance)")
    section = config.exchange.model_copy(update={"name": exchange_id})

    def factory() -> ClosableCandleSource:
        # ccxt is imported only here, for this command.
        module = importlib.import_module("tradewind.exchange.ccxt")
        exchange: ClosableCandleSource = module.build_ccxt_exchange(
            section, SystemClock(), dry_run=True, fee=None
        )
        return exchange

    pairs = args.pairs or [p for p in config.exchange.pair_whitelist if ".*" not in p]
    timeframes = args.timeframes or [config.timeframe or "5m"]
    summary = download_data(
        config.effective_datadir(),
        factory,
        pairs,
        timeframes,
        days=args.days,
        timerange=TimeRange.parse(args.timerange) if args.timerange else None,
        fmt=args.data_format or config.dataformat_ohlcv,
        console=Console(),
    )
    return 1 if summary.failed else 0


def list_command(args: argparse.Namespace) -> int:
    config = load(args, RunMode.UTIL_NO_EXCHANGE).config
    rows = list_data(config.effective_datadir(), args.data_format or config.dataformat_ohlcv,
                     str(config.trading_mode))  # fmt: skip
    render_data_table(rows, Console())
    return 0


def convert_command(args: argparse.Namespace) -> int:
    config = load(args, RunMode.UTIL_NO_EXCHANGE).config
    convert_data(config.effective_datadir(), args.format_from, args.format_to, erase=args.erase,
                 console=Console())  # fmt: skip
    return 0
