from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tradewind.config import load_config
from tradewind.config.models import BotConfig
from tradewind.domain.enums import BotState, RunMode
from tradewind.errors import ConfigError

from .conftest import WriteConfig

FOLLOWER_EXAMPLE = (Path(__file__).parent / "follower_example.jsonc").read_text()  # config.md §9


def test_the_spec_follower_example_loads_verbatim_without_warnings(write: WriteConfig) -> None:
    loaded = load_config([write("config.json", FOLLOWER_EXAMPLE)], env={})
    config = loaded.config
    assert loaded.warnings == []
    assert loaded.runmode is RunMode.DRY_RUN
    assert config.bot_name == "tradewind-follower"
    assert config.stake_amount_text() == "unlimited"
    assert config.max_open_trades == 3
    assert config.initial_state is BotState.RUNNING
    assert config.exchange.pair_blacklist == ["BNB/.*"]
    assert config.entry_pricing.check_depth_of_market.bids_to_ask_delta == 1
    assert config.api_server is not None
    assert config.api_server.listen_port == 8080
    assert config.api_server.ws_tokens() == ["another-secret"]
    producer = config.external_message_consumer.producers[0]
    assert (producer.name, producer.port, producer.secure) == ("default", 8081, False)
    assert config.external_message_consumer.wait_timeout == 30
    assert config.unfilledtimeout is not None
    assert config.unfilledtimeout.entry == 10
    assert config.effective_db_url() == "sqlite:///tradesv3.dryrun.sqlite"


def test_files_are_read_in_order_and_recorded(write: WriteConfig, minimal: dict[str, Any]) -> None:
    first = write("a.json", minimal)
    second = write("b.json", {"bot_name": "second"})
    loaded = load_config([first, second], env={})
    assert loaded.files == [first, second]
    assert loaded.config.bot_name == "second"


