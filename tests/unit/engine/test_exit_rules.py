from datetime import timedelta
from decimal import Decimal

from tests.factories import T0, fill, make_order, make_trade
from tradewind.domain.enums import ExitType
from tradewind.engine.exit_rules import ExitRules, evaluate, roi_threshold, update_stoploss


def _open_trade():
    trade = make_trade(rate="100", amount="1")
    fill(make_order(trade, amount="1", price="100"), trade)
    return trade


def _check(trade, rules, rate, *, minutes=10, enter=False, exit_=False, tag=None, custom=None):
    now = T0 + timedelta(minutes=minutes)
    profit = trade.profit_ratio_at(rate)
    update_stoploss(trade, rules, rate=rate, profit=profit, now=now)
    return evaluate(
        trade,
        rules,
        rate=rate,
        profit=profit,
        now=now,
        enter_signal=enter,
        exit_signal=exit_,
        exit_tag=tag,
        custom_exit=custom,
    )


def test_roi_threshold_uses_the_largest_key_not_after_the_trade_age() -> None:
    rules = ExitRules(minimal_roi=((0, 0.10), (30, 0.05), (60, 0.0)))
    assert roi_threshold(rules, 0) == 0.10
    assert roi_threshold(rules, 29.9) == 0.10
    assert roi_threshold(rules, 30) == 0.05
    assert roi_threshold(rules, 600) == 0.0


def test_roi_exit_needs_profit_strictly_above_threshold() -> None:
    rules = ExitRules(minimal_roi=((0, 0.02),), stoploss=-0.1)
    trade = _open_trade()
    assert _check(trade, rules, 101.0) is None
    result = _check(trade, rules, 103.0)
    assert result is not None and result.exit_type == ExitType.ROI


def test_stoploss_exit_when_rate_falls_to_the_stop() -> None:
    trade = _open_trade()
    rules = ExitRules(stoploss=-0.05)
    assert _check(trade, rules, 96.0) is None
    result = _check(trade, rules, 95.0)
    assert result is not None and result.reason == "stop_loss"


def test_trailing_stop_follows_the_price_and_reports_trailing_reason() -> None:
    rules = ExitRules(
        stoploss=-0.10,
        trailing_stop=True,
        trailing_stop_positive=0.02,
        trailing_stop_positive_offset=0.03,
        trailing_only_offset_is_reached=True,
    )
    trade = _open_trade()
    assert _check(trade, rules, 102.0) is None  # below the offset: stop stays at 90
    assert trade.stop_loss == 90.0
    assert _check(trade, rules, 110.0) is None  # past the offset: trail 2 % below
    assert trade.stop_loss == 107.8
    result = _check(trade, rules, 107.5)
    assert result is not None and result.exit_type == ExitType.TRAILING_STOP_LOSS


def test_exit_signal_ignored_while_entry_signal_set_and_tag_becomes_reason() -> None:
    rules = ExitRules(stoploss=-0.5)
    trade = _open_trade()
    assert _check(trade, rules, 100.0, exit_=True, enter=True) is None
    result = _check(trade, rules, 100.0, exit_=True, tag="rsi_high")
    assert result is not None and result.reason == "rsi_high"


def test_exit_signal_goes_before_stoploss_and_exit_profit_only_blocks_losses() -> None:
    trade = _open_trade()
    result = _check(trade, ExitRules(stoploss=-0.05), 94.0, exit_=True)
    assert result is not None and result.exit_type == ExitType.EXIT_SIGNAL
    blocked = _check(
        _open_trade(), ExitRules(stoploss=-0.5, exit_profit_only=True), 99.0, exit_=True
    )
    assert blocked is None


def test_ignore_roi_if_entry_signal() -> None:
    rules = ExitRules(minimal_roi=((0, 0.01),), stoploss=-0.5, ignore_roi_if_entry_signal=True)
    assert _check(_open_trade(), rules, 105.0, enter=True) is None
    assert _check(_open_trade(), rules, 105.0) is not None


def test_custom_exit_string_becomes_the_reason() -> None:
    result = _check(_open_trade(), ExitRules(stoploss=-0.5), 100.0, custom="time_out")
    assert result is not None and result.reason == "time_out"
    assert result.exit_type == ExitType.CUSTOM_EXIT


def test_custom_stop_never_looser_than_hard_stoploss() -> None:
    rules = ExitRules(stoploss=-0.05, use_custom_stoploss=True)
    trade = _open_trade()
    update_stoploss(trade, rules, rate=100.0, profit=0.0, now=T0, custom_stop=-0.30)
    assert trade.stop_loss == 95.0
    update_stoploss(trade, rules, rate=110.0, profit=0.1, now=T0, custom_stop=-0.01)
    assert trade.stop_loss == 108.9
    assert Decimal(str(trade.stop_loss)) > Decimal("95")


def test_with_a_stop_order_on_the_exchange_the_bot_skips_its_stoploss_but_not_roi() -> None:
    trade = _open_trade()
    _check(trade, ExitRules(stoploss=-0.02, trailing_stop=True), 110.0)  # stop up to 107.8
    now = T0 + timedelta(minutes=10)
    common = dict(rate=107.0, profit=trade.profit_ratio_at(107.0), now=now, enter_signal=False,
                  exit_signal=False, exit_tag=None, custom_exit=None)  # fmt: skip
    rules = ExitRules(minimal_roi=((0, 0.02),), stoploss=-0.02)
    by_bot = evaluate(trade, rules, **common)
    assert by_bot is not None and by_bot.exit_type == ExitType.STOP_LOSS  # before ROI
    beside_stop_order = evaluate(trade, rules, **common, bot_stoploss=False)
    assert beside_stop_order is not None and beside_stop_order.exit_type == ExitType.ROI
    assert evaluate(trade, ExitRules(stoploss=-0.02), **common, bot_stoploss=False) is None
