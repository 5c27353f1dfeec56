"""Trade and order shapes: exact key order and the spec's real example, byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from tradewind.schemas.json import dumps
from tradewind.schemas.trades import OpenTradeSchema, OrderSchema, TradeSchema
from tradewind.schemas.trades_raw import (
    RAW_ORDER_KEYS,
    RAW_TRADE_KEYS,
    raw_order,
    raw_trade,
    trade_list_response,
)

from .examples import SPEC_OPEN_TRADE_EXAMPLE

# rest-api.md §5.0.1, model-filtered form
SPEC_ORDER_KEYS = [
    "pair",
    "order_id",
    "status",
    "remaining",
    "amount",
    "safe_price",
    "cost",
    "filled",
    "ft_order_side",
    "order_type",
    "is_open",
    "order_timestamp",
    "order_filled_timestamp",
    "ft_fee_base",
    "ft_order_tag",
]

# rest-api.md §5.0.3
SPEC_TRADE_KEYS = """trade_id, pair, base_currency, quote_currency, is_open, is_short, exchange,
amount, amount_requested, stake_amount, max_stake_amount, strategy, enter_tag, timeframe, fee_open,
fee_open_cost, fee_open_currency, fee_close, fee_close_cost, fee_close_currency, open_date,
open_timestamp, open_fill_date, open_fill_timestamp, open_rate, open_rate_requested,
open_trade_value, close_date, close_timestamp, close_rate, close_rate_requested, close_profit,
close_profit_pct, close_profit_abs, profit_ratio, profit_pct, profit_abs, profit_fiat,
realized_profit, realized_profit_ratio, exit_reason, exit_order_status, stop_loss_abs,
stop_loss_ratio, stop_loss_pct, stoploss_last_update, stoploss_last_update_timestamp,
initial_stop_loss_abs, initial_stop_loss_ratio, initial_stop_loss_pct, min_rate, max_rate,
nr_of_successful_entries, nr_of_successful_exits, has_open_orders, orders, leverage,
interest_rate, liquidation_price, funding_fees, trading_mode, amount_precision, price_precision,
precision_mode""".replace("\n", " ").split(", ")

# rest-api.md §5.0.4
SPEC_OPEN_TRADE_EXTRA_KEYS = """stoploss_current_dist, stoploss_current_dist_pct,
stoploss_current_dist_ratio, stoploss_entry_dist, stoploss_entry_dist_ratio, current_rate,
total_profit_abs, total_profit_fiat, total_profit_ratio""".replace("\n", " ").split(", ")

# rest-api.md §5.0.1 raw form (21 keys) and §5.0.2 table
SPEC_RAW_ORDER_KEYS = [
    "amount",
    "safe_price",
    "ft_order_side",
    "order_filled_timestamp",
    "ft_is_entry",
    "ft_order_tag",
    "cost",
    "pair",
    "order_id",
    "status",
    "average",
    "filled",
    "is_open",
    "order_date",
    "order_timestamp",
    "order_filled_date",
    "order_type",
    "price",
    "remaining",
    "ft_fee_base",
    "funding_fee",
]

SPEC_RAW_TRADE_KEYS = [
    "trade_id",
    "pair",
    "base_currency",
    "quote_currency",
    "is_open",
    "exchange",
    "amount",
    "amount_requested",
    "stake_amount",
    "max_stake_amount",
    "strategy",
    "enter_tag",
    "timeframe",
    "fee_open",
    "fee_open_cost",
    "fee_open_currency",
    "fee_close",
    "fee_close_cost",
    "fee_close_currency",
    "open_date",
    "open_timestamp",
    "open_fill_date",
    "open_fill_timestamp",
    "open_rate",
    "open_rate_requested",
    "open_trade_value",
    "close_date",
    "close_timestamp",
    "realized_profit",
    "realized_profit_ratio",
    "close_rate",
    "close_rate_requested",
    "close_profit",
    "close_profit_pct",
    "close_profit_abs",
    "trade_duration_s",
    "trade_duration",
    "profit_ratio",
    "profit_pct",
    "profit_abs",
    "exit_reason",
    "exit_order_status",
    "stop_loss_abs",
    "stop_loss_ratio",
    "stop_loss_pct",
    "stoploss_last_update",
    "stoploss_last_update_timestamp",
    "initial_stop_loss_abs",
    "initial_stop_loss_ratio",
    "initial_stop_loss_pct",
    "min_rate",
    "max_rate",
    "leverage",
    "interest_rate",
    "liquidation_price",
    "is_short",
    "trading_mode",
    "funding_fees",
    "amount_precision",
    "price_precision",
    "precision_mode",
    "precision_mode_price",
    "contract_size",
    "nr_of_successful_entries",
    "nr_of_successful_exits",
    "has_open_orders",
    "orders",
]


def test_order_schema_has_the_15_filtered_keys_in_spec_order() -> None:
    assert list(OrderSchema.model_fields) == SPEC_ORDER_KEYS


def test_trade_schema_keys_are_in_spec_order() -> None:
    assert list(TradeSchema.model_fields) == SPEC_TRADE_KEYS


def test_open_trade_schema_appends_nine_keys_after_precision_mode() -> None:
    assert list(OpenTradeSchema.model_fields) == SPEC_TRADE_KEYS + SPEC_OPEN_TRADE_EXTRA_KEYS


def test_the_spec_open_trade_example_round_trips_byte_for_byte() -> None:
    trade = OpenTradeSchema.model_validate_json(SPEC_OPEN_TRADE_EXAMPLE)

    assert dumps(trade.model_dump(mode="json")).decode() == SPEC_OPEN_TRADE_EXAMPLE


def test_trade_schema_drops_the_open_trade_keys_and_internal_extras() -> None:
    data = json.loads(SPEC_OPEN_TRADE_EXAMPLE) | {"internal_only": 1}

    dumped = TradeSchema.model_validate(data).model_dump(mode="json")

    assert list(dumped) == SPEC_TRADE_KEYS
    assert "current_rate" not in dumped


def test_trade_dates_accept_datetimes_and_emit_naive_utc_text() -> None:
    data = json.loads(SPEC_OPEN_TRADE_EXAMPLE)
    data["open_date"] = datetime(2026, 11, 23, 23, 48, 21, 999_000, tzinfo=UTC)
    data["close_date"] = datetime(2026, 11, 24, 1, 0, 0)

    dumped = OpenTradeSchema.model_validate(data).model_dump(mode="json")

    assert dumped["open_date"] == "2026-11-23 23:48:21"
    assert dumped["close_date"] == "2026-11-24 01:00:00"


def test_integers_declared_as_float_come_out_with_a_decimal_point() -> None:
    data = json.loads(SPEC_OPEN_TRADE_EXAMPLE) | {"amount": 200, "leverage": 1}

    text = dumps(OpenTradeSchema.model_validate(data).model_dump(mode="json")).decode()

    assert '"amount":200.0' in text
    assert '"leverage":1.0' in text


def _raw_order_fields() -> dict[str, object]:
    return {
        "amount": 200.0,
        "safe_price": 0.5,
        "ft_order_side": "buy",
        "order_filled_timestamp": 1795477761000,
        "ft_is_entry": True,
        "ft_order_tag": "tag_a",
        "cost": 100.0,
        "pair": "XRP/USDT",
        "order_id": "oid_3_1",
        "status": "closed",
        "average": 0.5,
        "filled": 200.0,
        "is_open": False,
        "order_date": "2026-11-23 23:48:21",
        "order_timestamp": 1795477701000,
        "order_filled_date": "2026-11-23 23:49:21",
        "order_type": "limit",
        "price": 0.5,
        "remaining": 0.0,
        "ft_fee_base": None,
        "funding_fee": 0.0,
    }


def test_raw_key_tuples_follow_the_spec_tables() -> None:
    assert list(RAW_ORDER_KEYS) == SPEC_RAW_ORDER_KEYS
    assert list(RAW_TRADE_KEYS) == SPEC_RAW_TRADE_KEYS


def test_raw_order_builder_returns_wire_order_whatever_the_argument_order() -> None:
    fields = dict(reversed(list(_raw_order_fields().items())))

    order = raw_order(**fields)  # type: ignore[arg-type]

    assert list(order) == SPEC_RAW_ORDER_KEYS


def test_raw_trade_builder_refuses_missing_keys() -> None:
    with pytest.raises(ValueError, match="missing"):
        raw_trade(trade_id=1)  # type: ignore[call-arg]


def test_trade_list_response_counts_the_page() -> None:
    assert trade_list_response([], offset=500, total_trades=501) == {
        "trades": [],
        "trades_count": 0,
        "offset": 500,
        "total_trades": 501,
    }
