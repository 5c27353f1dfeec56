"""Statistics shapes: profit field order, non-finite floats, the spec's examples."""

from __future__ import annotations

import math

from tests.spec_shapes import PROFIT_KEYS
from tradewind.schemas.json import dumps
from tradewind.schemas.stats import (
    Balances,
    DailyWeeklyMonthly,
    HistoricBalance,
    PerformanceEntry,
    Profit,
    ProfitAll,
    Stats,
)

_TEXT_FIELDS = {
    "first_trade_date",
    "first_trade_humanized",
    "latest_trade_date",
    "latest_trade_humanized",
    "avg_duration",
    "best_pair",
    "max_drawdown_start",
    "max_drawdown_end",
    "current_drawdown_start",
    "bot_start_date",
}


def empty_profit(**overrides: object) -> Profit:
    """A Profit of an empty trade set (factories over fixtures)."""
    values: dict[str, object] = {}
    for name, field in Profit.model_fields.items():
        if name in _TEXT_FIELDS:
            values[name] = "0:00:00" if name == "avg_duration" else ""
        elif field.annotation in (int, "int"):
            values[name] = 0
        else:
            values[name] = 0.0
    return Profit.model_validate(values | overrides)


def test_profit_has_every_spec_field_in_order() -> None:
    assert list(Profit.model_fields) == PROFIT_KEYS


def test_infinite_profit_factor_and_nan_ratios_become_null() -> None:
    profit = empty_profit(profit_factor=math.inf, profit_all_ratio_mean=math.nan)

    text = dumps(profit.model_dump()).decode()

    assert '"profit_factor":null' in text
    assert '"profit_all_ratio_mean":null' in text


def test_profit_all_has_null_long_and_short_in_spot() -> None:
    dumped = ProfitAll(all=empty_profit()).model_dump()

    assert list(dumped) == ["all", "long", "short"]
    assert dumped["long"] is None
    assert dumped["short"] is None


def test_daily_example_of_the_spec_round_trips() -> None:
    example = (
        '{"data":[{"date":"2026-11-25","abs_profit":0.0,"rel_profit":0.0,'
        '"starting_balance":1010.0,"fiat_value":0.0,"trade_count":0},'
        '{"date":"2026-11-24","abs_profit":-2.198,"rel_profit":-0.00217151,'
        '"starting_balance":1012.198,"fiat_value":0.0,"trade_count":1}],'
        '"fiat_display_currency":"","stake_currency":"USDT"}'
    )

    daily = DailyWeeklyMonthly.model_validate_json(example)

    assert dumps(daily.model_dump(mode="json")).decode() == example


def test_stats_example_of_the_spec_round_trips() -> None:
    example = (
        '{"exit_reasons":{"roi":{"wins":1,"losses":0,"draws":0},'
        '"stop_loss":{"wins":0,"losses":1,"draws":0}},'
        '"durations":{"wins":7200.0,"draws":null,"losses":7200.0}}'
    )

    assert dumps(Stats.model_validate_json(example).model_dump()).decode() == example


def test_balance_example_row_round_trips() -> None:
    row = (
        '{"currency":"USDT","free":900.0,"balance":900.0,"used":0.0,"bot_owned":900.0,'
        '"est_stake":900.0,"est_stake_bot":900.0,"stake":"USDT","side":"long",'
        '"is_position":false,"position":0.0,"is_bot_managed":true}'
    )
    body = (
        f'{{"currencies":[{row}],"total":900.0,"total_bot":900.0,"symbol":"","value":0.0,'
        '"value_bot":0.0,"stake":"USDT","note":"Simulated balances","starting_capital":1000.0,'
        '"starting_capital_ratio":-0.1,"starting_capital_pct":-10.0,"starting_capital_fiat":0.0,'
        '"starting_capital_fiat_ratio":0.0,"starting_capital_fiat_pct":0.0}'
    )

    assert dumps(Balances.model_validate_json(body).model_dump()).decode() == body


def test_performance_entry_key_order() -> None:
    entry = PerformanceEntry(
        profit_ratio=0.05, profit_pct=5.0, profit_abs=5.0, count=1, pair="ETH/USDT", profit=5.0
    )

    assert list(entry.model_dump()) == [
        "profit_ratio",
        "profit_pct",
        "profit_abs",
        "count",
        "pair",
        "profit",
    ]


def test_empty_historic_balance_matches_the_spec() -> None:
    empty = HistoricBalance(length=0, data=[], capture_start_ts=0)

    assert dumps(empty.model_dump()) == (
        b'{"columns":["date","__date_ts","total_quote"],"length":0,"data":[],"capture_start_ts":0}'
    )
