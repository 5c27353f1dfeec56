from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tradewind.config import (
    DEFAULT_JWT_SECRET,
    BotConfig,
    ProducerConfig,
    check_effective_config,
    is_weak_jwt_secret,
)
from tradewind.errors import ConfigError


def make(minimal: dict[str, Any], **changes: Any) -> BotConfig:
    return BotConfig.model_validate({**minimal, **changes})


@pytest.mark.parametrize(
    ("written", "text"),
    [(100, "100"), (100.0, "100.0"), (0.05, "0.05"), ("unlimited", "unlimited")],
)
def test_stake_amount_renders_as_written(minimal: dict[str, Any], written: Any, text: str) -> None:
    assert make(minimal, stake_amount=written).stake_amount_text() == text


def test_strategy_overridable_keys_default_to_not_set(minimal: dict[str, Any]) -> None:
    config = make(minimal)
    for key in (
        "minimal_roi",
        "timeframe",
        "stoploss",
        "trailing_stop",
        "trailing_stop_positive",
        "order_types",
        "order_time_in_force",
        "unfilledtimeout",
        "max_open_trades",
        "process_only_new_candles",
        "use_exit_signal",
        "startup_candle_count",
        "position_adjustment_enable",
        "max_entry_position_adjustment",
    ):
        assert getattr(config, key) is None, key


def test_defaults_of_sections(minimal: dict[str, Any]) -> None:
    config = make(minimal)
    assert config.bot_name == "tradewind"
    assert config.initial_state == "stopped"
    assert config.entry_pricing.price_side == "same"
    assert config.entry_pricing.use_order_book is False
    assert [handler.method for handler in config.pairlists] == ["StaticPairList"]
    assert config.internals.process_throttle_secs == 5
    assert config.external_message_consumer.message_size_bytes == 8 * 2**20
    assert config.exchange.simulation.speed == 1.0
    assert config.exchange.simulation.seed == 42
    assert config.dataformat_ohlcv == "feather"
    assert config.api_server is None


def test_resolver_may_assign_plain_values_and_dicts(minimal: dict[str, Any]) -> None:
    config = make(minimal)
    config.stoploss = -0.1
    config.order_types = {"entry": "market", "exit": "limit"}  # type: ignore[assignment]
    config.unfilledtimeout = {"entry": 10, "exit": 10}  # type: ignore[assignment]
    assert config.order_types == {"entry": "market", "exit": "limit"}
    with pytest.raises(ConfigError, match=r"order_types.entry: market entry orders need"):
        check_effective_config(config)
    config.entry_pricing.price_side = "other"
    check_effective_config(config)


def test_max_open_trades_limit(minimal: dict[str, Any]) -> None:
    assert make(minimal, max_open_trades=3).max_open_trades_limit() == 3
    assert make(minimal, max_open_trades=-1).max_open_trades_limit() == math.inf
    assert make(minimal).max_open_trades_limit() == math.inf
    assert make(minimal, max_open_trades=4.0).max_open_trades == 4


def test_effective_db_url(minimal: dict[str, Any]) -> None:
    assert make(minimal).effective_db_url() == "sqlite:///tradesv3.dryrun.sqlite"
    assert make(minimal, dry_run=False).effective_db_url() == "sqlite:///tradesv3.sqlite"
    redirected = make(minimal, db_url="sqlite:///tradesv3.sqlite")
    assert redirected.effective_db_url() == "sqlite:///tradesv3.dryrun.sqlite"
    assert make(minimal, db_url="sqlite://").effective_db_url() == "sqlite://"


def test_effective_directories(minimal: dict[str, Any], tmp_path: Path) -> None:
    config = make(minimal)
    assert config.effective_user_data_dir() == Path.cwd() / "user_data"
    assert config.effective_datadir() == Path.cwd() / "user_data" / "data" / "binance"
    minimal["exchange"]["name"] = "Kraken"
    config = make(minimal, user_data_dir=str(tmp_path / "ud"))
    assert config.effective_datadir() == tmp_path / "ud" / "data" / "kraken"
    assert make(minimal, datadir="rel").effective_datadir() == Path.cwd() / "rel"


def test_dry_run_wallet_amount(minimal: dict[str, Any]) -> None:
    single = make(minimal, dry_run_wallet=500)
    assert single.dry_run_wallet_amount("USDT") == 500
    assert single.dry_run_wallet_amount("BTC") == 0
    several = make(minimal, dry_run_wallet={"USDT": 1000, "BTC": 0.1})
    assert several.dry_run_wallet_amount("BTC") == 0.1
    assert several.dry_run_wallet_amount("ETH") == 0
    assert make(minimal).dry_run_wallet_amount("USDT") == 1000


def test_time_in_force_is_case_insensitive(minimal: dict[str, Any]) -> None:
    config = make(minimal, order_time_in_force={"entry": "gtc", "exit": "Ioc"})
    assert config.order_time_in_force is not None
    assert (config.order_time_in_force.entry, config.order_time_in_force.exit) == ("GTC", "IOC")


def test_simulation_start_is_utc(minimal: dict[str, Any]) -> None:
    minimal["exchange"]["simulation"] = {"start": "2018-01-10T00:00:00"}
    config = make(minimal)
    assert config.exchange.simulation.start == datetime(2018, 1, 10, tzinfo=UTC)
    assert config.exchange.is_simulated is False


def test_api_key_precedence(minimal: dict[str, Any]) -> None:
    minimal["exchange"].update(key="old", apiKey="ccxt")
    assert make(minimal).exchange.effective_api_key() == "ccxt"
    minimal["exchange"]["api_key"] = "new"
    assert make(minimal).exchange.effective_api_key() == "new"


def test_producer_url() -> None:
    producer = ProducerConfig(name="default", host="10.0.0.2", port=9000, secure=True, ws_token="t")
    assert producer.url() == "wss://10.0.0.2:9000/api/v1/message/ws"


def test_weak_jwt_secrets() -> None:
    assert is_weak_jwt_secret("somethingrandom")
    assert is_weak_jwt_secret(DEFAULT_JWT_SECRET)
    assert not is_weak_jwt_secret("0123456789abcdef0123456789abcdef")


def test_short_jwt_secret_is_accepted(minimal: dict[str, Any]) -> None:
    api = {
        "enabled": True,
        "listen_ip_address": "::1",
        "listen_port": 8080,
        "username": "u",
        "password": "",
        "jwt_secret_key": "somethingrandom",
    }
    config = make(minimal, api_server=api)
    assert config.api_server is not None
    assert config.api_server.jwt_secret_key == "somethingrandom"


def test_missing_jwt_secret_gets_the_public_default(minimal: dict[str, Any]) -> None:
    api = {"enabled": True, "listen_ip_address": "0.0.0.0", "listen_port": 8080}
    config = make(minimal, api_server={**api, "username": "u", "password": "p"})
    assert config.api_server is not None
    assert config.api_server.jwt_secret_key == DEFAULT_JWT_SECRET
