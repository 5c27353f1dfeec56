from datetime import UTC, datetime, timedelta
from decimal import Decimal

from tests.factories import make_trade
from tests.unit.schemas.examples import SPEC_OPEN_TRADE_EXAMPLE
from tests.unit.services.builders import closed_trade, order
from tradewind.domain.enums import OrderStatus
from tradewind.domain.trade import Trade
from tradewind.schemas.json import dumps
from tradewind.schemas.trades_raw import RAW_ORDER_KEYS, RAW_TRADE_KEYS
from tradewind.services.trade_views import open_trade_schema, raw_trade, trade_schema

OPENED = datetime(2026, 11, 23, 23, 48, 21, tzinfo=UTC)


def _spec_trade() -> Trade:
    """The open XRP/USDT trade of rest-api.md §5.0.4."""
    trade = make_trade(
        "XRP/USDT",
        rate="0.5",
        amount="200",
        id=3,
        open_date=OPENED,
        exchange="binance",
        strategy="SampleStrategy",
        enter_tag="tag_a",
        amount_precision=0.0001,
        price_precision=0.01,
    )
    order(trade, "buy", "200", "0.5", OPENED, order_id="oid_3_1")
    trade.set_initial_stop_loss(0.1)
    trade.min_rate, trade.max_rate = 0.475, 0.525
    return trade


def test_open_trade_matches_the_spec_example_byte_for_byte() -> None:
    view = open_trade_schema(_spec_trade(), 0.55)
    assert dumps(view).decode() == SPEC_OPEN_TRADE_EXAMPLE


def test_pricing_failure_leaves_profit_and_current_distance_unknown() -> None:
    view = open_trade_schema(_spec_trade(), None)
    assert view.current_rate is None
    assert view.profit_ratio is None and view.profit_abs is None and view.profit_pct is None
    assert view.total_profit_abs is None and view.total_profit_ratio is None
    assert view.stoploss_current_dist is None and view.stoploss_current_dist_ratio is None
    assert view.stoploss_entry_dist == -10.19  # the stop does not depend on the price


def test_open_trade_without_a_filled_entry_shows_zero_profit() -> None:
    trade = make_trade("XRP/USDT", rate="0.5", amount="200", id=4, open_date=OPENED)
    order(trade, "buy", "200", "0.5", OPENED, filled=False)
    view = open_trade_schema(trade, 0.55)
    assert (view.profit_ratio, view.profit_pct, view.profit_abs) == (0.0, 0.0, 0.0)
    assert view.total_profit_abs == 0.0 and view.total_profit_ratio is None
    assert view.fee_open_cost is None and view.open_fill_date is None
    assert view.has_open_orders and [o.is_open for o in view.orders] == [True]


def test_partial_exit_adds_realized_profit_to_the_total() -> None:
    trade = make_trade("ETH/USDT", rate="100", amount="10", id=5, open_date=OPENED)
    order(trade, "buy", "10", "100", OPENED)
    order(trade, "sell", "4", "110", OPENED + timedelta(hours=1))
    view = open_trade_schema(trade, 100.0)
    # realized: 440 − 0.44 − 400.4 = 39.16; unrealized: 6×100×0.999 − 600.6 = −1.2
    assert view.realized_profit == 39.16
    assert view.profit_abs == -1.2
    assert view.total_profit_abs == 37.96
    assert view.total_profit_ratio == round(37.96 / 1001, 8)
    assert view.close_profit is None and view.close_date is None
    assert view.nr_of_successful_exits == 1


def test_closed_trade_via_trade_endpoint_shows_its_realized_result() -> None:
    trade = closed_trade("ETH/USDT", "2000", "2100", amount="0.05", opened=OPENED, hours=2)
    trade.id = 7
    view = open_trade_schema(trade, 1234.0)  # a passed rate is ignored for a closed trade
    assert view.current_rate == 2100.0
    assert view.profit_abs == 4.795
    assert view.profit_ratio == trade.close_profit and view.close_profit == trade.close_profit
    assert view.profit_pct == 4.79 and view.close_profit_pct == 4.79
    assert view.total_profit_abs == 0.0 and view.total_profit_ratio is None
    assert view.close_date == trade.close_date
    assert view.realized_profit_ratio == trade.close_profit


def test_raw_trade_has_the_spec_keys_durations_and_only_listed_orders() -> None:
    trade = closed_trade("ETH/USDT", "2000", "2100", amount="0.05", opened=OPENED, hours=2)
    trade.id = 8
    never_filled = order(trade, "sell", "0.05", "2200", OPENED, filled=False)
    never_filled.status, never_filled.ft_is_open = OrderStatus.CANCELED, False
    raw = raw_trade(trade)
    assert tuple(raw) == RAW_TRADE_KEYS
    assert raw["timeframe"] == 5 and raw["exchange"] == "simulated"
    assert raw["trade_duration_s"] == 7200 and raw["trade_duration"] == 120
    assert raw["open_date"] == "2026-11-23 23:48:21"
    assert raw["open_timestamp"] == 1795477701000
    assert raw["close_profit_abs"] == 4.795 and raw["profit_pct"] == 4.79
    assert raw["amount"] == 0.05 and raw["stake_amount"] == 100.0  # the position it closed
    assert len(raw["orders"]) == 2
    entry, exit_ = raw["orders"]
    assert tuple(entry) == RAW_ORDER_KEYS
    assert entry["ft_is_entry"] and not exit_["ft_is_entry"]
    assert entry["average"] == 2000.0 and entry["cost"] == 100.0
    assert entry["order_date"] == "2026-11-23 23:48:21"


def test_zero_close_profit_gives_null_percentages() -> None:
    trade = closed_trade("ETH/USDT", "100", "100", fee="0", opened=OPENED)
    trade.id = 9
    raw = raw_trade(trade)
    assert raw["close_profit"] == 0.0
    assert raw["close_profit_pct"] is None and raw["realized_profit_ratio"] is None
    assert open_trade_schema(trade, None).profit_pct == 0.0  # §5.0.4: plain rounding


def test_money_is_rounded_to_eight_places_at_the_edge() -> None:
    trade = make_trade("ETH/USDT", rate="0.123456789", amount="3", id=10, open_date=OPENED)
    order(trade, "buy", "3", "0.123456789", OPENED)
    model = trade_schema(trade)
    assert trade.stake_amount == Decimal("0.370370367")
    assert model.stake_amount == 0.37037037
    assert model.open_trade_value == round(float(trade.open_trade_value), 8)
    assert model.profit_ratio is None and model.close_profit is None
    assert [o.order_id for o in model.orders] == [trade.orders[0].order_id]
