from datetime import timedelta
from decimal import Decimal

import pytest

from tests.factories import T0, fill, make_order, make_trade
from tradewind.domain.enums import OrderStatus
from tradewind.domain.order import OrderTransitionError


def test_filled_entry_sets_amount_rate_and_fee_inclusive_value() -> None:
    trade = make_trade()
    fill(make_order(trade), trade)
    assert trade.amount == Decimal("2")
    assert trade.open_rate == Decimal("0.05")
    assert trade.open_trade_value == Decimal("0.1001")  # 0.1 cost + 0.1 % fee
    assert trade.fee_open_cost == Decimal("0.0001")
    assert trade.is_open


def test_spec_profit_example_matches_to_the_last_digit() -> None:
    # rest-api.md §5.0.4: 0.05 ETH @2000 → 2100, fees 0.1 %: open 100.1, close 104.895
    trade = make_trade("ETH/USDT", rate="2000", amount="0.05")
    fill(make_order(trade, amount="0.05", price="2000"), trade)
    fill(
        make_order(trade, "sell", amount="0.05", price="2100", when=T0 + timedelta(hours=1)), trade
    )
    assert not trade.is_open
    assert trade.close_profit_abs == Decimal("4.795")
    assert trade.close_profit == pytest.approx(0.0479020979, abs=1e-10)
    assert trade.close_rate == Decimal("2100")
    assert trade.close_date is not None


def test_partial_exit_realizes_proportional_profit_and_keeps_trade_open() -> None:
    trade = make_trade(rate="100", amount="10")
    fill(make_order(trade, amount="10", price="100"), trade)
    fill(make_order(trade, "sell", amount="4", price="110"), trade)
    assert trade.is_open
    assert trade.amount == Decimal("6")
    # sold 4 for 440 − 0.44 fee; basis of 4/10 of 1001 = 400.4
    assert trade.realized_profit == Decimal("39.16")
    fill(make_order(trade, "sell", amount="6", price="90"), trade)
    assert not trade.is_open
    # total: 440 − 0.44 + 540 − 0.54 − 1001
    assert trade.close_profit_abs == Decimal("-21.98")


def test_partial_fill_of_entry_books_only_what_filled() -> None:
    trade = make_trade()
    order = make_order(trade)
    fill(order, trade, filled="0.5")
    assert order.ft_is_open and order.status == OrderStatus.OPEN
    assert trade.amount == Decimal("0.5")
    fill(order, trade, filled="2")
    assert trade.amount == Decimal("2") and not order.ft_is_open


def test_order_refuses_to_unfill_or_reopen() -> None:
    trade = make_trade()
    order = make_order(trade)
    fill(order, trade, filled="1")
    with pytest.raises(OrderTransitionError):
        fill(order, trade, filled="0.5")
    fill(order, trade)
    with pytest.raises(OrderTransitionError):
        fill(order, trade, filled="2", status=OrderStatus.OPEN)


def test_unrealized_profit_includes_both_fees() -> None:
    trade = make_trade()
    fill(make_order(trade), trade)
    figures = trade.profit_at(Decimal("0.055"))
    assert figures.abs == Decimal("0.00979")  # 0.11 × 0.999 − 0.1001
    assert figures.ratio == pytest.approx(0.0978021978)


def test_stop_loss_only_tightens() -> None:
    trade = make_trade()
    fill(make_order(trade), trade)
    trade.adjust_stop_loss(0.05, -0.10, when=T0, initial=True)
    assert trade.stop_loss == pytest.approx(0.045)
    assert not trade.adjust_stop_loss(0.04, -0.10, when=T0)
    assert trade.adjust_stop_loss(0.06, -0.05, when=T0)
    assert trade.stop_loss == pytest.approx(0.057)
    assert trade.is_stop_loss_trailing
    assert trade.initial_stop_loss == pytest.approx(0.045)


def test_never_placed_order_cannot_have_fills() -> None:
    trade = make_trade()
    order = make_order(trade)
    fill(order, trade, filled="1")
    with pytest.raises(OrderTransitionError):
        order.mark_never_placed(T0)
