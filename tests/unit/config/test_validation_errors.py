"""Each class of bad config gives one clear message: file, key path, problem, no secret."""

from __future__ import annotations

from typing import Any

import pytest

from tradewind.config import load_config
from tradewind.errors import ConfigError

from .conftest import WriteConfig

API = {
    "enabled": True,
    "listen_ip_address": "127.0.0.1",
    "listen_port": 8080,
    "username": "admin",
    "password": "hunter2-password",
    "jwt_secret_key": "jwt-secret-value-0123456789abcdef",
    "ws_token": "ws-token-value",
}


def error_of(write: WriteConfig, config: dict[str, Any], env: dict[str, str] | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config([write("config.json", config)], env=env or {})
    return str(caught.value).replace(str(write("x.json", "{}").parent) + "/", "")


def test_wrong_type(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["max_open_trades"] = "three"
    assert error_of(write, minimal) == (
        'config.json: max_open_trades: must be an integer >= -1 (got "three")'
    )


def test_missing_required_key(write: WriteConfig, minimal: dict[str, Any]) -> None:
    del minimal["stake_currency"]
    assert error_of(write, minimal) == "config.json: stake_currency: required key is missing"


def test_missing_key_in_a_section(write: WriteConfig, minimal: dict[str, Any]) -> None:
    del minimal["exchange"]["name"]
    assert error_of(write, minimal) == "config.json: exchange.name: required key is missing"


def test_impossible_value(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["tradable_balance_ratio"] = 1.5
    assert error_of(write, minimal) == (
        "config.json: tradable_balance_ratio: must be a number between 0 and 1 (got 1.5)"
    )


def test_bad_enum_value(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["entry_pricing"] = {"price_side": "best"}
    assert error_of(write, minimal) == (
        'config.json: entry_pricing.price_side: must be one of "ask", "bid", "same", "other" '
        '(got "best")'
    )


def test_bad_pair(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["exchange"]["pair_whitelist"] = ["BTC/USDT", "ETH/USDT", "BTCUSDT"]
    assert error_of(write, minimal) == (
        "config.json: exchange.pair_whitelist[2]: 'BTCUSDT' is not a pair (expected BASE/QUOTE)"
    )


def test_regex_pairs_are_accepted_but_broken_regex_is_not(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["exchange"]["pair_whitelist"] = [".*/USDT", "BTC/(USDT"]
    assert error_of(write, minimal) == (
        "config.json: exchange.pair_whitelist[1]: 'BTC/(USDT' is not a pair or a valid "
        "regular expression"
    )


def test_duplicate_pair(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["exchange"]["pair_whitelist"] = ["BTC/USDT", "BTC/USDT"]
    assert "exchange.pair_whitelist: 'BTC/USDT' is listed twice" in error_of(write, minimal)


def test_bad_ip_address(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["api_server"] = {**API, "listen_ip_address": "localhost"}
    message = error_of(write, minimal)
    assert message.startswith(
        "config.json: api_server.listen_ip_address: 'localhost' is not an IP address"
    )
    assert "hunter2-password" not in message


def test_port_out_of_range(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["api_server"] = {**API, "listen_port": 80}
    assert error_of(write, minimal) == (
        "config.json: api_server.listen_port: must be an integer between 1024 and 65535 (got 80)"
    )


@pytest.mark.parametrize(
    "origin", ["http://example.com/", "http://example.com/ui", "example.com", "ftp://x.org"]
)
def test_cors_origins_must_be_bare_origins(
    write: WriteConfig, minimal: dict[str, Any], origin: str
) -> None:
    minimal["api_server"] = {**API, "CORS_origins": ["https://ok.example:8443", origin]}
    assert error_of(write, minimal) == (
        f"config.json: api_server.CORS_origins[1]: '{origin}' is not an origin "
        "(expected scheme://host[:port], no path or trailing slash)"
    )


def test_unlimited_stake_with_unlimited_trades(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["stake_amount"] = "unlimited"
    minimal["max_open_trades"] = -1
    assert error_of(write, minimal) == (
        "config.json: stake_amount: stake_amount and max_open_trades cannot both be unlimited"
    )


def test_duplicate_producer_names(write: WriteConfig, minimal: dict[str, Any]) -> None:
    producer = {"name": "default", "host": "127.0.0.1", "ws_token": "leader-secret"}
    minimal["external_message_consumer"] = {"enabled": True, "producers": [producer, producer]}
    message = error_of(write, minimal)
    assert message == (
        "config.json: external_message_consumer.producers: producer names must be unique "
        "('default' is repeated)"
    )


def test_enabled_consumer_without_producers(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["external_message_consumer"] = {"enabled": True, "producers": []}
    assert error_of(write, minimal) == (
        "config.json: external_message_consumer: "
        "You must specify at least 1 Producer to connect to."
    )


def test_edge_enabled(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["edge"] = {"enabled": True, "process_throttle_secs": 3600}
    assert error_of(write, minimal).startswith(
        "config.json: edge.enabled: Edge is not supported by tradewind"
    )


def test_edge_section_disabled_is_accepted(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["edge"] = {"enabled": False, "process_throttle_secs": 3600}
    assert load_config([write("c.json", minimal)], env={}).warnings == []


def test_every_problem_is_listed_in_one_message(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["max_open_trades"] = "three"
    del minimal["stake_currency"]
    minimal["exchange"]["pair_whitelist"] = ["BTCUSDT"]
    assert error_of(write, minimal) == (
        "The configuration has 3 problems:\n"
        '  config.json: max_open_trades: must be an integer >= -1 (got "three")\n'
        "  config.json: stake_currency: required key is missing\n"
        "  config.json: exchange.pair_whitelist[0]: 'BTCUSDT' is not a pair (expected BASE/QUOTE)"
    )


def test_problem_names_the_file_or_variable_that_set_the_key(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    base = write("base.json", minimal)
    override = write("override.json", {"exchange": {"pair_blacklist": ["(bad"]}})
    with pytest.raises(ConfigError) as caught:
        load_config([base, override], env={"TRADEWIND__INTERNALS__HEARTBEAT_INTERVAL": "often"})
    message = str(caught.value)
    assert f"{override}: exchange.pair_blacklist[0]: '(bad' is not a pair" in message
    assert (
        "environment variable TRADEWIND__INTERNALS__HEARTBEAT_INTERVAL: "
        'internals.heartbeat_interval: must be an integer >= 0 (got "often")'
    ) in message


def test_secrets_never_appear_in_errors(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["api_server"] = {**API, "password": 12345678, "ws_token": ["ok-token", 987654321]}
    minimal["exchange"]["secret"] = ["exchange-secret-value"]
    minimal["external_message_consumer"] = {
        "enabled": True,
        "producers": [{"name": "a", "host": "h", "ws_token": 55555555}],
    }
    message = error_of(write, minimal)
    for secret in ("12345678", "987654321", "exchange-secret-value", "55555555", "ok-token"):
        assert secret not in message
    assert "api_server.password: must be a string (got ***)" in message
    assert "exchange.secret: must be a string (got ***)" in message
    assert "external_message_consumer.producers[0].ws_token: must be a string (got ***)" in message


def test_market_entry_needs_a_fitting_price_side(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["order_types"] = {
        "entry": "market",
        "exit": "market",
        "stoploss": "market",
        "stoploss_on_exchange": False,
    }
    minimal["exit_pricing"] = {"price_side": "other"}
    assert error_of(write, minimal) == (
        'config.json: order_types.entry: market entry orders need entry_pricing.price_side "ask" '
        'or "other" (got "same")'
    )


def test_order_types_need_their_required_keys(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["order_types"] = {"entry": "limit", "exit": "limit", "stoploss": "limit"}
    assert error_of(write, minimal) == (
        "config.json: order_types.stoploss_on_exchange: required key is missing"
    )


@pytest.mark.parametrize(
    ("trailing", "expected"),
    [
        (
            {"trailing_stop_positive": 0},
            "trailing_stop_positive: must not be 0 when trailing_stop is enabled",
        ),
        (
            {"trailing_stop_positive": 0.02, "trailing_stop_positive_offset": 0.01},
            "trailing_stop_positive_offset: must be greater than trailing_stop_positive "
            "(0.01 <= 0.02)",
        ),
        (
            {"trailing_only_offset_is_reached": True},
            "trailing_only_offset_is_reached: needs trailing_stop_positive to be set",
        ),
    ],
)
def test_trailing_stop_rules(
    write: WriteConfig, minimal: dict[str, Any], trailing: dict[str, Any], expected: str
) -> None:
    minimal.update(trailing, trailing_stop=True)
    assert error_of(write, minimal) == f"config.json: {expected}"


def test_trailing_rules_apply_only_with_trailing_stop(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal.update(
        trailing_stop=False, trailing_stop_positive=0, trailing_only_offset_is_reached=True
    )
    assert load_config([write("c.json", minimal)], env={}).config.trailing_stop is False


def test_demo_trading_with_dry_run(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["exchange"]["demo_trading"] = True
    assert error_of(write, minimal) == (
        "config.json: exchange.demo_trading: cannot be combined with dry_run"
    )


def test_first_pairlist_must_be_a_generator(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["pairlists"] = [{"method": "AgeFilter"}, {"method": "StaticPairList"}]
    assert error_of(write, minimal).startswith(
        "config.json: pairlists: the first handler must generate pairs"
    )


def test_unknown_pairlist_method_suggests_a_name(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["pairlists"] = [{"method": "StaticPairlist"}]
    assert error_of(write, minimal) == (
        "config.json: pairlists[0].method: unknown pairlist method 'StaticPairlist'; "
        "did you mean 'StaticPairList'?"
    )


def test_static_pairlist_needs_pairs_in_trade_mode(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["exchange"]["pair_whitelist"] = []
    assert error_of(write, minimal) == (
        "config.json: exchange.pair_whitelist: must list at least one pair for StaticPairList"
    )


def test_producer_pairlist_needs_the_consumer(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["pairlists"] = [{"method": "ProducerPairList"}]
    assert error_of(write, minimal) == (
        "config.json: pairlists[0].method: ProducerPairList needs external_message_consumer.enabled"
    )


def test_bare_sqlite_url_is_rejected(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["db_url"] = "sqlite:///"
    assert error_of(write, minimal).startswith(
        "config.json: db_url: 'sqlite:///' names no database"
    )


def test_bad_timeframe(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["timeframe"] = "5 minutes"
    assert error_of(write, minimal) == (
        'config.json: timeframe: must be a timeframe such as 1m, 5m, 1h, 1d (got "5 minutes")'
    )


def test_strict_booleans(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["force_entry_enable"] = "yes"
    assert error_of(write, minimal) == (
        'config.json: force_entry_enable: must be true or false (got "yes")'
    )


def test_section_of_the_wrong_type(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["exchange"] = "binance"
    assert error_of(write, minimal) == 'config.json: exchange: must be an object (got "binance")'


def test_simulation_settings_are_checked(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["exchange"]["simulation"] = {"speed": 0, "source": "dream", "start": "yesterday"}
    assert error_of(write, minimal) == (
        "The configuration has 3 problems:\n"
        "  config.json: exchange.simulation.speed: must be a number > 0 (got 0)\n"
        '  config.json: exchange.simulation.source: must be one of "auto", "replay", "generate" '
        '(got "dream")\n'
        "  config.json: exchange.simulation.start: must be an ISO 8601 date-time such as "
        '2018-01-10T00:00:00Z (got "yesterday")'
    )
