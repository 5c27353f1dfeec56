import logging
import math
from datetime import datetime
from typing import Any

import pandas as pd
import pytest

from tradewind.strategy import IStrategy, TradeView

from .builders import START, make_trade, runner_for


class _Base(IStrategy):
    timeframe = "5m"
    stoploss = -0.1

    def populate_indicators(
        self, dataframe: pd.DataFrame, metadata: dict[str, Any]
    ) -> pd.DataFrame:
        return dataframe


def _stake(runner, **overrides):
    values = {
        "pair": "ETH/BTC",
        "current_time": START,
        "current_rate": 0.05,
        "proposed_stake": 0.01,
        "min_stake": 0.001,
        "max_stake": 0.05,
        "leverage": 1.0,
        "entry_tag": None,
        "side": "long",
    }
    values.update(overrides)
    return runner.custom_stake_amount(**values)


class _StakeReturns(_Base):
    answer: Any = None

    def custom_stake_amount(
        self,
        pair,
        current_time,
        current_rate,
        proposed_stake,
        min_stake,
        max_stake,
        leverage,
        entry_tag,
        side,
        **kwargs,
    ):
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (0.02, 0.02),
        (1.0, 0.05),  # clamped to max_stake
        (0.0001, 0.001),  # clamped to min_stake
        (0, 0.0),  # no trade
        (None, 0.01),  # invalid → proposed
        (math.nan, 0.01),
        (math.inf, 0.01),
        (RuntimeError("boom"), 0.01),
    ],
)
def test_custom_stake_amount_is_validated_and_clamped(answer, expected):
    strategy = _StakeReturns()
    strategy.answer = answer
    assert _stake(runner_for(strategy)) == pytest.approx(expected)


def test_a_failing_callback_is_logged_once_per_pair(caplog):
    strategy = _StakeReturns()
    strategy.answer = RuntimeError("boom")
    runner = runner_for(strategy)
    with caplog.at_level(logging.ERROR):
        for _ in range(3):
            _stake(runner)
        _stake(runner, pair="LTC/BTC")
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(messages) == 2
    assert "custom_stake_amount for ETH/BTC: raised RuntimeError: boom" in messages[0]


def test_callbacks_receive_keyword_arguments_only():
    seen: dict[str, Any] = {}

    class KwOnly(_Base):
        def confirm_trade_entry(self, **kwargs):
            seen.update(kwargs)
            return False

    runner = runner_for(KwOnly())
    allowed = runner.confirm_trade_entry(
        pair="ETH/BTC",
        order_type="limit",
        amount=1.0,
        rate=0.05,
        time_in_force="GTC",
        current_time=START,
        entry_tag="x",
        side="long",
    )
    assert allowed is False
    assert seen["entry_tag"] == "x" and seen["side"] == "long"


def test_confirm_callbacks_default_to_true_on_errors_and_veto_on_none():
    class Confirms(_Base):
        answer: Any = None

        def confirm_trade_exit(
            self,
            pair,
            trade,
            order_type,
            amount,
            rate,
            time_in_force,
            exit_reason,
            current_time,
            **kwargs,
        ):
            if self.answer == "raise":
                raise ValueError("x")
            return self.answer

    strategy = Confirms()
    runner = runner_for(strategy)
    call = {
        "pair": "ETH/BTC",
        "trade": make_trade(),
        "order_type": "limit",
        "amount": 1.0,
        "rate": 0.05,
        "time_in_force": "GTC",
        "exit_reason": "roi",
        "current_time": START,
    }
    assert runner.confirm_trade_exit(**call) is False  # None is a veto, as in Freqtrade
    strategy.answer = "raise"
    assert runner.confirm_trade_exit(**call) is True


def _stoploss_call(runner, after_fill=False):
    return runner.custom_stoploss(
        pair="ETH/BTC",
        trade=make_trade(),
        current_time=START,
        current_rate=0.055,
        current_profit=0.1,
        after_fill=after_fill,
    )


