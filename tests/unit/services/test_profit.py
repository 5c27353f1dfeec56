import asyncio
import json
import math
import statistics
from datetime import timedelta

import pytest

from tests.unit.services.builders import NOW, closed_trade, open_trade, store, use_rates
from tests.unit.services.conftest import BotFactory
from tradewind.app import Application
from tradewind.persistence.repositories import KeyValueRepository
from tradewind.schemas.dates import epoch_ms
from tradewind.schemas.json import dumps
from tradewind.schemas.stats import Profit
from tradewind.services.profit import ProfitService

DAY = timedelta(days=1)
USDT = {"stake_currency": "USDT", "dry_run_wallet": 1000}

# (pair, buy, sell, fee, opened, hours, profit_abs) — profit worked out by hand:
# sell × amount × (1 − fee) − buy × amount × (1 + fee), amount 1
CLOSED = [
    ("ETH/USDT", "100", "110", "0.001", NOW - 10 * DAY, 2, 9.79),
    ("LTC/USDT", "100", "95", "0.001", NOW - 8 * DAY, 3, -5.195),
    ("ETH/USDT", "100", "100", "0", NOW - 6 * DAY, 1, 0.0),
    ("XRP/USDT", "100", "104", "0.001", NOW - 4 * DAY, 4, 3.796),
    ("LTC/USDT", "100", "98", "0.001", NOW - 3 * DAY, 2, -2.198),
]


def _closed_set(app: Application) -> None:
    trades = [
        closed_trade(pair, buy, sell, fee=fee, opened=opened, hours=hours)
        for pair, buy, sell, fee, opened, hours, _ in CLOSED
    ]
    store(app, *trades)


def _profit(app: Application) -> Profit:
    return asyncio.run(ProfitService(app.context()).profit())


