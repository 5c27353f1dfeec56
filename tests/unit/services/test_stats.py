import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.unit.services.builders import NOW, closed_trade, store
from tests.unit.services.conftest import BotFactory
from tradewind.app import Application
from tradewind.schemas.json import dumps
from tradewind.services.stats import StatsService

DAY = timedelta(days=1)
USDT = {"stake_currency": "USDT", "dry_run_wallet": 1000}


def _service(app: Application) -> StatsService:
    return StatsService(app.context())


def _tagged_set(app: Application) -> None:
    store(
        app,
        closed_trade("ETH/USDT", "100", "110", opened=NOW - 5 * DAY, enter_tag="a"),  # +9.79
        closed_trade("ETH/USDT", "100", "95", opened=NOW - 4 * DAY, exit_reason="stop_loss"),
        closed_trade("LTC/USDT", "50", "55", amount="2", opened=NOW - 3 * DAY, enter_tag="a"),
        closed_trade("XRP/USDT", "100", "100", fee="0", opened=NOW - 2 * DAY, exit_reason=None),
    )


def test_daily_matches_the_spec_example(bot: BotFactory) -> None:
    app = bot(**USDT, available_capital=1012.198)
    store(app, closed_trade("LTC/USDT", "100", "98", opened=datetime(2026, 11, 24, 8, tzinfo=UTC)))
    answer = asyncio.run(_service(app).period_breakdown("days", 2))
    assert dumps(answer).decode() == (
        '{"data":[{"date":"2026-11-25","abs_profit":0.0,"rel_profit":0.0,'
        '"starting_balance":1010.0,"fiat_value":0.0,"trade_count":0},'
        '{"date":"2026-11-24","abs_profit":-2.198,"rel_profit":-0.00217151,'
        '"starting_balance":1012.198,"fiat_value":0.0,"trade_count":1}],'
        '"fiat_display_currency":"","stake_currency":"USDT"}'
    )


def test_periods_are_utc_iso_weeks_and_months_newest_first(bot: BotFactory) -> None:
    app = bot(**USDT, available_capital=1000)
    store(
        app,
        # closes 2026-11-23 00:30 (Monday of the current week) and 2026-11-22 23:30 (Sunday)
        closed_trade("ETH/USDT", "100", "110", opened=datetime(2026, 11, 22, 22, 30, tzinfo=UTC)),
        closed_trade("ETH/USDT", "100", "95", opened=datetime(2026, 11, 22, 21, 30, tzinfo=UTC)),
        closed_trade("ETH/USDT", "100", "104", opened=datetime(2026, 10, 31, 23, tzinfo=UTC)),
    )
    service = _service(app)
    weeks = asyncio.run(service.period_breakdown("weeks", 3)).data
    assert [str(w.date) for w in weeks] == ["2026-11-23", "2026-11-16", "2026-11-09"]
    assert [w.trade_count for w in weeks] == [1, 1, 0]
    assert weeks[0].abs_profit == pytest.approx(9.79)
    months = asyncio.run(service.period_breakdown("months", 3)).data
    assert [str(m.date) for m in months] == ["2026-11-01", "2026-10-01", "2026-09-01"]
    assert [m.trade_count for m in months] == [3, 0, 0]  # the Oct 31 trade closed Nov 1
    total = 1000 + 9.79 - 5.195 + 3.796
    assert months[0].starting_balance == pytest.approx(total - (9.79 - 5.195 + 3.796))
    assert months[0].rel_profit == round((9.79 - 5.195 + 3.796) / 1000, 8)
    days = asyncio.run(service.period_breakdown("days", 30)).data
    assert len(days) == 30 and str(days[0].date) == "2026-11-25"
    assert [str(d.date) for d in days if d.trade_count] == [
        "2026-11-23",
        "2026-11-22",
        "2026-11-01",
    ]


def test_rel_profit_is_zero_without_a_positive_starting_balance(bot: BotFactory) -> None:
    app = bot(**USDT, available_capital=0)
    store(app, closed_trade("ETH/USDT", "100", "110", opened=NOW - DAY / 2))
    [today] = asyncio.run(_service(app).period_breakdown("days", 1)).data
    assert today.abs_profit == pytest.approx(9.79)
    assert today.starting_balance == pytest.approx(0.0) and today.rel_profit == 0.0