class _Stop(_Base):
    use_custom_stoploss = True
    answer: Any = 0.05
    calls = 0

    def custom_stoploss(
        self, pair, trade, current_time, current_rate, current_profit, after_fill, **kwargs
    ):
        assert isinstance(trade, TradeView)
        self.calls += 1
        return self.answer


def test_custom_stoploss_returns_a_negative_ratio_and_none_for_invalid_answers():
    strategy = _Stop()
    runner = runner_for(strategy)
    assert _stoploss_call(runner) == -0.05
    for invalid in (None, math.nan, math.inf, "tight"):
        strategy.answer = invalid
        assert _stoploss_call(runner) is None


def test_custom_stoploss_is_only_called_with_use_custom_stoploss():
    strategy = _Stop()
    runner = runner_for(strategy, {"use_custom_stoploss": False})
    assert _stoploss_call(runner) is None
    assert strategy.calls == 0


def test_custom_stoploss_after_fill_needs_the_parameter_in_the_signature():
    class NoAfterFill(_Base):
        use_custom_stoploss = True

        def custom_stoploss(
            self, pair, trade, current_time, current_rate, current_profit, **kwargs
        ):
            return -0.02

    assert _stoploss_call(runner_for(NoAfterFill()), after_fill=True) is None
    assert _stoploss_call(runner_for(NoAfterFill())) == -0.02
    assert _stoploss_call(runner_for(_Stop()), after_fill=True) == -0.05


def _exit_call(runner):
    return runner.custom_exit(
        pair="ETH/BTC",
        trade=make_trade(),
        current_time=START,
        current_rate=0.06,
        current_profit=0.2,
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("take_profit", "take_profit"),
        (True, "custom_exit"),
        (False, None),
        (None, None),
        ("x" * 300, "x" * 255),
    ],
)
def test_custom_exit_answers_become_exit_reasons(answer, expected):
    class Exits(_Base):
        def custom_exit(self, pair, trade, current_time, current_rate, current_profit, **kwargs):
            return answer

    assert _exit_call(runner_for(Exits())) == expected


def test_custom_sell_is_the_seed_era_fallback_and_use_exit_signal_disables_it():
    class Seed(_Base):
        def custom_sell(self, pair, trade, current_time, current_rate, current_profit, **kwargs):
            return "seed_exit"

    assert _exit_call(runner_for(Seed())) == "seed_exit"
    assert _exit_call(runner_for(Seed(), {"use_exit_signal": False})) is None


def test_custom_prices_are_clamped_to_the_max_distance_ratio():
    class Prices(_Base):
        def custom_entry_price(
            self, pair, trade, current_time, proposed_rate, entry_tag, side, **kwargs
        ):
            return proposed_rate * 0.5

        def custom_exit_price(
            self, pair, trade, current_time, proposed_rate, current_profit, exit_tag, **kwargs
        ):
            return -1

    runner = runner_for(Prices())
    entry = runner.custom_entry_price(
        pair="ETH/BTC",
        trade=None,
        current_time=START,
        proposed_rate=100.0,
        entry_tag=None,
        side="long",
    )
    assert entry == pytest.approx(98.0)
    exit_price = runner.custom_exit_price(
        pair="ETH/BTC",
        trade=make_trade(),
        current_time=START,
        proposed_rate=100.0,
        current_profit=0.0,
        exit_tag=None,
    )
    assert exit_price == 100.0


def test_leverage_is_one_in_spot_and_clamped_in_futures():
    class Lev(_Base):
        def leverage(
            self,
            pair,
            current_time,
            current_rate,
            proposed_leverage,
            max_leverage,
            entry_tag,
            side,
            **kwargs,
        ):
            return 50.0

    call = {
        "pair": "ETH/BTC",
        "current_time": START,
        "current_rate": 1.0,
        "proposed_leverage": 1.0,
        "max_leverage": 10.0,
        "entry_tag": None,
        "side": "long",
    }
    assert runner_for(Lev()).leverage(**call) == 1.0
    assert runner_for(Lev(), trading_mode="futures").leverage(**call) == 10.0