def test_every_profit_field_matches_a_hand_computation(bot: BotFactory) -> None:
    app = bot(**USDT, available_capital=1000)
    _closed_set(app)
    store(
        app,
        open_trade("ETH/USDT", "100", opened=NOW - DAY),  # valued at 105: +4.795
        open_trade("LTC/USDT", "100", opened=NOW - DAY / 2, filled=False),  # counted only
    )
    use_rates(app, {"ETH/USDT": 105.0})
    with app.db.transaction() as session:
        KeyValueRepository(session).set("bot_start_time", (NOW - 20 * DAY).isoformat())
    got = _profit(app)

    s = 1000.0
    a = [t[-1] for t in CLOSED]
    r = [x / 100.1 for x in a]
    r[2] = 0.0  # the fee-free draw
    open_a, open_r = 4.795, 4.795 / 100.1
    days = 9  # first open NOW − 10 d, latest open NOW − 12 h
    returns = [x / s for x in a]
    peak, trough = 9.79, 9.79 - 5.195
    wins, losses = [x for x in a if x > 0], [-x for x in a if x < 0]
    closes = [opened + timedelta(hours=h) for *_, opened, h, _ in CLOSED]
    max_dd = (peak - trough) / (s + peak)
    expected = {
        "profit_closed_coin": 6.193,
        "profit_closed_percent_mean": round(sum(r) / 5 * 100, 2),
        "profit_closed_ratio_mean": pytest.approx(sum(r) / 5),
        "profit_closed_percent_sum": round(sum(r) * 100, 2),
        "profit_closed_ratio_sum": pytest.approx(sum(r)),
        "profit_closed_percent": 0.62,
        "profit_closed_ratio": pytest.approx(6.193 / s),
        "profit_closed_fiat": 0.0,
        "profit_all_coin": 10.988,
        "profit_all_percent_mean": round((sum(r) + open_r) / 6 * 100, 2),
        "profit_all_ratio_mean": pytest.approx((sum(r) + open_r) / 6),
        "profit_all_percent_sum": round((sum(r) + open_r) * 100, 2),
        "profit_all_ratio_sum": pytest.approx(sum(r) + open_r),
        "profit_all_percent": 1.1,
        "profit_all_ratio": pytest.approx((6.193 + open_a) / s),
        "profit_all_fiat": 0.0,
        "trade_count": 7,
        "closed_trade_count": 5,
        "first_trade_date": "2026-11-15 12:00:00",
        "first_trade_humanized": "10 days ago",
        "first_trade_timestamp": epoch_ms(NOW - 10 * DAY),
        "latest_trade_date": "2026-11-25 00:00:00",
        "latest_trade_humanized": "12 hours ago",
        "latest_trade_timestamp": epoch_ms(NOW - DAY / 2),
        "avg_duration": "2:24:00",  # (2 + 3 + 1 + 4 + 2) h / 5
        "best_pair": "ETH/USDT",
        "best_rate": round(9.79 / 200 * 100, 2),
        "best_pair_profit_ratio": pytest.approx(9.79 / 200),
        "best_pair_profit_abs": pytest.approx(9.79),
        "winning_trades": 3,  # the zero-profit trade counts as a win
        "losing_trades": 2,
        "profit_factor": pytest.approx(sum(wins) / sum(losses)),
        "winrate": 0.6,
        "expectancy": pytest.approx(
            2 / 5 * statistics.mean(wins) - 2 / 5 * statistics.mean(losses)
        ),
        "expectancy_ratio": pytest.approx(
            (1 + statistics.mean(wins) / statistics.mean(losses)) * 2 / 5 - 1
        ),
        "sharpe": pytest.approx(sum(returns) / days / statistics.pstdev(returns) * math.sqrt(365)),
        "sortino": pytest.approx(
            sum(returns) / days / statistics.pstdev([x for x in returns if x < 0]) * math.sqrt(365)
        ),
        "sqn": round(math.sqrt(5) * statistics.mean(returns) / statistics.stdev(returns), 4),
        "calmar": pytest.approx(6.193 / s / days * 100 / max_dd * math.sqrt(365)),
        "cagr": pytest.approx(((s + 6.193) / s) ** (365 / days) - 1),
        "max_drawdown": pytest.approx(max_dd),
        "max_drawdown_abs": pytest.approx(5.195),
        "max_drawdown_start": "2026-11-15 14:00:00",
        "max_drawdown_start_timestamp": epoch_ms(closes[0]),
        "max_drawdown_end": "2026-11-17 15:00:00",
        "max_drawdown_end_timestamp": epoch_ms(closes[1]),
        "current_drawdown": pytest.approx((peak - 6.193) / (s + peak)),
        "current_drawdown_abs": pytest.approx(peak - 6.193),
        "current_drawdown_high": pytest.approx(peak),
        "current_drawdown_start": "2026-11-15 14:00:00",
        "current_drawdown_start_timestamp": epoch_ms(closes[0]),
        "trading_volume": pytest.approx(5 * 100 + 507 + 100),  # every filled order's cost
        "bot_start_timestamp": epoch_ms(NOW - 20 * DAY),
        "bot_start_date": "2026-11-05 12:00:00",
    }
    assert list(Profit.model_fields) == list(expected)
    assert got.model_dump() == expected


def test_empty_database_gives_the_zero_shape(bot: BotFactory) -> None:
    app = bot(**USDT)
    body = json.loads(dumps(_profit(app)))
    assert body["trade_count"] == body["closed_trade_count"] == 0
    assert body["profit_all_coin"] == body["profit_closed_coin"] == 0.0
    assert body["first_trade_date"] == body["latest_trade_humanized"] == ""
    assert body["first_trade_timestamp"] == body["max_drawdown_start_timestamp"] == 0
    assert body["avg_duration"] == "0:00:00" and body["best_pair"] == ""
    assert body["profit_factor"] is None  # +inf without losses
    assert body["expectancy_ratio"] == 100.0 and body["winrate"] == 0.0
    assert [body[k] for k in ("sharpe", "sortino", "sqn", "calmar", "cagr")] == [0.0] * 5
    assert body["max_drawdown"] == body["current_drawdown_high"] == 0.0
    assert body["max_drawdown_end"] == body["current_drawdown_start"] == ""
    assert body["trading_volume"] == 0.0
    assert body["bot_start_timestamp"] == 0 and body["bot_start_date"] == ""


