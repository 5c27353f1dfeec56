from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from tradewind.strategy import IStrategy
from tradewind.strategy.interface import DEFAULT_ORDER_TYPES
from tradewind.strategy.legacy import migrate_legacy_attributes

from .builders import START, make_trade


class _Minimal(IStrategy):
    timeframe = "5m"
    stoploss = -0.1

    def populate_indicators(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        return dataframe


class _Locks:
    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []

    def lock_pair(self, pair, until, reason, side):
        self.calls.append(("lock", pair, until, reason, side))

    def unlock_pair(self, pair):
        self.calls.append(("unlock", pair))

    def unlock_reason(self, reason):
        self.calls.append(("unlock_reason", reason))

    def is_pair_locked(self, pair, at, side):
        self.calls.append(("locked?", pair, at, side))
        return True


def test_class_attribute_defaults_follow_the_spec():
    strategy = _Minimal()
    assert strategy.INTERFACE_VERSION == 3
    assert strategy.minimal_roi == {}
    assert strategy.can_short is False
    assert strategy.process_only_new_candles is True
    assert strategy.startup_candle_count == 0
    assert strategy.use_exit_signal is True
    assert strategy.max_entry_position_adjustment == -1
    assert strategy.order_types == DEFAULT_ORDER_TYPES
    assert strategy.order_time_in_force == {"entry": "GTC", "exit": "GTC"}
    assert strategy.protections == [] and strategy.plot_config == {}
    assert strategy.informative_pairs() == [] and strategy.version() is None


def test_callback_defaults_follow_the_spec():
    strategy = _Minimal()
    trade = make_trade()
    assert strategy.custom_stoploss("P", trade, START, 1.0, 0.0, False) is None
    assert strategy.custom_exit("P", trade, START, 1.0, 0.0) is None
    assert strategy.confirm_trade_entry("P", "limit", 1.0, 1.0, "GTC", START, None, "long") is True
    assert strategy.custom_stake_amount("P", START, 1.0, 5.0, 1.0, 10.0, 1.0, None, "long") == 5.0
    assert strategy.leverage("P", START, 1.0, 3.0, 5.0, None, "long") == 1.0
    assert strategy.custom_entry_price("P", None, START, 2.0, None, "long") == 2.0
    assert strategy.adjust_trade_position(trade, START, 1, 0, 1, 2, 1, 1, 0, 0) is None


def test_each_instance_gets_its_own_copies_of_mutable_class_attributes():
    first, second = _Minimal(), _Minimal()
    first.order_types["entry"] = "market"
    first.minimal_roi[0] = 0.5
    assert second.order_types["entry"] == "limit"
    assert second.minimal_roi == {} and IStrategy.minimal_roi == {}


def test_plot_config_and_protections_may_be_properties():
    class WithProperties(_Minimal):
        @property
        def plot_config(self):  # type: ignore[override]
            return {"main_plot": {"x": {}}}

        @property
        def protections(self):  # type: ignore[override]
            return [{"method": "CooldownPeriod"}]

    strategy = WithProperties()
    assert strategy.plot_config == {"main_plot": {"x": {}}}
    assert strategy.protections == [{"method": "CooldownPeriod"}]


def test_pair_lock_helpers_delegate_to_the_injected_service():
    strategy = _Minimal()
    locks = _Locks()
    strategy.pair_locks = locks
    until = START + timedelta(hours=1)
    strategy.lock_pair("ETH/BTC", until, reason="cooldown")
    strategy.unlock_pair("ETH/BTC")
    strategy.unlock_reason("cooldown")
    assert strategy.is_pair_locked("ETH/BTC") is True
    assert strategy.is_pair_locked(
        "ETH/BTC", candle_date=datetime(2024, 1, 1, 0, 2, tzinfo=UTC), side="long"
    )
    assert locks.calls == [
        ("lock", "ETH/BTC", until, "cooldown", "*"),
        ("unlock", "ETH/BTC"),
        ("unlock_reason", "cooldown"),
        ("locked?", "ETH/BTC", None, "*"),
        ("locked?", "ETH/BTC", datetime(2024, 1, 1, 0, 5, tzinfo=UTC), "long"),  # candle close
    ]


def test_without_a_lock_service_locking_is_a_logged_no_op(caplog):
    strategy = _Minimal()
    strategy.lock_pair("ETH/BTC", START)
    assert strategy.is_pair_locked("ETH/BTC") is False
    assert "pair locks are not available" in caplog.text


def test_populate_indicators_is_abstract():
    class NoIndicators(IStrategy):
        stoploss = -0.1

    with pytest.raises(TypeError):
        NoIndicators()  # type: ignore[abstract]


def test_seed_era_attribute_names_are_migrated_with_warnings(caplog):
    class Seed(_Minimal):
        use_sell_signal = False
        sell_profit_only = True
        sell_profit_offset = 0.02
        ignore_roi_if_buy_signal = True
        order_time_in_force = {"buy": "GTC", "sell": "IOC"}  # noqa: RUF012

    strategy = Seed()
    migrate_legacy_attributes(strategy, IStrategy)
    assert strategy.use_exit_signal is False
    assert strategy.exit_profit_only is True
    assert strategy.exit_profit_offset == 0.02
    assert strategy.ignore_roi_if_entry_signal is True
    assert strategy.order_time_in_force == {"entry": "GTC", "exit": "IOC"}
    assert "'use_sell_signal' is deprecated, use 'use_exit_signal'" in caplog.text


def test_the_new_name_wins_when_both_are_defined():
    class Both(_Minimal):
        use_sell_signal = False
        use_exit_signal = True

    strategy = Both()
    migrate_legacy_attributes(strategy, IStrategy)
    assert strategy.use_exit_signal is True


def test_plot_config_for_the_api_always_has_subplots():
    from tradewind.strategy.interface import plot_config_for_api

    class Charted(_Minimal):
        plot_config = {"main_plot": {"tema": {}}}  # noqa: RUF012

    class Broken(_Minimal):
        @property
        def plot_config(self):  # type: ignore[override]
            raise RuntimeError("oops")

    assert plot_config_for_api(Charted()) == {"main_plot": {"tema": {}}, "subplots": {}}
    assert plot_config_for_api(_Minimal()) == {}
    assert plot_config_for_api(Broken()) == {}
