import logging
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tradewind.domain.enums import SignalDirection
from tradewind.errors import ConfigError, StrategyError
from tradewind.strategy import IStrategy

from .builders import candles, runner_for


class _Signals(IStrategy):
    """Sets whatever the test puts in `signals` on the last row."""

    timeframe = "5m"
    stoploss = -0.1
    signals: dict[str, Any] | None = None

    def populate_indicators(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        dataframe["sma"] = dataframe["close"].rolling(3).mean()
        return dataframe

    def populate_entry_trend(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        for column, value in (self.signals or {}).items():
            if column.startswith("enter"):
                dataframe.loc[dataframe.index[-1], column] = value
        return dataframe

    def populate_exit_trend(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        for column, value in (self.signals or {}).items():
            if column.startswith("exit"):
                dataframe.loc[dataframe.index[-1], column] = value
        return dataframe


def _analyzed(signals: dict[str, Any], rows: int = 20, **strategy_attrs: Any):
    config = strategy_attrs.pop("config", None)
    strategy = _Signals()
    strategy.signals = signals
    for name, value in strategy_attrs.items():
        setattr(strategy, name, value)
    runner = runner_for(strategy, config)
    frame = runner.analyze("ETH/BTC", candles(rows=rows))
    last_open = frame["date"].iloc[-1].to_pydatetime()
    return runner, frame, last_open + timedelta(minutes=5, seconds=3)


# -- analysis ------------------------------------------------------------------------------------
def test_analyze_runs_all_populate_methods_and_initialises_tags():
    _, frame, _ = _analyzed({"enter_long": 1})
    assert {"sma", "enter_long", "enter_tag", "exit_tag"} <= set(frame.columns)
    assert frame["enter_tag"].iloc[0] == "" and frame["exit_tag"].iloc[0] == ""
    assert np.isnan(frame["enter_long"].iloc[0]) and frame["enter_long"].iloc[-1] == 1


def test_analyze_works_on_a_copy_of_the_candles():
    source = candles(rows=10)
    runner_for(_Signals()).analyze("ETH/BTC", source)
    assert list(source.columns) == ["date", "open", "high", "low", "close", "volume"]


def test_an_exception_in_user_code_becomes_a_strategy_error_naming_the_pair():
    class Broken(_Signals):
        def populate_indicators(self, dataframe, metadata):
            return dataframe["no_such_column"]

    with pytest.raises(StrategyError) as caught:
        runner_for(Broken()).analyze("LTC/BTC", candles())
    assert caught.value.pair == "LTC/BTC"
    assert "populate_indicators raised KeyError" in str(caught.value)
    assert isinstance(caught.value.__cause__, KeyError)


def test_returning_none_is_a_strategy_error():
    class ReturnsNone(_Signals):
        def populate_entry_trend(self, dataframe, metadata):
            dataframe["enter_long"] = 0

    with pytest.raises(StrategyError, match="populate_entry_trend returned None"):
        runner_for(ReturnsNone()).analyze("ETH/BTC", candles())


def test_a_shortened_frame_is_rejected():
    class Drops(_Signals):
        def populate_indicators(self, dataframe, metadata):
            return dataframe.iloc[:-1]

    with pytest.raises(StrategyError, match="mismatching length / last close price / last date"):
        runner_for(Drops()).analyze("ETH/BTC", candles())


def test_a_changed_last_close_is_only_a_warning_when_checks_are_disabled(caplog):
    class Alters(_Signals):
        disable_dataframe_checks = True

        def populate_indicators(self, dataframe, metadata):
            dataframe.loc[dataframe.index[-1], "close"] = -1.0
            return dataframe

    with caplog.at_level(logging.WARNING):
        frame = runner_for(Alters()).analyze("ETH/BTC", candles())
    assert frame["close"].iloc[-1] == -1.0
    assert "mismatching last close price" in caplog.text


def test_empty_candles_are_returned_without_calling_user_code():
    class Explodes(_Signals):
        def populate_indicators(self, dataframe, metadata):
            raise AssertionError("must not run")

    assert runner_for(Explodes()).analyze("ETH/BTC", candles(rows=0)).empty


class _V2(IStrategy):
    INTERFACE_VERSION = 2
    timeframe = "5m"
    stoploss = -0.1

    def populate_indicators(self, dataframe, metadata):
        return dataframe

    def populate_buy_trend(self, dataframe, metadata):
        dataframe.loc[dataframe.index[-1], ["buy", "buy_tag"]] = (1, "v2")
        return dataframe

    def populate_sell_trend(self, dataframe, metadata):
        dataframe["sell"] = 0
        return dataframe


def test_v2_methods_and_columns_are_mapped_to_v3():
    runner = runner_for(_V2())
    frame = runner.analyze("ETH/BTC", candles())
    assert "buy" not in frame.columns and "sell" not in frame.columns
    assert frame["enter_long"].iloc[-1] == 1
    assert frame["enter_tag"].iloc[-1] == "v2"
    assert (frame["exit_long"] == 0).all()
    now = frame["date"].iloc[-1].to_pydatetime() + timedelta(minutes=5)
    assert runner.entry_signal("ETH/BTC", frame, now) == (SignalDirection.LONG, "v2")


def test_v2_strategies_are_refused_in_futures_mode():
    with pytest.raises(ConfigError, match="populate_entry_trend"):
        runner_for(_V2(), trading_mode="futures")


# -- signals -------------------------------------------------------------------------------------
def test_a_fresh_long_entry_signal_with_its_tag():
    runner, frame, now = _analyzed({"enter_long": 1, "enter_tag": "dip"})
    assert runner.entry_signal("ETH/BTC", frame, now) == (SignalDirection.LONG, "dip")


def test_an_empty_tag_counts_as_no_tag():
    runner, frame, now = _analyzed({"enter_long": 1})
    assert runner.entry_signal("ETH/BTC", frame, now) == (SignalDirection.LONG, None)


def test_an_outdated_last_candle_gives_no_signal(caplog):
    runner, frame, _ = _analyzed({"enter_long": 1, "exit_long": 0})
    opened = frame["date"].iloc[-1].to_pydatetime()
    limit = opened + timedelta(minutes=2 * 5 + 5)
    assert runner.entry_signal("ETH/BTC", frame, limit) is not None
    with caplog.at_level(logging.WARNING):
        assert runner.entry_signal("ETH/BTC", frame, limit + timedelta(seconds=1)) is None
        runner.entry_signal("ETH/BTC", frame, limit + timedelta(seconds=2))
    assert caplog.text.count("Outdated history for ETH/BTC") == 1


@pytest.mark.parametrize(
    "signals",
    [
        {"enter_long": 1, "exit_long": 1},
        {"enter_long": 1, "enter_short": 1},
        {"enter_long": 0},
        {"enter_short": 1},  # no can_short, spot
    ],
)
def test_conflicting_or_missing_entry_signals_give_nothing(signals):
    runner, frame, now = _analyzed(signals)
    assert runner.entry_signal("ETH/BTC", frame, now) is None


def test_short_entries_need_can_short_and_a_non_spot_mode():
    strategy = _Signals()
    strategy.signals = {"enter_short": 1, "enter_tag": "top"}
    strategy.can_short = True
    runner = runner_for(strategy, trading_mode="futures")
    frame = runner.analyze("ETH/BTC", candles())
    now = frame["date"].iloc[-1].to_pydatetime() + timedelta(minutes=5)
    assert runner.entry_signal("ETH/BTC", frame, now) == (SignalDirection.SHORT, "top")
    assert runner.entry_signal("ETH/BTC", frame, now, trading_mode="spot") is None


def test_entries_on_an_expired_candle_are_ignored():
    runner, frame, _ = _analyzed(
        {"enter_long": 1}, config={"ignore_buying_expired_candle_after": 60}
    )
    close = frame["date"].iloc[-1].to_pydatetime() + timedelta(minutes=5)
    assert runner.entry_signal("ETH/BTC", frame, close + timedelta(seconds=60)) is not None
    assert runner.entry_signal("ETH/BTC", frame, close + timedelta(seconds=61)) is None


def test_exit_signal_with_tag_and_its_conflict_with_the_entry_signal():
    runner, frame, now = _analyzed({"exit_long": 1, "exit_tag": "top"})
    assert runner.exit_signal("ETH/BTC", frame, now) == (True, "top")
    assert runner.exit_signal("ETH/BTC", frame, now, is_short=True) == (False, None)
    runner, frame, now = _analyzed({"exit_long": 1, "enter_long": 1})
    assert runner.exit_signal("ETH/BTC", frame, now) == (False, None)


def test_exit_signal_respects_use_exit_signal_and_exit_profit_only():
    runner, frame, now = _analyzed({"exit_long": 1}, config={"use_exit_signal": False})
    assert runner.exit_signal("ETH/BTC", frame, now) == (False, None)
    runner, frame, now = _analyzed(
        {"exit_long": 1}, config={"exit_profit_only": True, "exit_profit_offset": 0.01}
    )
    assert runner.exit_signal("ETH/BTC", frame, now, current_profit=0.01) == (False, None)
    assert runner.exit_signal("ETH/BTC", frame, now, current_profit=0.02) == (True, None)


def test_outdated_frames_give_no_exit_signal():
    runner, frame, now = _analyzed({"exit_long": 1})
    assert runner.exit_signal("ETH/BTC", frame, now + timedelta(hours=1)) == (False, None)
