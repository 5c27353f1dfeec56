"""``tradewind-client``: every :class:`TradewindClient` method as a subcommand.

Subcommands and their arguments are derived from the client's method signatures (required
parameters become positionals, optional ones ``--flags``) and their one-line descriptions from
the docstrings, so the CLI cannot drift from the client. Output is indented JSON on stdout.
Exit codes: 0 success, 1 the bot answered with an HTTP error, 2 the bot could not be reached or
the command line/config was unusable.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .api_bot import BotApi
from .api_market import MarketApi
from .api_stats import StatsApi
from .api_trades import TradesApi
from .rest import TradewindClient
from .settings import ENV_PASSWORD, ENV_URL, ENV_USERNAME, resolve
from .transport import JSON, ApiConnectionError, ApiError

__all__ = ["build_parser", "command_names", "main"]

PROG = "tradewind-client"
_COMMAND_GROUPS = (BotApi, TradesApi, StatsApi, MarketApi)


def _commands() -> dict[str, Callable[..., JSON]]:
    """Public endpoint methods in definition order, grouped as in the client's mixins."""
    found: dict[str, Callable[..., JSON]] = {}
    for group in _COMMAND_GROUPS:
        for name, member in vars(group).items():
            if not name.startswith("_") and inspect.isfunction(member):
                found[name] = member
    return found


def command_names() -> list[str]:
    """The subcommand names (one per client method)."""
    return list(_commands())


def _summary(func: Callable[..., Any]) -> str:
    return (inspect.getdoc(func) or "").partition("\n")[0]


def _value_type(hint: Any) -> tuple[type, bool]:
    """``(element type, is_list)`` of a parameter annotation; unions of two types → ``str``."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        if len(members) != 1:
            return str, False  # e.g. ``int | str``: the server accepts the text as it is
        hint = members[0]
    if typing.get_origin(hint) is list:
        return typing.get_args(hint)[0], True
    return (hint, False) if hint in (int, float, bool, str) else (str, False)


def _add_parameter(parser: argparse.ArgumentParser, param: inspect.Parameter, hint: Any) -> None:
    kind, is_list = _value_type(hint)
    flag = "--" + param.name.replace("_", "-")
    if param.kind is inspect.Parameter.VAR_POSITIONAL:
        parser.add_argument(param.name, nargs="*", type=kind, metavar=param.name.upper())
    elif param.default is inspect.Parameter.empty:
        parser.add_argument(param.name, type=kind, metavar=param.name.upper())
    elif kind is bool:
        parser.add_argument(flag, action=argparse.BooleanOptionalAction, default=param.default)
    elif is_list:
        parser.add_argument(flag, dest=param.name, nargs="*", type=kind, default=param.default)
    else:
        default_text = "" if param.default is None else f" (default: {param.default})"
        parser.add_argument(
            flag, dest=param.name, type=kind, default=param.default, help=default_text.strip()
        )


def _add_command(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    func: Callable[..., JSON],
) -> None:
    parser = subparsers.add_parser(name, help=_summary(func), description=inspect.getdoc(func))
    hints = typing.get_type_hints(func)
    for param in list(inspect.signature(func).parameters.values())[1:]:  # skip self
        _add_parameter(parser, param, hints.get(param.name, str))


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: global connection options, ``help`` and one subcommand per call."""
    return _build()[0]


def _build() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Talk to a running tradewind (or Freqtrade) bot over its REST API.",
        epilog=f"Environment: {ENV_URL}, {ENV_USERNAME}, {ENV_PASSWORD}. "
        "Precedence: flags > environment > --config files > http://127.0.0.1:8080.",
    )
    parser.add_argument(
        "--config",
        "-c",
        dest="opt_config",
        action="append",
        default=[],
        metavar="FILE",
        help="bot config file to read api_server from (repeatable; later files win)",
    )
    parser.add_argument(
        "--url", dest="opt_url", metavar="URL", help="base URL, e.g. http://127.0.0.1:8080"
    )
    parser.add_argument("--username", dest="opt_username", metavar="NAME", help="API username")
    parser.add_argument("--password", dest="opt_password", metavar="PASSWORD", help="API password")
    parser.add_argument(
        "--timeout",
        dest="opt_timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="request timeout (default 10)",
    )
    subparsers = parser.add_subparsers(dest="command", title="commands", metavar="<command>")
    help_parser = subparsers.add_parser("help", help="List the commands, or explain one.")
    help_parser.add_argument("topic", nargs="?", metavar="COMMAND")
    for name, func in _commands().items():
        _add_command(subparsers, name, func)
    return parser, subparsers.choices


def _invoke(client: TradewindClient, command: str, namespace: argparse.Namespace) -> JSON:
    method = getattr(client, command)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for param in inspect.signature(method).parameters.values():
        value = getattr(namespace, param.name)
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            args.extend(value)
        elif param.default is inspect.Parameter.empty:
            args.append(value)
        else:
            kwargs[param.name] = value
    return method(*args, **kwargs)


def _show_help(
    parser: argparse.ArgumentParser,
    subcommands: Mapping[str, argparse.ArgumentParser],
    topic: str | None,
) -> int:
    if topic is None:
        parser.print_help()
        return 0
    if topic not in subcommands:
        print(f"error: unknown command {topic!r}; run '{PROG} help'", file=sys.stderr)
        return 2
    subcommands[topic].print_help()
    return 0


def _run(namespace: argparse.Namespace, env: Mapping[str, str]) -> int:
    try:
        settings = resolve(
            config_paths=namespace.opt_config,
            env=env,
            url=namespace.opt_url,
            username=namespace.opt_username,
            password=namespace.opt_password,
        )
    except (OSError, ValueError) as exc:
        print(f"error: cannot read config: {exc}", file=sys.stderr)
        return 2
    client = TradewindClient(
        settings.url, settings.username, settings.password, timeout=namespace.opt_timeout
    )
    try:
        result = _invoke(client, namespace.command, namespace)
    except ApiError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except ApiConnectionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        client.close()
    if result is not None:
        print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


def main(argv: Sequence[str] | None = None, *, env: Mapping[str, str] | None = None) -> int:
    """Run one command; returns the exit code (``env`` defaults to ``os.environ``)."""
    parser, subcommands = _build()
    try:
        namespace = parser.parse_args(argv)
    except SystemExit as exc:  # --help (code 0), or a usage error argparse reported (code 2)
        return exc.code if isinstance(exc.code, int) else 2
    if namespace.command == "help":
        return _show_help(parser, subcommands, namespace.topic)
    if namespace.command is None:
        parser.print_usage(sys.stderr)
        print(f"error: a command is required; run '{PROG} help'", file=sys.stderr)
        return 2
    return _run(namespace, os.environ if env is None else env)


if __name__ == "__main__":
    sys.exit(main())
