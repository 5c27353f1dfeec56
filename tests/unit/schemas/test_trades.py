"""Trade and order shapes: exact key order and the spec's real example, byte for byte."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

import tests.spec_shapes as SPEC
from tests.spec_shapes import OPEN_TRADE_KEYS, ORDER_KEYS, TRADE_KEYS
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


def test_order_schema_has_the_15_filtered_keys_in_spec_order() -> None:
    assert list(OrderSchema.model_fields) == ORDER_KEYS


def test_trade_schema_keys_are_in_spec_order() -> None:
    assert list(TradeSchema.model_fields) == TRADE_KEYS


def test_open_trade_schema_appends_nine_keys_after_precision_mode() -> None:
    assert list(OpenTradeSchema.model_fields) == OPEN_TRADE_KEYS


def test_the_spec_open_trade_example_round_trips_byte_for_byte() -> None:
    trade = OpenTradeSchema.model_validate_json(SPEC_OPEN_TRADE_EXAMPLE)

    assert dumps(trade.model_dump(mode="json")).decode() == SPEC_OPEN_TRADE_EXAMPLE


def test_trade_schema_drops_the_open_trade_keys_and_internal_extras() -> None:
    data = json.loads(SPEC_OPEN_TRADE_EXAMPLE) | {"internal_only": 1}

    dumped = TradeSchema.model_validate(data).model_dump(mode="json")

    assert list(dumped) == TRADE_KEYS
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
    assert list(RAW_ORDER_KEYS) == SPEC.RAW_ORDER_KEYS
    assert list(RAW_TRADE_KEYS) == SPEC.RAW_TRADE_KEYS


def test_raw_order_builder_returns_wire_order_whatever_the_argument_order() -> None:
    fields = dict(reversed(list(_raw_order_fields().items())))

    order = raw_order(**fields)  # type: ignore[arg-type]

    assert list(order) == SPEC.RAW_ORDER_KEYS


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
