"""PairHistory, plot config, strategy parameters, locks and WebSocket frames."""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest
from pydantic import TypeAdapter, ValidationError

from tradewind.schemas.candles import PairHistory, PlotConfig
from tradewind.schemas.json import dumps
from tradewind.schemas.pairs import AvailablePairs, LockModel
from tradewind.schemas.strategy import StrategyParameter, StrategyResponse
from tradewind.schemas.ws import (
    WSAnalyzedDFMessage,
    WSMessageType,
    WSRequest,
    analyzed_df_limit,
    invalid_request_message,
    subscription_types,
)


def _history(**overrides: object) -> PairHistory:
    values: dict[str, object] = {
        "strategy": "SampleStrategy",
        "pair": "ETH/USDT",
        "timeframe": "5m",
        "timeframe_ms": 300_000,
        "columns": ["date", "close", "enter_long", "__date_ts", "_enter_long_signal_close"],
        "all_columns": ["date", "close", "enter_long"],
        "data": [["2026-11-25T01:34:15Z", 3.2, math.nan, 1795570455000, None]],
        "annotations": [],
        "length": 1,
        "buy_signals": 0,
        "sell_signals": 0,
        "enter_long_signals": 0,
        "exit_long_signals": 0,
        "enter_short_signals": 0,
        "exit_short_signals": 0,
        "last_analyzed": datetime(2026, 11, 25, 1, 49, 15, tzinfo=UTC),
        "last_analyzed_ts": 1795571355,
        "data_start_ts": 1795570455000,
        "data_stop_ts": 1795570455000,
        "data_start": "2026-11-25 01:34:15+00:00",
        "data_stop": "2026-11-25 01:34:15+00:00",
    }
    return PairHistory.model_validate(values | overrides)


def test_pair_history_rows_are_arbitrary_json_values_with_nan_as_null() -> None:
    text = dumps(_history().model_dump(mode="json")).decode()

    assert '"data":[["2026-11-25T01:34:15Z",3.2,null,1795570455000,null]]' in text
    assert '"last_analyzed":"2026-11-25T01:49:15Z"' in text


def test_pair_history_keeps_ints_as_ints_and_mixed_cells() -> None:
    row = ["2026-11-25T01:34:15Z", 3, "tag", True, None, 1.0]

    assert _history(data=[row]).model_dump(mode="json")["data"] == [row]


def test_plot_config_adds_missing_subplots_but_leaves_empty_config_empty() -> None:
    assert PlotConfig.model_validate({}).model_dump() == {}
    assert PlotConfig.model_validate({"main_plot": {"tema": {}}}).model_dump() == {
        "main_plot": {"tema": {}},
        "subplots": {},
    }


PARAMS = TypeAdapter(list[StrategyParameter])


def test_strategy_parameters_are_discriminated_and_keep_the_spec_key_order() -> None:
    params = PARAMS.validate_python(
        [
            {
                "param_type": "DecimalParameter",
                "name": "buy_dec",
                "space": "buy",
                "load": True,
                "optimize": True,
                "value": 0.56,
                "low": 0.1,
                "high": 0.9,
                "decimals": 2,
            },
            {
                "param_type": "BooleanParameter",
                "name": "use_x",
                "space": "sell",
                "load": True,
                "optimize": False,
                "value": True,
            },
        ]
    )

    dumped = PARAMS.dump_python(params, mode="json")
    assert dumps(dumped[0]) == (
        b'{"param_type":"DecimalParameter","name":"buy_dec","space":"buy","load":true,'
        b'"optimize":true,"value":0.56,"low":0.1,"high":0.9,"decimals":2}'
    )
    assert dumped[1]["opt_range"] == [True, False]


def test_unknown_parameter_types_are_refused() -> None:
    with pytest.raises(ValidationError):
        PARAMS.validate_python([{"param_type": "Bogus", "name": "x"}])


def test_strategy_response_shape() -> None:
    response = StrategyResponse(strategy="S", timeframe="5m", code="class S: ...")

    assert list(response.model_dump()) == ["strategy", "timeframe", "params", "code"]


def test_lock_dates_are_naive_text_and_key_order_matches() -> None:
    lock = LockModel(
        id=1,
        active=True,
        lock_end_time=datetime(2030, 1, 1, 0, 5, tzinfo=UTC),
        lock_end_timestamp=1893456300000,
        lock_time=datetime(2029, 12, 31, 23, 0, 0, 123000, tzinfo=UTC),
        lock_timestamp=1893452400123,
        pair="*",
        side="*",
        reason=None,
    )

    assert dumps(lock.model_dump()) == (
        b'{"id":1,"active":true,"lock_end_time":"2030-01-01 00:05:00",'
        b'"lock_end_timestamp":1893456300000,"lock_time":"2029-12-31 23:00:00",'
        b'"lock_timestamp":1893452400123,"pair":"*","side":"*","reason":null}'
    )


def test_available_pairs_intervals_are_arrays() -> None:
    pairs = AvailablePairs(length=1, pairs=["ETH/USDT"], pair_interval=[("ETH/USDT", "5m", "spot")])

    assert dumps(pairs.model_dump()) == (
        b'{"length":1,"pairs":["ETH/USDT"],"pair_interval":[["ETH/USDT","5m","spot"]]}'
    )


def test_subscribe_replaces_only_when_every_type_is_known() -> None:
    assert subscription_types(["whitelist", "new_candle"]) == [
        WSMessageType.WHITELIST,
        WSMessageType.NEW_CANDLE,
    ]
    assert subscription_types(["whitelist", "bogus"]) is None
    assert subscription_types([]) is None
    assert subscription_types(None) is None


@pytest.mark.parametrize(
    ("data", "limit"),
    [
        ({"limit": 1500, "pair": None}, 1500),
        ({"limit": 20}, 20),
        ({"limit": 5000}, 1500),
        ({"pair": "ETH/USDT"}, 1500),
        ({}, None),
        ("", None),
        (None, None),
    ],
)
def test_analyzed_df_limit_follows_the_spec(data: object, limit: int | None) -> None:
    assert analyzed_df_limit(data) == limit


def test_unknown_request_type_fails_the_envelope_and_has_an_error_message() -> None:
    with pytest.raises(ValidationError):
        WSRequest.model_validate({"type": "ping"})

    assert invalid_request_message("ping").model_dump() == {
        "type": "exception",
        "data": "Invalid request type: ping",
    }
    assert WSRequest.model_validate({"type": "whitelist", "data": ""}).data == ""


def test_analyzed_df_message_writes_la_with_offset() -> None:
    message = WSAnalyzedDFMessage.model_validate(
        {
            "data": {
                "key": ["ETH/USDT", "5m", "spot"],
                "df": {"__type__": "dataframe", "__value__": "{}"},
                "la": datetime(2022, 9, 8, 22, 14, 41, 457786, tzinfo=UTC),
            }
        }
    )

    assert dumps(message) == (
        b'{"type":"analyzed_df","data":{"key":["ETH/USDT","5m","spot"],'
        b'"df":{"__type__":"dataframe","__value__":"{}"},'
        b'"la":"2022-09-08T22:14:41.457786+00:00"}}'
    )
