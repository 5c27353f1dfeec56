"""Options shared by the subcommands, and turning them into a loaded configuration."""

from __future__ import annotations

import argparse
import json
import logging
import os
import stat
from pathlib import Path
from typing import Any

from tradewind.config import LoadedConfig, embedded_default, generate_api_secrets, load_config
from tradewind.domain.enums import RunMode

log = logging.getLogger(__name__)
CREDENTIALS_FILE = ".api_credentials.json"


def add_config_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-c",
        "--config",
        action="append",
        metavar="FILE",
        default=[],
        help="config file (repeatable; later files override earlier ones). Default: "
        "./config.json if present, else the embedded demo configuration",
    )
    parser.add_argument("-s", "--strategy", help="strategy class name (overrides the config)")
    parser.add_argument(
        "--userdir",
        "--user-data-dir",
        dest="userdir",
        metavar="DIR",
        help="user data directory (default ./user_data)",
    )
    parser.add_argument("--db-url", help="database URL (overrides db_url)")


def load(args: argparse.Namespace, runmode: RunMode = RunMode.DRY_RUN) -> LoadedConfig:
    """The configuration the subcommand runs with (files, or the embedded default)."""
    paths = [Path(p) for p in args.config]
    if not paths and Path("config.json").is_file():
        paths = [Path("config.json")]
    overrides: dict[str, Any] = {}
    if getattr(args, "strategy", None):
        overrides["strategy"] = args.strategy
    if getattr(args, "userdir", None):
        overrides["user_data_dir"] = args.userdir
    if getattr(args, "db_url", None):
        overrides["db_url"] = args.db_url
    if paths:
        loaded = load_config(paths, runmode=runmode)
        return _apply(loaded, overrides, runmode)
    base = embedded_default()
    userdir = Path(overrides.get("user_data_dir") or "user_data")
    base["api_server"].update(embedded_credentials(userdir))
    base.update(overrides)
    return load_config(None, base=base, base_name="embedded default config", runmode=runmode)


def _apply(loaded: LoadedConfig, overrides: dict[str, Any], runmode: RunMode) -> LoadedConfig:
    """Command-line options win over every file and environment variable."""
    if not overrides:
        return loaded
    data = dict(loaded.raw)
    data.update(overrides)
    return load_config(None, base=data, base_name=str(loaded.files[0]), runmode=runmode)


def embedded_credentials(userdir: Path) -> dict[str, str]:
    """API secrets of the embedded demo config: generated once, kept in the user data dir."""
    path = userdir / CREDENTIALS_FILE
    if path.is_file():
        try:
            data = json.loads(path.read_text())
            if {"password", "jwt_secret_key", "ws_token"} <= data.keys():
                return {k: str(data[k]) for k in ("password", "jwt_secret_key", "ws_token")}
        except (OSError, ValueError):
            log.warning("Ignoring unreadable %s; generating new API credentials.", path)
    secrets = generate_api_secrets().as_config()
    userdir.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(secrets, indent=2))
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    return secrets
