import json
import sys
from datetime import timedelta

import pytest

from tradewind.domain.enums import RunMode, SignalDirection
from tradewind.errors import ConfigError
from tradewind.strategy import IStrategy
from tradewind.strategy.data_provider import DataProvider
from tradewind.strategy.loader import (
    BUILTIN_DIR,
    find_strategy,
    list_strategies,
    load_strategy,
    strategy_dirs,
)

from .builders import (
    FIXTURE_STRATEGIES,
    START,
    DictAnalyzed,
    DictCandles,
    DictProducers,
    make_trade,
    real_candles,
    runner_for,
)

SIMPLE = """
from tradewind.strategy import IStrategy, IntParameter


class {name}(IStrategy):
    timeframe = "5m"
    stoploss = -0.1
    buy_level = IntParameter(1, 9, default=5)

    def populate_indicators(self, dataframe, metadata):
        return dataframe
"""


def test_builtin_strategies_are_listed_sorted():
    assert list_strategies([BUILTIN_DIR]) == [
        "FollowerStrategy",
        "LeaderStrategy",
        "SampleStrategy",
    ]


def test_strategy_dirs_search_strategy_path_then_user_data_then_builtins(tmp_path):
    dirs = strategy_dirs(tmp_path / "user_data", tmp_path / "extra")
    assert dirs == [tmp_path / "extra", tmp_path / "user_data" / "strategies", BUILTIN_DIR]


def test_a_file_may_hold_several_strategies_and_the_source_is_kept(tmp_path):
    text = SIMPLE.format(name="First") + SIMPLE.format(name="Second").split("\n\n\n", 1)[1]
    (tmp_path / "two.py").write_text(text)
    found = find_strategy("Second", [tmp_path])
    assert found.path == tmp_path / "two.py"
    assert found.source == text
    strategy = load_strategy("Second", [tmp_path])
    assert strategy.source_code == text
    assert strategy.source_file == tmp_path / "two.py"
    assert list_strategies([tmp_path]) == ["First", "Second"]


def test_the_first_directory_wins(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "sample.py").write_text(SIMPLE.format(name="SampleStrategy"))
    assert (
        find_strategy("SampleStrategy", [tmp_path / "a", BUILTIN_DIR]).path.parent == tmp_path / "a"
    )
    assert (
        find_strategy("SampleStrategy", [tmp_path / "missing", BUILTIN_DIR]).path.parent
        == BUILTIN_DIR
    )


def test_recursive_search_finds_strategies_in_subdirectories(tmp_path):
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "deep.py").write_text(SIMPLE.format(name="Deep"))
    assert list_strategies([tmp_path]) == []
    assert list_strategies([tmp_path], recursive=True) == ["Deep"]
    assert find_strategy("Deep", [tmp_path], recursive=True).name == "Deep"


def test_an_unknown_name_lists_the_searched_dirs_and_the_available_strategies(tmp_path):
    with pytest.raises(ConfigError) as caught:
        find_strategy("Nope", [tmp_path, BUILTIN_DIR])
    message = str(caught.value)
    assert message.startswith("Strategy 'Nope' not found; searched: ")
    assert str(tmp_path) in message
    assert "available: FollowerStrategy, LeaderStrategy, SampleStrategy" in message