def test_starting_balance_comes_from_the_wallet_without_available_capital(
    bot: BotFactory,
) -> None:
    app = bot(**USDT)  # tradable_balance_ratio 0.99
    store(
        app,
        closed_trade("ETH/USDT", "100", "110", opened=NOW - 3 * DAY),
        open_trade("ETH/USDT", "100", opened=NOW - DAY),
    )
    use_rates(app, {"ETH/USDT": 100.0})
    got = _profit(app)
    # (free − Σ closed profit + tied stake) × 0.99 = (909.69 − 9.79 + 100.1) × 0.99 = 990
    assert got.profit_closed_ratio == pytest.approx(9.79 / 990)
    assert got.profit_closed_coin == 9.79


def test_a_failed_price_makes_the_all_trades_figures_null(bot: BotFactory) -> None:
    app = bot(**USDT, available_capital=1000)
    store(
        app,
        closed_trade("ETH/USDT", "100", "110", opened=NOW - 3 * DAY),
        open_trade("LTC/USDT", "100", opened=NOW - DAY),
    )
    use_rates(app, {})
    body = json.loads(dumps(_profit(app)))
    assert body["profit_all_coin"] is None and body["profit_all_ratio_mean"] is None
    assert body["profit_closed_coin"] == 9.79 and body["trade_count"] == 2


def test_single_trade_has_no_spread_based_ratios(bot: BotFactory) -> None:
    app = bot(**USDT, available_capital=1000)
    store(app, closed_trade("ETH/USDT", "100", "110", opened=NOW - 3 * DAY))
    got = _profit(app)
    assert got.sharpe == 0.0 and got.sortino == 0.0  # first trade == latest trade
    assert got.sqn == -100.0  # sample std of one return is undefined
    assert got.calmar == -100.0  # no drawdown
    assert got.profit_factor is None and got.winning_trades == 1


def test_a_first_losing_trade_draws_down_from_the_starting_balance(bot: BotFactory) -> None:
    app = bot(**USDT, available_capital=1000)
    store(
        app,
        closed_trade("LTC/USDT", "100", "95", opened=NOW - 5 * DAY, hours=3),
        closed_trade("ETH/USDT", "100", "110", opened=NOW - 4 * DAY, hours=3),
    )
    got = _profit(app)
    assert got.max_drawdown_abs == pytest.approx(5.195)
    assert got.max_drawdown == pytest.approx(5.195 / 1000)
    assert got.max_drawdown_start == "2026-11-20 12:00:00"  # before the first trade opened
    assert got.max_drawdown_end == "2026-11-20 15:00:00"
    assert got.current_drawdown == 0.0 and got.current_drawdown_abs == 0.0
    assert got.current_drawdown_high == pytest.approx(9.79 - 5.195)
    assert got.current_drawdown_start == "2026-11-21 15:00:00"


def test_profit_all_has_no_directions_in_spot(bot: BotFactory) -> None:
    app = bot(**USDT)
    answer = asyncio.run(ProfitService(app.context()).profit_all())
    assert answer.long is None and answer.short is None


def test_answers_are_memoized_per_revision(bot: BotFactory) -> None:
    app = bot(**USDT, available_capital=1000)
    _closed_set(app)
    store(app, open_trade("ETH/USDT", "100", opened=NOW - DAY))
    pricing = use_rates(app, {"ETH/USDT": 105.0})
    service = ProfitService(app.context())
    first = asyncio.run(service.profit_all())
    assert asyncio.run(service.profit_all()) is first and pricing.calls == 1
    closed_memo = app.context().cache["profit.closed.None"]
    app.engine.revision += 1  # a tick: open trades are re-valued, closed figures reused
    pricing.rates["ETH/USDT"] = 110.0
    second = asyncio.run(ProfitService(app.context()).profit_all())
    assert second is not first and pricing.calls == 2
    assert app.context().cache["profit.closed.None"] is closed_memo
    assert second.all.profit_all_coin == pytest.approx(6.193 + 9.79)
    store(app, closed_trade("ETH/USDT", "100", "90", opened=NOW - DAY / 4, hours=1))
    third = asyncio.run(service.profit())
    assert third.closed_trade_count == 6
    assert app.context().cache["profit.closed.None"] is not closed_memo