def test_stats_matches_the_spec_example(bot: BotFactory) -> None:
    app = bot(**USDT)
    store(
        app,
        closed_trade("ETH/USDT", "100", "110", opened=NOW - 3 * DAY, hours=2),
        closed_trade(
            "ETH/USDT", "100", "90", opened=NOW - 2 * DAY, hours=2, exit_reason="stop_loss"
        ),
    )
    assert dumps(_service(app).stats()).decode() == (
        '{"exit_reasons":{"roi":{"wins":1,"losses":0,"draws":0},'
        '"stop_loss":{"wins":0,"losses":1,"draws":0}},'
        '"durations":{"wins":7200.0,"draws":null,"losses":7200.0}}'
    )


def test_stats_of_an_empty_database(bot: BotFactory) -> None:
    body = json.loads(dumps(_service(bot(**USDT)).stats()))
    assert body == {"exit_reasons": {}, "durations": {"wins": None, "draws": None, "losses": None}}


def test_performance_per_pair_best_first(bot: BotFactory) -> None:
    app = bot(**USDT)
    _tagged_set(app)
    rows = [r.model_dump() for r in _service(app).performance()]
    assert rows == [
        {
            "profit_ratio": pytest.approx(9.79 / 100),  # 110 − 0.11 − 100.1, over 100 stake
            "profit_pct": 9.79,
            "profit_abs": 9.79,
            "count": 1,
            "pair": "LTC/USDT",
            "profit": 9.79,
        },
        {
            "profit_ratio": pytest.approx((9.79 - 5.195) / 200),
            "profit_pct": 2.3,
            "profit_abs": 4.595,
            "count": 2,
            "pair": "ETH/USDT",
            "profit": 2.3,
        },
        {
            "profit_ratio": 0.0,
            "profit_pct": 0.0,
            "profit_abs": 0.0,
            "count": 1,
            "pair": "XRP/USDT",
            "profit": 0.0,
        },
    ]


def test_entries_exits_and_mix_tags_group_missing_names_as_other(bot: BotFactory) -> None:
    app = bot(**USDT)
    _tagged_set(app)
    service = _service(app)
    entries = [(e.enter_tag, e.count, e.profit_abs) for e in service.entries()]
    assert entries == [("a", 2, 19.58), ("Other", 2, -5.195)]
    exits = [(e.exit_reason, e.count) for e in service.exits()]
    assert exits == [("roi", 2), ("Other", 1), ("stop_loss", 1)]
    assert [(e.exit_reason, e.count) for e in service.exits("ETH/USDT")] == [
        ("roi", 1),
        ("stop_loss", 1),
    ]
    mixes = {m.mix_tag: m for m in service.mix_tags()}
    assert list(mixes) == ["a roi", "Other Other", "Other stop_loss"]
    assert mixes["a roi"].profit_ratio == pytest.approx(9.79 / 100.1 * 2)  # Σ of trade ratios
    assert mixes["a roi"].profit_pct == round(9.79 / 100.1 * 2 * 100, 2)
    assert service.entries("DOGE/USDT") == []


def test_mix_tags_matches_the_spec_example(bot: BotFactory) -> None:
    app = bot(**USDT)
    store(
        app,
        closed_trade(
            "ETH/USDT", "2000", "2100", amount="0.05", opened=NOW - DAY, enter_tag="tag_a"
        ),
    )
    [row] = _service(app).mix_tags()
    assert row.model_dump() == {
        "profit_ratio": pytest.approx(0.0479020979),
        "profit_pct": 4.79,
        "profit_abs": 4.795,
        "count": 1,
        "mix_tag": "tag_a roi",
    }


def test_groupings_are_memoized_until_the_closed_trades_change(bot: BotFactory) -> None:
    app = bot(**USDT)
    _tagged_set(app)
    service = _service(app)
    first = service.performance()
    app.engine.revision += 1  # a tick changes nothing closed
    assert service.performance() == first
    assert app.context().cache["stats.group.pair"][1] is not None
    memo = app.context().cache["stats.group.pair"]
    service.performance()
    assert app.context().cache["stats.group.pair"] is memo
    store(app, closed_trade("DOGE/USDT", "1", "2", opened=NOW - DAY))
    assert next(p.pair for p in service.performance()) == "LTC/USDT"
    assert app.context().cache["stats.group.pair"] is not memo
