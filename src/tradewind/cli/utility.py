"""Utility subcommands: new-config, create-userdir, list-strategies, show-config, show-trades."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from tradewind.cli.options import add_config_options, load
from tradewind.config import NewConfigOptions, masked_config_dict, render_new_config
from tradewind.domain.enums import RunMode
from tradewind.errors import ConfigError
from tradewind.persistence.database import Database
from tradewind.persistence.repositories import TradeRepository
from tradewind.strategy.loader import list_strategies, strategy_dirs

USER_DATA_SUBDIRS = ("strategies", "data", "logs", "backtest_results", "notebooks", "plot")


def register(commands: Any) -> None:
    new = commands.add_parser("new-config", help="write a commented, working config file")
    new.add_argument(
        "-c",
        "--config",
        default="config.json",
        metavar="FILE",
        help="file to write (default config.json)",
    )
    new.add_argument("--exchange", default="simulated", help="exchange (default: simulated)")
    new.add_argument("--stake-currency", default="BTC")
    new.add_argument("--stake-amount", default="0.05", help='a number or "unlimited"')
    new.add_argument("--pairs", nargs="+", help="pairs to trade (default: the sample pairs)")
    new.add_argument("--max-open-trades", type=int, default=5)
    new.add_argument("--timeframe", default="5m")
    new.add_argument("--strategy", default="SampleStrategy")
    new.add_argument("--force", action="store_true", help="overwrite an existing file")
    new.set_defaults(handler=new_config)

    userdir = commands.add_parser("create-userdir", help="create the user data directory")
    userdir.add_argument("--userdir", default="user_data", metavar="DIR")
    userdir.set_defaults(handler=create_userdir)

    strategies = commands.add_parser("list-strategies", help="list the strategies found")
    add_config_options(strategies)
    strategies.set_defaults(handler=show_strategies)

    show = commands.add_parser("show-config", help="print the effective config (secrets masked)")
    add_config_options(show)
    show.set_defaults(handler=show_config)

    trades = commands.add_parser("show-trades", help="print the trades of the database")
    add_config_options(trades)
    trades.add_argument("--open", action="store_true", help="only open trades")
    trades.add_argument("--json", action="store_true", help="JSON instead of a table")
    trades.set_defaults(handler=show_trades)


def new_config(args: argparse.Namespace) -> int:
    path = Path(args.config)
    if path.exists() and not args.force:
        raise ConfigError(f"{path} exists; pass --force to overwrite it")
    stake: float | str = args.stake_amount
    if stake != "unlimited":
        stake = float(stake)
    fields: dict[str, Any] = dict(
        exchange=args.exchange,
        stake_currency=args.stake_currency.upper(),
        stake_amount=stake,
        max_open_trades=args.max_open_trades,
        timeframe=args.timeframe,
        strategy=args.strategy,
    )
    if args.pairs:
        fields["pairs"] = tuple(args.pairs)
    options = NewConfigOptions(**fields)
    path.write_text(render_new_config(options))
    path.chmod(0o600)
    secrets = options.api_secrets
    print(f"Wrote {path}. API login: user '{options.username}', password {secrets.password}")
    print(f"WebSocket token: {secrets.ws_token}")
    print("These secrets are shown once; they are stored only in the file.")
    return 0


def create_userdir(args: argparse.Namespace) -> int:
    root = Path(args.userdir).absolute()
    for name in USER_DATA_SUBDIRS:
        (root / name).mkdir(parents=True, exist_ok=True)
    print(f"User data directory ready: {root}")
    return 0


def show_strategies(args: argparse.Namespace) -> int:
    config = load(args, RunMode.OTHER).config
    path = Path(config.strategy_path) if config.strategy_path else None
    dirs = strategy_dirs(config.effective_user_data_dir(), path)
    for name in list_strategies(dirs, recursive=config.recursive_strategy_search):
        print(name)
    return 0


def show_config(args: argparse.Namespace) -> int:
    loaded = load(args, RunMode.OTHER)
    print(json.dumps(masked_config_dict(loaded.config), indent=2, default=str))
    return 0


def show_trades(args: argparse.Namespace) -> int:
    config = load(args, RunMode.OTHER).config
    db = Database(config.effective_db_url())
    db.migrate()
    with db.transaction() as session:
        repo = TradeRepository(session)
        trades = (
            repo.open_trades() if args.open else repo.open_trades() + repo.closed_page(10**9, 0)
        )
        rows = [_trade_row(t) for t in sorted(trades, key=lambda t: t.id or 0)]
    if args.json:
        print(json.dumps(rows, indent=2, default=str))
        return 0
    table = Table(title=f"Trades in {config.effective_db_url()}")
    for column in (
        "id",
        "pair",
        "open",
        "opened",
        "amount",
        "open rate",
        "close rate",
        "profit %",
        "profit",
        "exit reason",
    ):
        table.add_column(
            column, justify="right" if column not in ("pair", "exit reason") else "left"
        )
    for row in rows:
        table.add_row(*(str(value) if value is not None else "" for value in row.values()))
    Console().print(table)
    return 0


def _trade_row(trade: Any) -> dict[str, Any]:
    profit_pct = None if trade.close_profit is None else f"{trade.close_profit * 100:.2f}"
    return {
        "id": trade.id,
        "pair": trade.pair,
        "open": trade.is_open,
        "opened": trade.open_date.strftime("%Y-%m-%d %H:%M"),
        "amount": f"{trade.amount:f}",
        "open_rate": f"{trade.open_rate:.8g}",
        "close_rate": None if trade.close_rate is None else f"{trade.close_rate:.8g}",
        "profit_pct": profit_pct,
        "profit_abs": None if trade.close_profit_abs is None else f"{trade.close_profit_abs:.8f}",
        "exit_reason": trade.exit_reason,
    }
