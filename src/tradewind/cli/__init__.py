"""The `tradewind` command: run the bot and the utility subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tradewind import __version__
from tradewind.cli import data_commands, trade, utility, webserver
from tradewind.errors import TradewindError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tradewind",
        description="A self-hosted crypto trading bot (dry-run or live), Freqtrade-compatible.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"tradewind {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    trade.register(commands)
    webserver.register(commands)
    utility.register(commands)
    data_commands.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        result: int = args.handler(args)
    except TradewindError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    return result