def test_later_files_deep_merge_objects_and_replace_lists_and_scalars(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["exchange"]["pair_blacklist"] = ["BNB/.*", "XRP/.*"]
    base = write("base.json", minimal)
    override = write(
        "override.json",
        {"stake_amount": 50, "exchange": {"pair_blacklist": ["DOGE/.*"], "enable_ws": False}},
    )
    config = load_config([base, override], env={}).config
    assert config.stake_amount == 50
    assert config.exchange.name == "binance"  # kept from base: objects merge key by key
    assert config.exchange.pair_whitelist == ["BTC/USDT", "ETH/USDT"]
    assert config.exchange.pair_blacklist == ["DOGE/.*"]  # lists are replaced
    assert config.exchange.enable_ws is False


def test_add_config_files_are_relative_to_the_including_file_which_wins(
    write: WriteConfig, minimal: dict[str, Any], tmp_path: Path
) -> None:
    write("conf/secrets.json", {"bot_name": "from-include", "stake_amount": 1, "fee": 0.002})
    main = write(
        "conf/main.json", {**minimal, "add_config_files": ["secrets.json"], "stake_amount": 7}
    )
    loaded = load_config([main], env={})
    assert loaded.config.stake_amount == 7  # the including file wins
    assert loaded.config.bot_name == "from-include"
    assert loaded.config.fee == 0.002
    assert loaded.files == [main, tmp_path / "conf" / "secrets.json"]


def test_add_config_files_may_nest_five_levels(write: WriteConfig, minimal: dict[str, Any]) -> None:
    for level in range(1, 6):
        content = {"add_config_files": [f"level{level + 1}.json"]} if level < 5 else {}
        write(f"level{level}.json", {**content, "bot_name": f"level{level}"})
    main = write("main.json", {**minimal, "add_config_files": ["level1.json"]})
    loaded = load_config([main], env={})
    assert len(loaded.files) == 6
    assert loaded.config.bot_name == "level1"


def test_add_config_files_deeper_than_five_levels_is_a_loop(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    for level in range(1, 7):
        content = {"add_config_files": [f"level{level + 1}.json"]} if level < 6 else {}
        write(f"level{level}.json", content)
    main = write("main.json", {**minimal, "add_config_files": ["level1.json"]})
    with pytest.raises(ConfigError, match="Config loop detected"):
        load_config([main], env={})


def test_files_including_each_other_is_a_loop(write: WriteConfig, minimal: dict[str, Any]) -> None:
    write("b.json", {"add_config_files": ["a.json"]})
    main = write("a.json", {**minimal, "add_config_files": ["b.json"]})
    with pytest.raises(ConfigError, match="Config loop detected") as caught:
        load_config([main], env={})
    assert "a.json → " in str(caught.value)


def test_missing_included_file_names_the_including_file(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    main = write("main.json", {**minimal, "add_config_files": ["nope.json"]})
    with pytest.raises(ConfigError, match=r"main.json: add_config_files\[0\]: file 'nope.json'"):
        load_config([main], env={})


def test_missing_config_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"Config file '.*absent.json' not found"):
        load_config([tmp_path / "absent.json"], env={})


def test_json_syntax_error_names_file_line_and_column(write: WriteConfig) -> None:
    path = write("config.json", '{\n  "dry_run": true\n  "stake_currency": "USDT"\n}')
    with pytest.raises(ConfigError) as caught:
        load_config([path], env={})
    assert str(caught.value) == f"{path}: invalid JSON at line 3, column 3: Expecting ',' delimiter"


def test_env_overrides_files_with_typed_values(write: WriteConfig, minimal: dict[str, Any]) -> None:
    env = {
        "TRADEWIND__MAX_OPEN_TRADES": "4",
        "TRADEWIND__STAKE_AMOUNT": "12.5",
        "TRADEWIND__DRY_RUN": "t",
        "TRADEWIND__EXCHANGE__PAIR_WHITELIST": '["LTC/USDT", "XRP/USDT"]',
        "TRADEWIND__EXCHANGE__CCXT_CONFIG__enableRateLimit": "false",
        "TRADEWIND__BOT_NAME": "env-bot",
    }
    config = load_config([write("c.json", minimal)], env=env).config
    assert config.max_open_trades == 4
    assert config.stake_amount == 12.5
    assert config.dry_run is True
    assert config.exchange.pair_whitelist == ["LTC/USDT", "XRP/USDT"]
    assert config.exchange.ccxt_config == {"enableRateLimit": False}  # case kept in ccxt options
    assert config.bot_name == "env-bot"


def test_password_like_env_values_stay_strings(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["api_server"] = {
        "enabled": True,
        "listen_ip_address": "127.0.0.1",
        "listen_port": 8080,
        "username": "u",
        "password": "p",
    }
    env = {"TRADEWIND__API_SERVER__PASSWORD": "1234", "TRADEWIND__API_SERVER__WS_TOKEN": "42"}
    config = load_config([write("c.json", minimal)], env=env).config
    assert config.api_server is not None
    assert config.api_server.password == "1234"
    assert config.api_server.ws_token == "42"


def test_tradewind_env_wins_over_freqtrade_env(write: WriteConfig, minimal: dict[str, Any]) -> None:
    env = {
        "FREQTRADE__BOT_NAME": "from-freqtrade",
        "TRADEWIND__BOT_NAME": "from-tradewind",
        "FREQTRADE__FEE": "0.003",
    }
    config = load_config([write("c.json", minimal)], env=env).config
    assert config.bot_name == "from-tradewind"
    assert config.fee == 0.003


def test_base_mapping_is_the_bottom_layer(write: WriteConfig, minimal: dict[str, Any]) -> None:
    loaded = load_config([write("c.json", {"bot_name": "file"})], env={}, base=minimal)
    assert loaded.config.bot_name == "file"
    assert loaded.config.stake_currency == "USDT"


def test_unknown_keys_warn_with_full_path_and_suggestion(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["exchange"]["pair_whitelits"] = ["BTC/USDT"]
    minimal["stake_currencyy"] = "EUR"
    minimal["api_server_extra"] = {"anything": True}
    path = write("config.json", minimal)
    warnings = load_config([path], env={}).warnings
    assert (
        f"{path}: Unknown config key 'exchange.pair_whitelits' ignored "
        "(did you mean 'exchange.pair_whitelist'?)"
    ) in warnings
    assert any("'stake_currencyy' ignored (did you mean 'stake_currency'?)" in w for w in warnings)
    assert any("Unknown config key 'api_server_extra' ignored" in w for w in warnings)
    assert len(warnings) == 3


def test_unknown_keys_in_api_server_and_pairlist_params_are_tolerated(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["api_server"] = {
        "enabled": False,
        "listen_ip_address": "0.0.0.0",
        "listen_port": 8080,
        "username": "u",
        "password": "",
        "something_new": 1,
    }
    minimal["pairlists"] = [{"method": "StaticPairList", "allow_inactive": True}]
    minimal["$schema"] = "https://schema.freqtrade.io/schema.json"
    loaded = load_config([write("c.json", minimal)], env={})
    assert loaded.warnings == []
    assert loaded.config.pairlists[0].params == {"allow_inactive": True}


def test_freqtrade_only_sections_warn_without_values(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["telegram"] = {"enabled": True, "token": "123:secret-token", "chat_id": "99"}
    warnings = load_config([write("c.json", minimal)], env={}).warnings
    assert len(warnings) == 1
    assert "'telegram' is a Freqtrade feature tradewind does not implement" in warnings[0]
    assert "secret-token" not in warnings[0]


def test_seed_era_names_are_migrated_with_a_warning(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    minimal["forcebuy_enable"] = True
    minimal["unfilledtimeout"] = {"buy": 10, "sell": 20}
    minimal["order_types"] = {
        "buy": "limit",
        "sell": "limit",
        "emergencysell": "market",
        "forcesell": "market",
        "forcebuy": "market",
        "stoploss": "market",
        "stoploss_on_exchange": False,
    }
    minimal["external_message_consumer"] = {
        "enabled": False,
        "producers": [],
        "reply_timeout": 45,
    }
    loaded = load_config([write("c.json", minimal)], env={})
    config = loaded.config
    assert config.force_entry_enable is True
    assert config.unfilledtimeout is not None
    assert (config.unfilledtimeout.entry, config.unfilledtimeout.exit) == (10, 20)
    assert config.order_types is not None
    assert config.order_types.force_exit == "market"
    assert config.order_types.emergency_exit == "market"
    assert config.external_message_consumer.wait_timeout == 45
    assert any("'forcebuy_enable' is deprecated" in w for w in loaded.warnings)
    assert any("'unfilledtimeout.buy' is deprecated" in w for w in loaded.warnings)
    assert any("'external_message_consumer.reply_timeout'" in w for w in loaded.warnings)
    assert not any("Unknown" in w for w in loaded.warnings)


def test_dry_run_must_be_written_for_the_trade_command(
    write: WriteConfig, minimal: dict[str, Any]
) -> None:
    del minimal["dry_run"]
    path = write("config.json", minimal)
    with pytest.raises(ConfigError, match=r"config.json: dry_run: required key is missing"):
        load_config([path], env={}, runmode=RunMode.LIVE)
    assert load_config([path], env={}, runmode=RunMode.WEBSERVER).config.dry_run is True


def test_live_runmode_follows_dry_run(write: WriteConfig, minimal: dict[str, Any]) -> None:
    minimal["dry_run"] = False
    loaded = load_config([write("c.json", minimal)], env={}, runmode=RunMode.DRY_RUN)
    assert loaded.runmode is RunMode.LIVE
    assert isinstance(loaded.config, BotConfig)
    assert loaded.config.effective_db_url() == "sqlite:///tradesv3.sqlite"
