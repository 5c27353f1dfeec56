import json
from typing import Any, ClassVar

import pandas as pd
import pytest

from tradewind.errors import ConfigError
from tradewind.strategy import (
    BooleanParameter,
    CategoricalParameter,
    DecimalParameter,
    IntParameter,
    IStrategy,
    RealParameter,
)
from tradewind.strategy.parameters import (
    apply_parameter_values,
    list_parameters,
    parameters_for_api,
    read_parameter_file,
)


class _Params(IStrategy):
    timeframe = "5m"
    stoploss = -0.1
    buy_rsi = IntParameter(10, 40, default=30)
    buy_dec = DecimalParameter(0.1, 0.9, default=0.55555, decimals=2)
    sell_real = RealParameter([0.5, 1.5], default=1.0)
    sell_kind = CategoricalParameter(["a", "b", "c"], default="b")
    protection_on = BooleanParameter(default=True)
    custom = IntParameter(1, 5, default=2, space="sell")
    buy_params: ClassVar[dict[str, Any]] = {"buy_rsi": 25, "buy_dec": 0.333}

    def populate_indicators(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        return dataframe


def test_int_parameter_value_range_and_bounds():
    param = IntParameter(1, 5, default=3)
    assert (param.value, param.low, param.high) == (3, 1, 5)
    assert list(param.range) == [3]
    param.in_space = True
    assert list(param.range) == [1, 2, 3, 4, 5]


def test_bounds_may_be_given_as_a_two_item_sequence():
    assert (IntParameter([2, 8], default=4).low, IntParameter([2, 8], default=4).high) == (2, 8)
    with pytest.raises(ValueError):
        IntParameter([2, 8], 9, default=4)
    with pytest.raises(ValueError):
        IntParameter([2, 8, 9], default=4)
    with pytest.raises(ValueError):
        IntParameter(2, default=4)


def test_parameters_refuse_an_explicit_name():
    with pytest.raises(ValueError, match="name"):
        IntParameter(1, 5, default=3, name="buy_x")


def test_decimal_parameter_rounds_default_and_assigned_values():
    param = DecimalParameter(0.1, 0.9, default=0.55555, decimals=2)
    assert param.value == 0.56
    param.value = 0.123456
    assert param.value == 0.12
    param.in_space = True
    assert param.range[:3] == [0.1, 0.11, 0.12]
    assert param.range[-1] == 0.9


def test_categorical_defaults_to_the_first_category_and_needs_two():
    assert CategoricalParameter(["x", "y"]).value == "x"
    with pytest.raises(ValueError, match="2 categories"):
        CategoricalParameter(["only"])
    flag = BooleanParameter(default=False)
    assert flag.value is False
    assert flag.opt_range == [True, False]


def test_space_is_inferred_from_the_name_prefix():
    spaces = {info.name: info.space for info in list_parameters(_Params())}
    assert spaces == {
        "buy_dec": "buy",
        "buy_rsi": "buy",
        "custom": "sell",
        "protection_on": "protection",
        "sell_kind": "sell",
        "sell_real": "sell",
    }


def test_a_parameter_without_a_space_prefix_is_a_load_error():
    class Bad(_Params):
        threshold = IntParameter(1, 5, default=2)

    with pytest.raises(ConfigError, match="Cannot determine parameter space for 'threshold'"):
        list_parameters(Bad())


def test_class_params_dict_overrides_the_default():
    strategy = _Params()
    apply_parameter_values(strategy)
    assert strategy.buy_rsi.value == 25
    assert strategy.buy_dec.value == 0.33
    assert strategy.sell_kind.value == "b"


def test_parameter_file_overrides_the_class_dict_and_attribute_sections():
    strategy = _Params()
    file_params = {
        "buy": {"buy_rsi": 12},
        "sell": {"sell_kind": "c"},
        "roi": {"0": 0.2},
        "stoploss": {"stoploss": -0.05},
        "trailing": {"trailing_stop": True, "trailing_stop_positive": 0.01},
        "max_open_trades": {"max_open_trades": 2},
    }
    apply_parameter_values(strategy, file_params)
    assert strategy.buy_rsi.value == 12
    assert strategy.buy_dec.value == 0.33  # from buy_params, not in the file
    assert strategy.sell_kind.value == "c"
    assert strategy.minimal_roi == {"0": 0.2}
    assert strategy.stoploss == -0.05
    assert strategy.trailing_stop is True
    assert strategy.max_open_trades == 2


def test_load_false_ignores_stored_values():
    class NoLoad(_Params):
        buy_rsi = IntParameter(10, 40, default=30, load=False)

    strategy = NoLoad()
    apply_parameter_values(strategy, {"buy": {"buy_rsi": 11}})
    assert strategy.buy_rsi.value == 30


def test_each_instance_owns_its_parameter_values():
    first, second = _Params(), _Params()
    first.buy_rsi.value = 11
    assert second.buy_rsi.value == 30
    assert _Params.buy_rsi.value == 30


def test_read_parameter_file_checks_the_strategy_name(tmp_path):
    path = tmp_path / "params.json"
    path.write_text(json.dumps({"strategy_name": "Other", "params": {"buy": {}}}))
    assert read_parameter_file(path, "_Params") is None
    path.write_text(json.dumps({"strategy_name": "_Params", "params": {"buy": {"buy_rsi": 3}}}))
    assert read_parameter_file(path, "_Params") == {"buy": {"buy_rsi": 3}}
    assert read_parameter_file(tmp_path / "missing.json", "_Params") is None
    path.write_text("{not json")
    with pytest.raises(ConfigError, match=r"params\.json"):
        read_parameter_file(path, "_Params")


def test_api_representation_is_grouped_by_space_then_alphabetical():
    strategy = _Params()
    entries = parameters_for_api(strategy)
    assert [e["name"] for e in entries] == [
        "buy_dec",
        "buy_rsi",
        "custom",
        "sell_kind",
        "sell_real",
        "protection_on",
    ]
    assert entries[0] == {
        "param_type": "DecimalParameter",
        "name": "buy_dec",
        "space": "buy",
        "load": True,
        "optimize": True,
        "value": 0.56,
        "low": 0.1,
        "high": 0.9,
        "decimals": 2,
    }
    by_name = {e["name"]: e for e in entries}
    assert by_name["buy_rsi"] == {
        "param_type": "IntParameter",
        "name": "buy_rsi",
        "space": "buy",
        "load": True,
        "optimize": True,
        "value": 30,
        "low": 10,
        "high": 40,
    }
    assert by_name["sell_kind"]["opt_range"] == ["a", "b", "c"]
    assert by_name["protection_on"]["opt_range"] == [True, False]
    assert "low" not in by_name["protection_on"]