class _Adjust(_Base):
    position_adjustment_enable = True
    max_entry_position_adjustment = 1
    answer: Any = None

    def adjust_trade_position(
        self,
        trade,
        current_time,
        current_rate,
        current_profit,
        min_stake,
        max_stake,
        current_entry_rate,
        current_exit_rate,
        current_entry_profit,
        current_exit_profit,
        **kwargs,
    ):
        return self.answer


def _adjust(runner, trade):
    return runner.adjust_trade_position(
        trade=trade,
        current_time=START,
        current_rate=0.05,
        current_profit=0.0,
        min_stake=0.001,
        max_stake=1.0,
        current_entry_rate=0.05,
        current_exit_rate=0.05,
        current_entry_profit=0.0,
        current_exit_profit=0.0,
    )


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        (0.01, (0.01, None)),
        ((0.02, "dca"), (0.02, "dca")),
        ((-0.01, None), (-0.01, None)),
        (None, (None, None)),
        ("lots", (None, None)),
        (math.nan, (None, None)),
    ],
)
def test_adjust_trade_position_answers_are_parsed(answer, expected):
    strategy = _Adjust()
    strategy.answer = answer
    assert _adjust(runner_for(strategy), make_trade()) == expected


def test_adjust_trade_position_stops_adding_after_max_entries():
    from decimal import Decimal

    from tradewind.domain.enums import OrderStatus
    from tradewind.domain.order import Order

    def filled_entry(n: int) -> Order:
        return Order(
            ft_pair="ETH/BTC",
            ft_order_side="buy",
            side="buy",
            order_type="limit",
            ft_amount=Decimal(1),
            ft_price=Decimal("0.05"),
            client_order_id=f"c{n}",
            order_date=START,
            status=OrderStatus.CLOSED,
            filled=Decimal(1),
        )

    strategy = _Adjust()
    strategy.answer = 0.01
    runner = runner_for(strategy)
    assert _adjust(runner, make_trade(orders=[filled_entry(1)])) == (0.01, None)
    assert _adjust(runner, make_trade(orders=[filled_entry(1), filled_entry(2)])) == (None, None)
    strategy.answer = -0.01  # partial exits stay allowed
    assert _adjust(runner, make_trade(orders=[filled_entry(1), filled_entry(2)])) == (-0.01, None)


def test_callbacks_the_strategy_does_not_override_are_not_called():
    runner = runner_for(_Base())
    assert runner.overrides("custom_exit") is False
    assert _exit_call(runner) is None
    assert _stake(runner) == 0.01
    assert (
        runner.plot_annotations(
            pair="ETH/BTC", start_date=START, end_date=START, dataframe=pd.DataFrame()
        )
        == []
    )


def test_timeouts_order_filled_and_loop_start_are_guarded():
    events: list[str] = []

    class Hooks(_Base):
        def bot_loop_start(self, current_time: datetime, **kwargs):
            raise RuntimeError("loop")

        def check_entry_timeout(self, pair, trade, order, current_time, **kwargs):
            return True

        def order_filled(self, pair, trade, order, current_time, **kwargs):
            events.append(order.status)

    from .test_trade_view import an_order

    runner = runner_for(Hooks())
    runner.bot_loop_start(START)  # must not raise
    trade = make_trade()
    assert (
        runner.check_entry_timeout(
            pair="ETH/BTC", trade=trade, order=an_order(), current_time=START
        )
        is True
    )
    assert (
        runner.check_exit_timeout(pair="ETH/BTC", trade=trade, order=an_order(), current_time=START)
        is False
    )
    runner.order_filled(pair="ETH/BTC", trade=trade, order=an_order(), current_time=START)
    assert events == ["closed"]
