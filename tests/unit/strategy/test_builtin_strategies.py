from datetime import timedelta

import pytest

from tradewind.strategy.loader import BUILTIN_DIR, load_strategy
from tradewind.strategy.parameters import parameters_for_api

from .builders import real_candles, runner_for


@pytest.mark.parametrize("pair", ["ETH/BTC", "XLM/BTC"])
def test_sample_strategy_produces_entries_and_exits_on_real_data(pair):
    strategy = load_strategy("SampleStrategy", [BUILTIN_DIR])
    runner = runner_for(strategy)
    frame = runner.analyze(pair, real_candles(pair))
    entries = int((frame["enter_long"] == 1).sum())
    assert 20 <= entries <= 300
    assert (frame["exit_long"] == 1).sum() > 10
    assert set(frame.loc[frame["enter_long"] == 1, "enter_tag"]) == {"rsi_dip"}
    entry_row = frame.index[frame["enter_long"] == 1][0]
    sliced = frame.loc[:entry_row]
    now = sliced["date"].iloc[-1].to_pydatetime() + timedelta(minutes=5)
    assert runner.entry_signal(pair, sliced, now) is not None


def test_sample_strategy_settings_are_valid_and_plot_config_is_complete():
    strategy = load_strategy("SampleStrategy", [BUILTIN_DIR])
    settings = runner_for(strategy).settings
    assert settings.timeframe == "5m"
    assert settings.stoploss == -0.10
    assert settings.trailing_stop is True
    assert 100 <= settings.startup_candle_count <= 200
    assert set(strategy.plot_config) >= {"main_plot", "subplots"}
    assert strategy.version() == "1.0"
    assert [p["name"] for p in parameters_for_api(strategy)] == [
        "buy_bb_ratio",
        "buy_rsi",
        "sell_rsi",
    ]


def test_builtin_leader_has_the_broadcast_columns_and_the_buy_rsi_parameter():
    strategy = load_strategy("LeaderStrategy", [BUILTIN_DIR])
    frame = runner_for(strategy).analyze("ETH/BTC", real_candles("ETH/BTC"))
    assert {"rsi", "bb_lowerband", "bb_middleband", "bb_upperband", "tema"} <= set(frame.columns)
    assert (frame["enter_long"] == 1).sum() > 5
    assert strategy.buy_rsi.value == 30  # type: ignore[attr-defined]


def test_builtin_follower_does_not_process_only_new_candles():
    strategy = load_strategy("FollowerStrategy", [BUILTIN_DIR])
    assert strategy.process_only_new_candles is False
