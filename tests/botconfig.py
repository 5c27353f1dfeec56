"""Bot configurations for tests: the embedded demo config, adjusted per test."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from tradewind.config import LoadedConfig, embedded_default, load_config

REPO = Path(__file__).resolve().parents[1]
SHARED_OHLCV = REPO.parent / "shared" / "data" / "ohlcv"
TEST_PASSWORD = "test-password-123"
TEST_JWT_SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef"
TEST_WS_TOKEN = "test-ws-token-abcdefghijklmnop"


def bot_config(tmp_path: Path, **overrides: Any) -> dict[str, Any]:
    """A dry-run config on the simulated exchange replaying the shared market data.

    `overrides` are merged one level deep (dict values update the section).
    """
    config = embedded_default()
    config["api_server"].update(
        password=TEST_PASSWORD, jwt_secret_key=TEST_JWT_SECRET, ws_token=TEST_WS_TOKEN
    )
    config["db_url"] = f"sqlite:///{tmp_path / 'tradesv3.dryrun.sqlite'}"
    config["user_data_dir"] = str(tmp_path / "user_data")
    config["datadir"] = str(SHARED_OHLCV)
    config["exchange"]["simulation"]["source"] = "replay"
    config["internals"]["heartbeat_interval"] = 0
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(config.get(key), dict):
            merged = copy.deepcopy(config[key])
            _deep_update(merged, value)
            config[key] = merged
        else:
            config[key] = value
    return config


def _deep_update(target: dict[str, Any], source: dict[str, Any]) -> None:
    for key, value in source.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            _deep_update(target[key], value)
        else:
            target[key] = value


def loaded(config: dict[str, Any]) -> LoadedConfig:
    return load_config(None, base=config, base_name="test config")


def write_config(path: Path, config: dict[str, Any]) -> Path:
    path.write_text(json.dumps(config, indent=2))
    return path
