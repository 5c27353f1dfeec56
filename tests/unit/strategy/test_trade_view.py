from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tradewind.domain.enums import OrderStatus
from tradewind.domain.order import Order
from tradewind.strategy.trade_view import InMemoryCustomData, OrderView, TradeView

from .builders import START, make_trade


def an_order(**overrides) -> Order:
    values = {
        "ft_pair": "ETH/BTC",
        "ft_order_side": "buy",
        "side": "buy",
        "order_type": "limit",
        "ft_amount": Decimal("2"),
        "ft_price": Decimal("0.05"),
        "client_order_id": "c1",
        "order_date": START,
        "status": OrderStatus.CLOSED,
        "filled": Decimal("2"),
        "cost": Decimal("0.1"),
        "ft_is_open": False,
    }
    values.update(overrides)
    return Order(**values)


def test_money_fields_are_presented_as_floats():
    view = TradeView(make_trade(orders=[an_order()]))
    assert view.amount == 2.0 and isinstance(view.amount, float)
    assert view.open_rate == 0.05
    assert view.stake_amount == 0.1
    assert view.fee_open == 0.001
    assert view.id == view.trade_id == 7
    assert view.orders[0].filled == 2.0
    assert view.nr_of_successful_entries == 1
    assert view.has_open_orders is False


def test_dates_are_aware_utc_even_when_stored_naive():
    view = TradeView(make_trade(open_date=datetime(2024, 1, 1, 12, 0)))
    assert view.open_date.tzinfo is UTC
    assert view.open_date_utc == datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert view.close_date is None


def test_strategies_cannot_write_money_fields():
    view = TradeView(make_trade())
    with pytest.raises(AttributeError):
        view.amount = 5.0
    with pytest.raises(AttributeError):
        view.anything_new = 1
    with pytest.raises(AttributeError):
        OrderView(an_order()).filled = 1.0


def test_profit_helpers_match_the_domain_trade():
    trade = make_trade()
    view = TradeView(trade)
    assert view.calc_profit_ratio(0.06) == pytest.approx(trade.profit_ratio_at(0.06))
    assert view.calc_profit(0.06) == pytest.approx(float(trade.profit_at(Decimal("0.06")).abs))
    assert view.calc_profit(0.06) > 0


def test_custom_data_round_trips_through_the_store_per_trade():
    store = InMemoryCustomData()
    view = TradeView(make_trade(), store)
    assert view.get_custom_data("peak", default=0) == 0
    view.set_custom_data("peak", {"rate": 0.07})
    assert TradeView(make_trade(), store).get_custom_data("peak") == {"rate": 0.07}
    assert TradeView(make_trade(id=8), store).get_custom_data("peak") is None


def test_custom_data_must_be_json_serialisable():
    view = TradeView(make_trade(), InMemoryCustomData())
    with pytest.raises(TypeError):
        view.set_custom_data("bad", object())
