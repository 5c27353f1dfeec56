"""Info shapes: show_config key order and example, health dates, sysinfo aliases."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.spec_shapes import SHOW_CONFIG_FIELDS
from tradewind.schemas.info import Health, Logs, ShowConfig, SysInfo
from tradewind.schemas.json import NanSafeJSONResponse, dumps

# the real 2026.9 dry-run example of rest-api.md §3.2
SPEC_SHOW_CONFIG_EXAMPLE = (
    '{"version":"2026.9","strategy_version":null,"api_version":2.5,"dry_run":true,'
    '"trading_mode":"spot","margin_mode":"","short_allowed":false,"stake_currency":"USDT",'
    '"stake_amount":"unlimited","available_capital":null,"stake_currency_decimals":3,'
    '"max_open_trades":3.0,"minimal_roi":{"0":0.1,"30":0.05},"stoploss":-0.1,'
    '"stoploss_on_exchange":false,"trailing_stop":false,"trailing_stop_positive":null,'
    '"trailing_stop_positive_offset":null,"trailing_only_offset_is_reached":null,'
    '"unfilledtimeout":{"entry":10,"exit":10,"unit":"minutes","exit_timeout_count":0},'
    '"order_types":{"entry":"limit","exit":"limit","stoploss":"market",'
    '"stoploss_on_exchange":false},"use_custom_stoploss":null,"timeframe":"5m",'
    '"timeframe_ms":300000,"timeframe_min":5,"exchange":"binance","demo_trading":false,'
    '"strategy":"SampleStrategy","force_entry_enable":false,"exit_pricing":{"price_side":"same"},'
    '"entry_pricing":{"price_side":"same"},"bot_name":"probe","state":"running",'
    '"runmode":"dry_run","position_adjustment_enable":false,"max_entry_position_adjustment":-1}'
)


def _example() -> dict[str, object]:
    data: dict[str, object] = json.loads(SPEC_SHOW_CONFIG_EXAMPLE)
    return data


def test_show_config_fields_are_in_spec_order() -> None:
    assert list(ShowConfig.model_fields) == SHOW_CONFIG_FIELDS


def test_show_config_example_round_trips_and_omits_unset_proxy_coin() -> None:
    config = ShowConfig.model_validate_json(SPEC_SHOW_CONFIG_EXAMPLE)

    assert dumps(config.model_dump(mode="json")).decode() == SPEC_SHOW_CONFIG_EXAMPLE


def test_proxy_coin_is_emitted_after_stake_currency_when_set() -> None:
    dumped = ShowConfig.model_validate(_example() | {"proxy_coin": "BNFCR"}).model_dump()

    keys = list(dumped)
    assert keys[keys.index("stake_currency") + 1] == "proxy_coin"


@pytest.mark.parametrize(
    ("configured", "wire"),
    [(100, "100"), (100.0, "100.0"), (0.05, "0.05"), ("unlimited", "unlimited")],
)
def test_stake_amount_is_always_text(configured: object, wire: str) -> None:
    config = ShowConfig.model_validate(_example() | {"stake_amount": configured})

    assert config.model_dump()["stake_amount"] == wire


def test_max_open_trades_and_api_version_are_floats_on_the_wire() -> None:
    config = ShowConfig.model_validate(_example() | {"max_open_trades": -1, "api_version": 2.5})

    text = dumps(config.model_dump(mode="json")).decode()

    assert '"max_open_trades":-1.0' in text
    assert '"api_version":2.5' in text


def test_show_config_through_fastapi_with_exclude_unset_keeps_every_set_field() -> None:
    app = FastAPI(default_response_class=NanSafeJSONResponse)

    @app.get("/show_config", response_model=ShowConfig, response_model_exclude_unset=True)
    def show_config() -> ShowConfig:
        return ShowConfig.model_validate_json(SPEC_SHOW_CONFIG_EXAMPLE)

    assert TestClient(app).get("/show_config").text == SPEC_SHOW_CONFIG_EXAMPLE


def test_order_types_optional_keys_appear_only_when_configured() -> None:
    order_types = _example()["order_types"]
    assert isinstance(order_types, dict)
    config = ShowConfig.model_validate(
        _example() | {"order_types": order_types | {"force_entry": "market"}}
    )

    assert list(config.model_dump()["order_types"]) == [
        "entry",
        "exit",
        "force_entry",
        "stoploss",
        "stoploss_on_exchange",
    ]


def test_health_dates_are_iso_with_z_and_naive_values_are_read_as_utc() -> None:
    health = Health(
        last_process=datetime(2026, 11, 25, 1, 48, 30, tzinfo=UTC),
        last_process_ts=1795571310,
        bot_start=datetime(2026, 11, 20, 8, 0, 0),
        bot_start_ts=1795161600,
    )

    assert health.model_dump(mode="json") == {
        "last_process": "2026-11-25T01:48:30Z",
        "last_process_ts": 1795571310,
        "bot_start": "2026-11-20T08:00:00Z",
        "bot_start_ts": 1795161600,
        "bot_startup": None,
        "bot_startup_ts": None,
    }


def test_sysinfo_load_average_uses_minute_keys_on_the_wire() -> None:
    info = SysInfo.model_validate(
        {
            "cpu_pct": [1.5, 2.0],
            "cpu_load": [{"cpu": 0, "pct": 1.5}],
            "cpu_load_avg": {"1m": 0.1, "5m": 0.2, "15m": 0.3},
            "cpu_count": 2,
            "cpu_avg": 1.75,
            "ram_pct": 40.0,
        }
    )

    assert info.model_dump(mode="json")["cpu_load_avg"] == {"1m": 0.1, "5m": 0.2, "15m": 0.3}


def test_log_rows_are_five_element_arrays() -> None:
    logs = Logs(log_count=1, logs=[("2026-11-25 01:48:36", 1795571316093.2915, "x", "INFO", "m")])

    assert dumps(logs.model_dump(mode="json")) == (
        b'{"log_count":1,"logs":[["2026-11-25 01:48:36",1795571316093.2915,"x","INFO","m"]]}'
    )