def test_a_broken_file_is_reported_with_its_path_and_exception(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text(
        "from tradewind.strategy import IStrategy\n\nclass Broken(IStrategy):\n    x = 1 / 0\n"
    )
    with pytest.raises(ConfigError) as caught:
        find_strategy("Broken", [tmp_path])
    assert str(broken) in str(caught.value)
    assert "ZeroDivisionError" in str(caught.value)


def test_broken_files_are_skipped_when_listing(tmp_path, caplog):
    (tmp_path / "broken.py").write_text("import not_a_module_anywhere\n")
    (tmp_path / "fine.py").write_text(SIMPLE.format(name="Fine"))
    assert list_strategies([tmp_path]) == ["Fine"]
    assert caplog.text.count("broken.py") == 1


@pytest.mark.parametrize("name", ["Sample:Strategy", "Sample:YWJj", "not a name"])
def test_invalid_strategy_names_are_refused(name):
    with pytest.raises(ConfigError, match=r"invalid|class name"):
        find_strategy(name, [BUILTIN_DIR])


def test_can_short_in_spot_mode_is_a_load_error(tmp_path):
    (tmp_path / "shorty.py").write_text(SIMPLE.format(name="Shorty") + "    can_short = True\n")
    with pytest.raises(ConfigError, match="can_short"):
        load_strategy("Shorty", [tmp_path])
    assert load_strategy("Shorty", [tmp_path], trading_mode="futures").can_short is True


def test_parameter_file_next_to_the_strategy_file_is_applied(tmp_path):
    (tmp_path / "tuned.py").write_text(SIMPLE.format(name="Tuned"))
    params = {
        "strategy_name": "Tuned",
        "params": {"buy": {"buy_level": 8}, "stoploss": {"stoploss": -0.04}},
    }
    (tmp_path / "tuned.json").write_text(json.dumps(params))
    strategy = load_strategy("Tuned", [tmp_path])
    assert strategy.buy_level.value == 8  # type: ignore[attr-defined]
    assert strategy.stoploss == -0.04


# -- Freqtrade strategy files, unchanged (decision 8) --------------------------------------------
def test_the_import_hook_is_only_installed_while_loading():
    before = list(sys.meta_path)
    load_strategy("LeaderStrategy", [FIXTURE_STRATEGIES])
    assert sys.meta_path == before
    freqtrade = sys.modules["freqtrade"]
    assert getattr(freqtrade, "__file__", None) is None  # an in-memory alias, nothing on disk
    assert sys.modules["freqtrade.strategy"].IStrategy is IStrategy


def test_the_seed_leader_strategy_loads_and_analyzes_real_data():
    strategy = load_strategy("LeaderStrategy", [FIXTURE_STRATEGIES])
    assert strategy.source_file is not None and strategy.source_file.parent == FIXTURE_STRATEGIES
    runner = runner_for(strategy)
    frame = runner.analyze("ETH/BTC", real_candles())
    assert {
        "rsi",
        "bb_lowerband",
        "bb_middleband",
        "bb_upperband",
        "tema",
        "enter_tag",
        "exit_tag",
    } <= set(frame.columns)
    assert (frame["enter_long"] == 1).sum() > 5
    assert "exit_long" in frame.columns  # RSI crossing above 70 while TEMA falls is rare


def _follower_runner(leader_frame=None):
    producers = DictProducers()
    if leader_frame is not None:
        producers.frames[("ETH/BTC", "5m", "spot", "default")] = (leader_frame, START)
    dp = DataProvider(
        candles=DictCandles(),
        analyzed=DictAnalyzed(),
        runmode=RunMode.DRY_RUN,
        timeframe="5m",
        producers=producers,
    )
    follower = load_strategy("FollowerStrategy", [FIXTURE_STRATEGIES])
    assert follower.process_only_new_candles is False
    return runner_for(follower, dp=dp)


def test_the_seed_follower_trades_on_the_leaders_broadcast_columns():
    candles = real_candles()
    leader = runner_for(load_strategy("LeaderStrategy", [FIXTURE_STRATEGIES])).analyze(
        "ETH/BTC", candles
    )
    frame = _follower_runner(leader).analyze("ETH/BTC", candles)
    assert {
        "rsi_default",
        "tema_default",
        "bb_middleband_default",
        "enter_long_default",
        "date_default",
    } <= set(frame.columns)
    assert (frame["enter_long"] == 1).equals(leader["enter_long"] == 1)
    assert (frame["exit_long"] == 1).equals(leader["exit_long"] == 1)


def test_the_seed_follower_without_leader_data_fills_expected_columns_with_zero():
    frame = _follower_runner(None).analyze("ETH/BTC", real_candles(rows=100))
    assert (frame[["rsi_default", "tema_default", "bb_middleband_default"]] == 0).all().all()
    assert not (frame["enter_long"] == 1).any()


def test_a_v2_strategy_loads_with_migrated_names_and_signals(caplog):
    strategy = load_strategy("LegacyV2Strategy", [FIXTURE_STRATEGIES])
    assert "use_sell_signal" in caplog.text
    assert strategy.use_exit_signal is False
    assert strategy.exit_profit_only is True
    assert strategy.ignore_roi_if_entry_signal is True
    assert strategy.order_types["entry"] == "limit"
    assert strategy.order_types["emergency_exit"] == "market"
    assert strategy.order_types["force_entry"] == "market"
    assert "buy" not in strategy.order_types
    runner = runner_for(strategy)
    frame = runner.analyze("XLM/BTC", real_candles("XLM/BTC"))
    assert (frame["enter_long"] == 1).sum() > 0
    assert (frame["exit_long"] == 1).sum() > 0
    entry_row = frame.index[frame["enter_long"] == 1][-1]
    assert frame.loc[entry_row, "enter_tag"] == "below_band"
    sliced = frame.loc[:entry_row]
    now = sliced["date"].iloc[-1].to_pydatetime() + timedelta(minutes=5)
    assert runner.entry_signal("XLM/BTC", sliced, now) == (SignalDirection.LONG, "below_band")


def test_lazy_freqtrade_imports_inside_callbacks_keep_working_after_loading():
    strategy = load_strategy("LegacyV2Strategy", [FIXTURE_STRATEGIES])
    runner = runner_for(strategy, {"use_exit_signal": True})
    reason = runner.custom_exit(
        pair="ETH/BTC", trade=make_trade(), current_time=START, current_rate=1.0, current_profit=0.9
    )
    assert reason == "jackpot"
