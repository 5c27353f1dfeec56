from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tradewind.config import (
    EMBEDDED_DEFAULT,
    NewConfigOptions,
    embedded_default,
    generate_api_secrets,
    load_config,
    render_new_config,
)
from tradewind.config.jsonc import strip_comments
from tradewind.domain.enums import BotState, RunMode
from tradewind.errors import ConfigError

from .conftest import WriteConfig


def test_embedded_default_with_generated_secrets_loads_cleanly() -> None:
    base = embedded_default()
    base["api_server"].update(generate_api_secrets().as_config())
    loaded = load_config(None, env={}, base=base, runmode=RunMode.DRY_RUN)
    config = loaded.config
    assert loaded.warnings == []
    assert loaded.runmode is RunMode.DRY_RUN
    assert config.exchange.is_simulated
    assert config.exchange.simulation.speed == 150
    assert config.exchange.simulation.source == "auto"
    assert len(config.exchange.pair_whitelist) == 10
    assert config.stake_currency == "BTC"
    assert config.stake_amount_text() == "0.05"
    assert config.dry_run_wallet_amount("BTC") == 1
    assert config.initial_state is BotState.RUNNING
    assert config.force_entry_enable is True
    assert config.internals.process_throttle_secs == 1
    assert config.api_server is not None
    assert (config.api_server.listen_ip_address, config.api_server.listen_port) == (
        "127.0.0.1",
        8080,
    )
    assert config.api_server.enable_openapi is True
    assert config.effective_db_url() == "sqlite:///tradesv3.dryrun.sqlite"


def test_embedded_default_without_secrets_refuses_to_load() -> None:
    with pytest.raises(ConfigError, match=r"api_server\.password: required key is missing"):
        load_config(None, env={}, base=EMBEDDED_DEFAULT)


def test_embedded_default_copies_are_independent() -> None:
    copy = embedded_default()
    copy["exchange"]["pair_whitelist"].clear()
    assert len(EMBEDDED_DEFAULT["exchange"]["pair_whitelist"]) == 10


def test_new_config_loads_without_warnings(write: WriteConfig) -> None:
    loaded = load_config([write("config.json", render_new_config())], env={})
    assert loaded.warnings == []
    assert loaded.config.exchange.is_simulated
    assert loaded.config.api_server is not None
    assert loaded.config.api_server.enabled


def test_new_config_for_a_real_exchange_loads_without_warnings(write: WriteConfig) -> None:
    options = NewConfigOptions(
        exchange="binance",
        stake_currency="USDT",
        stake_amount="unlimited",
        pairs=("BTC/USDT", "ETH/USDT"),
        max_open_trades=3,
        timeframe="1h",
        strategy="MyStrategy",
    )
    loaded = load_config([write("config.json", render_new_config(options))], env={})
    config = loaded.config
    assert loaded.warnings == []
    assert (config.exchange.name, config.stake_currency, config.timeframe) == (
        "binance",
        "USDT",
        "1h",
    )
    assert config.stake_amount == "unlimited"
    assert config.dry_run_wallet_amount("USDT") == 1000
    assert config.strategy == "MyStrategy"


def test_new_config_is_plain_json_once_comments_are_removed() -> None:
    data = json.loads(strip_comments(render_new_config(), "new"))
    assert data["dry_run"] is True


def test_new_config_has_fresh_secrets_each_time() -> None:
    first, second = NewConfigOptions(), NewConfigOptions()
    text_a, text_b = render_new_config(first), render_new_config(second)
    secrets_a, secrets_b = first.api_secrets, second.api_secrets
    assert re.fullmatch(r"[0-9a-f]{64}", secrets_a.jwt_secret_key)
    assert secrets_a.jwt_secret_key != secrets_b.jwt_secret_key
    assert secrets_a.ws_token != secrets_b.ws_token
    assert secrets_a.password != secrets_b.password
    for value in (secrets_a.jwt_secret_key, secrets_a.ws_token, secrets_a.password):
        assert value in text_a
        assert value not in text_b


def test_new_config_refuses_options_that_would_not_load() -> None:
    with pytest.raises(ConfigError, match=r"'BTCUSDT' is not a pair"):
        render_new_config(NewConfigOptions(pairs=("BTCUSDT",)))


def test_new_config_written_to_disk_round_trips(tmp_path: Path) -> None:
    options = NewConfigOptions()
    path = tmp_path / "config.json"
    path.write_text(render_new_config(options), encoding="utf-8")
    config = load_config([path], env={}).config
    assert config.api_server is not None
    assert config.api_server.password == options.api_secrets.password
    assert config.api_server.ws_token == options.api_secrets.ws_token
