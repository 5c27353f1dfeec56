import math
from typing import Any

import pandas as pd
import pytest
from pydantic import BaseModel

from tradewind.errors import ConfigError
from tradewind.strategy import IStrategy
from tradewind.strategy.settings import SETTING_KEYS, resolve_settings

BASE_CONFIG: dict[str, Any] = {"stake_currency": "BTC", "stake_amount": 0.01, "max_open_trades": 3}


class _Strategy(IStrategy):
    timeframe = "5m"
    stoploss = -0.1
    minimal_roi = {"20": 0.02, "0": 0.04, "40.0": 0.0}  # noqa: RUF012
    use_exit_signal = False

    def populate_indicators(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        return dataframe


def _resolve(strategy: IStrategy | None = None, **config: Any):
    return resolve_settings(strategy or _Strategy(), {**BASE_CONFIG, **config})


def test_config_value_wins_over_the_strategy_attribute():
    strategy = _Strategy()
    settings = _resolve(strategy, stoploss=-0.2, timeframe="1h", use_exit_signal=True)
    assert (settings.stoploss, settings.timeframe, settings.use_exit_signal) == (-0.2, "1h", True)
    assert strategy.stoploss == -0.2
    assert strategy.timeframe == "1h"


def test_strategy_attribute_wins_when_the_config_value_is_missing_or_none():
    settings = _resolve(stoploss=None)
    assert settings.stoploss == -0.1
    assert settings.use_exit_signal is False


def test_defaults_apply_when_neither_config_nor_strategy_define_a_key():
    settings = _resolve()
    assert settings.order_types["entry"] == "limit"
    assert settings.order_time_in_force == {"entry": "GTC", "exit": "GTC"}
    assert settings.unfilledtimeout == {}
    assert settings.max_entry_position_adjustment == -1
    assert settings.trailing_stop_positive is None


def test_effective_values_are_written_back_to_a_dict_config():
    config = {**BASE_CONFIG}
    resolve_settings(_Strategy(), config)
    assert set(SETTING_KEYS) <= set(config)
    assert config["stoploss"] == -0.1
    assert config["minimal_roi"] == {"0": 0.04, "20": 0.02, "40": 0.0}
    assert config["max_open_trades"] == 3


def test_minimal_roi_keys_become_sorted_int_minutes():
    strategy = _Strategy()
    settings = _resolve(strategy)
    assert settings.minimal_roi == ((0, 0.04), (20, 0.02), (40, 0.0))
    assert strategy.minimal_roi == {0: 0.04, 20: 0.02, 40: 0.0}
    assert settings.roi_for(0) == 0.04
    assert settings.roi_for(39) == 0.02
    assert settings.roi_for(600) == 0.0


def test_unlimited_max_open_trades_is_infinity_inside_and_minus_one_in_the_config():
    config = {**BASE_CONFIG, "max_open_trades": -1}
    strategy = _Strategy()
    settings = resolve_settings(strategy, config)
    assert math.isinf(settings.max_open_trades)
    assert math.isinf(strategy.max_open_trades)
    assert config["max_open_trades"] == -1


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"stoploss": 0.05}, "stoploss"),
        ({"stoploss": 0}, "stoploss"),
        ({"timeframe": "7x"}, "timeframe"),
        ({"minimal_roi": {"abc": 0.1}}, "minimal_roi"),
        ({"trailing_stop": True, "trailing_stop_positive": 0}, "trailing_stop_positive"),
        (
            {
                "trailing_stop": True,
                "trailing_stop_positive": 0.02,
                "trailing_stop_positive_offset": 0.01,
            },
            "trailing_stop_positive_offset",
        ),
        (
            {"trailing_stop": True, "trailing_only_offset_is_reached": True},
            "trailing_only_offset_is_reached",
        ),
        ({"order_types": {"entry": "limit"}}, "order_types"),
        (
            {
                "order_types": {
                    "entry": "fast",
                    "exit": "limit",
                    "stoploss": "limit",
                    "stoploss_on_exchange": False,
                }
            },
            "order_types.entry",
        ),
        ({"order_time_in_force": {"entry": "XYZ"}}, "order_time_in_force.entry"),
        ({"max_open_trades": -3}, "max_open_trades"),
        ({"stake_amount": "unlimited", "max_open_trades": -1}, "stake_amount"),
        ({"stake_currency": None}, "stake_currency"),
        ({"unfilledtimeout": {"entry": 10, "unit": "hours"}}, "unfilledtimeout"),
    ],
)
def test_invalid_values_are_config_errors_naming_the_key(overrides, key):
    with pytest.raises(ConfigError, match=key):
        _resolve(**overrides)


def test_a_missing_stoploss_is_a_config_error():
    class NoStop(IStrategy):
        timeframe = "5m"

        def populate_indicators(
            self, dataframe: pd.DataFrame, metadata: dict[str, Any]
        ) -> pd.DataFrame:
            return dataframe

    with pytest.raises(ConfigError, match="stoploss is required"):
        _resolve(NoStop())


def test_trailing_settings_pass_when_consistent():
    settings = _resolve(
        trailing_stop=True,
        trailing_stop_positive=0.01,
        trailing_stop_positive_offset=0.02,
        trailing_only_offset_is_reached=True,
    )
    assert (settings.trailing_stop_positive, settings.trailing_stop_positive_offset) == (0.01, 0.02)


def test_legacy_order_keys_are_migrated():
    settings = _resolve(
        order_types={
            "buy": "market",
            "sell": "limit",
            "stoploss": "limit",
            "stoploss_on_exchange": False,
        },
        unfilledtimeout={"buy": 10, "sell": 20},
    )
    assert settings.order_types["entry"] == "market"
    assert settings.order_types["exit"] == "limit"
    assert dict(settings.unfilledtimeout) == {"entry": 10, "exit": 20}


class _OrderTypes(BaseModel):
    entry: str = "limit"
    exit: str = "limit"
    stoploss: str = "limit"
    stoploss_on_exchange: bool = False
    force_entry: str | None = None


class _Config(BaseModel):
    stake_currency: str = "BTC"
    stake_amount: float | str = 0.01
    max_open_trades: int = 3
    stoploss: float | None = None
    timeframe: str | None = None
    use_exit_signal: bool = True
    order_types: _OrderTypes | None = None
    minimal_roi: dict[str, float] | None = None


def test_pydantic_config_defaults_do_not_override_the_strategy():
    config = _Config()  # nothing given explicitly
    settings = resolve_settings(_Strategy(), config)
    assert settings.use_exit_signal is False  # the strategy's value, not the model default
    assert config.use_exit_signal is False  # written back
    assert config.stoploss == -0.1


def test_pydantic_config_values_given_explicitly_win_and_submodels_are_read_and_written():
    config = _Config(use_exit_signal=True, order_types=_OrderTypes(entry="market"))
    strategy = _Strategy()
    settings = resolve_settings(strategy, config)
    assert settings.use_exit_signal is True
    assert settings.order_types["entry"] == "market"
    assert "force_entry" not in settings.order_types  # exclude_none
    assert isinstance(strategy.order_types, dict)
    assert isinstance(config.order_types, _OrderTypes)
    assert config.minimal_roi == {"0": 0.04, "20": 0.02, "40": 0.0}


def test_pydantic_submodel_is_created_when_the_config_had_none():
    config = _Config()
    resolve_settings(_Strategy(), config)
    assert isinstance(config.order_types, _OrderTypes)
