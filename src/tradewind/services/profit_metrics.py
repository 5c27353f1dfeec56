"""The closed-trade figures of `/profit` (rest-api.md §6.3), vectorized over the trade frame.

Every function here is pure: it takes the closed-trade frame of
`TradeRepository.closed_stats_frame` (or numbers) and returns numbers, with no per-trade Python
loop. `ProfitService` memoizes `closed_figures` per closed revision and combines it with the
(few) open trades.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd

SQRT_365 = math.sqrt(365)
NO_RATIO = -100.0
"""What sharpe/sortino/sqn/calmar report when their spread is zero (clearly "not optimal")."""


@dataclass(frozen=True)
class Drawdown:
    """Worst and current drawdown of the cumulative closed profit (all 0 / None without one)."""

    max_relative: float = 0.0
    max_abs: float = 0.0
    start: datetime | None = None
    end: datetime | None = None
    current_relative: float = 0.0
    current_abs: float = 0.0
    current_high: float = 0.0
    current_start: datetime | None = None


@dataclass(frozen=True)
class Returns:
    """Per-trade returns a/S: their sum, population std, downside std (NaN if no loss), SQN."""

    total: float
    std: float
    downside_std: float
    sqn: float


@dataclass(frozen=True)
class ClosedFigures:
    """Everything `/profit` needs from the closed trades (one direction or both)."""

    count: int = 0
    profit_abs: float = 0.0
    ratio_sum: float = 0.0
    ratio_mean: float = 0.0
    first: tuple[int, datetime] | None = None
    """(id, open date) of the lowest-id closed trade."""
    last: tuple[int, datetime] | None = None
    avg_duration_s: float | None = None
    best_pair: str = ""
    best_pair_abs: float = 0.0
    best_pair_ratio: float = 0.0
    winning: int = 0
    losing: int = 0
    profit_factor: float = math.inf
    expectancy: float = 0.0
    expectancy_ratio: float = 100.0
    returns: Returns | None = None
    """None without closed trades or without a positive starting balance."""
    drawdown: Drawdown = field(default_factory=Drawdown)


def closed_figures(frame: pd.DataFrame, starting_balance: float) -> ClosedFigures:
    """All closed-trade figures of `frame` against the starting balance S."""
    if frame.empty:
        return ClosedFigures()
    ratios = frame["close_profit"].fillna(0.0).to_numpy(dtype=float)
    profits = frame["close_profit_abs"].fillna(0.0).to_numpy(dtype=float)
    best_pair, best_abs, best_ratio = best_pair_of(frame)
    factor, expectancy, expectancy_ratio = outcome_ratios(profits)
    durations = (frame["close_date"] - frame["open_date"]).dt.total_seconds()
    return ClosedFigures(
        count=len(frame),
        profit_abs=float(profits.sum()),
        ratio_sum=float(ratios.sum()),
        ratio_mean=float(ratios.mean()),
        first=_id_and_open_date(frame, 0),
        last=_id_and_open_date(frame, -1),
        avg_duration_s=float(durations.mean()) if durations.notna().any() else None,
        best_pair=best_pair,
        best_pair_abs=best_abs,
        best_pair_ratio=best_ratio,
        winning=int((ratios >= 0).sum()),
        losing=int((ratios < 0).sum()),
        profit_factor=factor,
        expectancy=expectancy,
        expectancy_ratio=expectancy_ratio,
        returns=returns_of(profits, starting_balance),
        drawdown=drawdown_of(frame, starting_balance),
    )


def _id_and_open_date(frame: pd.DataFrame, position: int) -> tuple[int, datetime]:
    """(id, open date) of the trade at `position` of the (id-ordered) frame."""
    row = frame.iloc[position]
    return int(row["id"]), pd.Timestamp(row["open_date"]).to_pydatetime()


def stake_of(frame: pd.DataFrame) -> pd.Series:
    """Per trade: Σ filled entry cost ÷ leverage (the basis of per-pair/tag profit ratios)."""
    leverage = frame["leverage"].where(frame["leverage"] > 0, 1.0).fillna(1.0)
    return frame["max_stake_amount"].fillna(0.0) / leverage


def best_pair_of(frame: pd.DataFrame) -> tuple[str, float, float]:
    """(pair, Σ profit, Σ profit ÷ Σ stake) of the pair with the highest Σ close_profit_abs."""
    pairs = frame["pair"]
    profit_by_pair = frame["close_profit_abs"].groupby(pairs, sort=True).sum()
    stake_by_pair = stake_of(frame).groupby(pairs, sort=True).sum()
    best = str(profit_by_pair.idxmax())
    profit = float(profit_by_pair[best])
    stake = float(stake_by_pair[best])
    return best, profit, profit / stake if stake else 0.0


def outcome_ratios(profits: np.ndarray) -> tuple[float, float, float]:
    """(profit factor, expectancy, expectancy ratio) of absolute trade profits."""
    count = len(profits)
    wins = profits[profits > 0]
    losses = -profits[profits < 0]
    loss_sum = float(losses.sum())
    factor = float(wins.sum()) / loss_sum if loss_sum else math.inf
    if not count:
        return factor, 0.0, 100.0
    avg_win = float(wins.mean()) if len(wins) else 0.0
    avg_loss = float(losses.mean()) if len(losses) else 0.0
    win_rate = len(wins) / count
    expectancy = win_rate * avg_win - (len(losses) / count) * avg_loss
    ratio = (1 + avg_win / avg_loss) * win_rate - 1 if avg_loss > 0 else 100.0
    return factor, expectancy, ratio


def returns_of(profits: np.ndarray, starting_balance: float) -> Returns | None:
    """Return statistics of a/S; None when there is nothing to measure against."""
    count = len(profits)
    if not count or starting_balance <= 0:
        return None
    returns = profits / starting_balance
    losses = returns[returns < 0]
    downside = float(losses.std()) if len(losses) else math.nan
    sample_std = float(returns.std(ddof=1)) if count > 1 else math.nan
    if sample_std and math.isfinite(sample_std):
        sqn = round(math.sqrt(count) * float(returns.mean()) / sample_std, 4)
    else:
        sqn = NO_RATIO
    return Returns(float(returns.sum()), float(returns.std()), downside, sqn)


def drawdown_of(frame: pd.DataFrame, starting_balance: float) -> Drawdown:
    """Drawdown of the cumulative profit, trades taken in close-date order.

    A zero row (dated at the earliest open date: the account before any trade) is prepended,
    so a first losing trade is a drawdown from the starting balance.
    """
    if frame.empty:
        return Drawdown()
    ordered = frame.sort_values(["close_date", "id"], kind="stable")
    profits = np.concatenate(([0.0], ordered["close_profit_abs"].fillna(0.0).to_numpy(float)))
    close_dates = ordered["close_date"]

    def date_at(row: int) -> object:  # row 0 is the account before any trade
        return frame["open_date"].min() if row == 0 else close_dates.iat[row - 1]

    cumulative = np.cumsum(profits)
    high = np.maximum(0.0, np.maximum.accumulate(cumulative))
    drawdown = cumulative - high
    peak_balance = starting_balance + high
    safe_peak = np.where(peak_balance > 0, peak_balance, 1.0)
    relative = np.where(peak_balance > 0, (high - cumulative) / safe_peak, 0.0)
    current_peak = int(np.argmax(high))  # first row at the final (= overall) high
    current = Drawdown(
        current_relative=float(relative[-1]),
        current_abs=float(high[-1] - cumulative[-1]),
        current_high=float(high[-1]),
        current_start=_py_date(date_at(current_peak)),
    )
    worst = int(np.argmin(drawdown))
    if drawdown[worst] >= 0:
        return current
    peak = int(np.argmax(high[: worst + 1]))
    return Drawdown(
        max_relative=float(relative[worst]),
        max_abs=float(-drawdown[worst]),
        start=_py_date(date_at(peak)),
        end=_py_date(date_at(worst)),
        current_relative=current.current_relative,
        current_abs=current.current_abs,
        current_high=current.current_high,
        current_start=current.current_start,
    )


def _py_date(value: object) -> datetime | None:
    if value is None or value is pd.NaT:
        return None
    return pd.Timestamp(value).to_pydatetime()  # type: ignore[arg-type]


def sharpe(returns: Returns | None, days: int, single_date: bool) -> float:
    """Mean daily return over the population std of returns, annualized."""
    if returns is None or single_date:
        return 0.0
    if not returns.std:
        return NO_RATIO
    return returns.total / days / returns.std * SQRT_365


def sortino(returns: Returns | None, days: int, single_date: bool) -> float:
    """As sharpe, over the population std of the losing returns only."""
    if returns is None or single_date:
        return 0.0
    if not returns.downside_std or not math.isfinite(returns.downside_std):
        return NO_RATIO
    return returns.total / days / returns.downside_std * SQRT_365


def calmar(figures: ClosedFigures, starting_balance: float, days: int) -> float:
    """Mean daily return in % over the maximum relative drawdown, annualized."""
    if not figures.count or starting_balance <= 0:
        return 0.0
    max_drawdown = figures.drawdown.max_relative
    if not max_drawdown:
        return NO_RATIO
    daily_pct = figures.profit_abs / starting_balance / days * 100
    return daily_pct / max_drawdown * SQRT_365


def cagr(final_balance: float, starting_balance: float, days: int) -> float:
    """Compound annual growth from S to `final_balance` over `days`; 0 when undefined."""
    if starting_balance <= 0 or final_balance <= 0 or days <= 0:
        return 0.0
    try:
        value = (final_balance / starting_balance) ** (365 / days) - 1
    except OverflowError:
        return 0.0
    return value if math.isfinite(value) else 0.0
