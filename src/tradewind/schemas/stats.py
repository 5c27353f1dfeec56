"""Trading statistics: count, balance, profit, performance, periods, stats (rest-api.md §6).

Non-finite floats (``profit_factor`` = +inf, NaN from a failed pricing) are valid values here;
the response class writes them as ``null``. Profit dates are plain strings because an empty
trade set yields ``""``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel

__all__ = [
    "Balance",
    "Balances",
    "Count",
    "DailyWeeklyMonthly",
    "DurationStats",
    "Entry",
    "Exit",
    "ExitReasonStats",
    "HistoricBalance",
    "MixTag",
    "PerformanceEntry",
    "Profit",
    "ProfitAll",
    "Stats",
    "TimeUnitProfit",
]


class Count(BaseModel):
    """``GET /count``: open trades, the ``max_open_trades`` limit (−1 unlimited), position value."""

    current: int
    max: int
    total_stake: float


class Balance(BaseModel):
    """One row of ``balance.currencies`` (a wallet currency or a futures position)."""

    currency: str
    free: float
    balance: float
    used: float
    bot_owned: float | None
    est_stake: float
    est_stake_bot: float | None
    stake: str
    side: str
    is_position: bool
    position: float
    is_bot_managed: bool


class Balances(BaseModel):
    """``GET /balance`` (§6.2)."""

    currencies: list[Balance]
    total: float
    total_bot: float
    symbol: str
    value: float
    value_bot: float
    stake: str
    note: str
    starting_capital: float
    starting_capital_ratio: float
    starting_capital_pct: float
    starting_capital_fiat: float
    starting_capital_fiat_ratio: float
    starting_capital_fiat_pct: float


class Profit(BaseModel):
    """``GET /profit`` (§6.3): every field, in wire order."""

    profit_closed_coin: float
    profit_closed_percent_mean: float
    profit_closed_ratio_mean: float
    profit_closed_percent_sum: float
    profit_closed_ratio_sum: float
    profit_closed_percent: float
    profit_closed_ratio: float
    profit_closed_fiat: float
    profit_all_coin: float
    profit_all_percent_mean: float
    profit_all_ratio_mean: float
    profit_all_percent_sum: float
    profit_all_ratio_sum: float
    profit_all_percent: float
    profit_all_ratio: float
    profit_all_fiat: float
    trade_count: int
    closed_trade_count: int
    first_trade_date: str
    first_trade_humanized: str
    first_trade_timestamp: int
    latest_trade_date: str
    latest_trade_humanized: str
    latest_trade_timestamp: int
    avg_duration: str
    best_pair: str
    best_rate: float
    best_pair_profit_ratio: float
    best_pair_profit_abs: float
    winning_trades: int
    losing_trades: int
    profit_factor: float | None
    winrate: float
    expectancy: float
    expectancy_ratio: float
    sharpe: float
    sortino: float
    sqn: float
    calmar: float
    cagr: float
    max_drawdown: float
    max_drawdown_abs: float
    max_drawdown_start: str
    max_drawdown_start_timestamp: int
    max_drawdown_end: str
    max_drawdown_end_timestamp: int
    current_drawdown: float
    current_drawdown_abs: float
    current_drawdown_high: float
    current_drawdown_start: str
    current_drawdown_start_timestamp: int
    trading_volume: float | None
    bot_start_timestamp: int
    bot_start_date: str


class ProfitAll(BaseModel):
    """``GET /profit_all``: ``long``/``short`` are null in spot mode."""

    all: Profit
    long: Profit | None = None
    short: Profit | None = None


class PerformanceEntry(BaseModel):
    """An element of ``GET /performance`` (per pair); ``profit`` duplicates ``profit_pct``."""

    profit_ratio: float
    profit_pct: float
    profit_abs: float
    count: int
    pair: str
    profit: float


class Entry(BaseModel):
    """An element of ``GET /entries`` (per enter tag, ``"Other"`` for none)."""

    profit_ratio: float
    profit_pct: float
    profit_abs: float
    count: int
    enter_tag: str


class Exit(BaseModel):
    """An element of ``GET /exits`` (per exit reason)."""

    profit_ratio: float
    profit_pct: float
    profit_abs: float
    count: int
    exit_reason: str


class MixTag(BaseModel):
    """An element of ``GET /mix_tags`` (per ``"<enter_tag> <exit_reason>"``)."""

    profit_ratio: float
    profit_pct: float
    profit_abs: float
    count: int
    mix_tag: str


class TimeUnitProfit(BaseModel):
    """One period of ``/daily``, ``/weekly``, ``/monthly``; ``date`` emits ``"YYYY-MM-DD"``."""

    date: dt.date
    abs_profit: float
    rel_profit: float
    starting_balance: float
    fiat_value: float
    trade_count: int


class DailyWeeklyMonthly(BaseModel):
    """``/daily``, ``/weekly``, ``/monthly``: newest period first."""

    data: list[TimeUnitProfit]
    fiat_display_currency: str
    stake_currency: str


class ExitReasonStats(BaseModel):
    """Win/loss/draw counts of one exit reason."""

    wins: int
    losses: int
    draws: int


class DurationStats(BaseModel):
    """Mean trade duration in seconds per outcome; null when no trade has that outcome."""

    wins: float | None
    draws: float | None
    losses: float | None


class Stats(BaseModel):
    """``GET /stats``."""

    exit_reasons: dict[str, ExitReasonStats]
    durations: DurationStats


class HistoricBalance(BaseModel):
    """``GET /historic_balance``: rows ``[naive ISO date, epoch ms, total in stake currency]``."""

    columns: list[str] = ["date", "__date_ts", "total_quote"]
    length: int
    data: list[list[Any]]
    capture_start_ts: int | None
