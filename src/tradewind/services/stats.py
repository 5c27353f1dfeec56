"""Per-pair, per-tag and per-period statistics of closed trades (rest-api.md §6.5–§6.9).

Everything is computed with pandas over the memoized closed-trade frame (one query per closed
revision) and memoized itself per closed revision; only `period_breakdown` adds the current
balance and date, which are cheap.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import pandas as pd

from tradewind.engine.bot import TradingEngine
from tradewind.persistence.repositories import WalletHistoryRepository
from tradewind.schemas.dates import as_utc, epoch_ms, iso_naive
from tradewind.schemas.stats import (
    DailyWeeklyMonthly,
    DurationStats,
    Entry,
    Exit,
    ExitReasonStats,
    HistoricBalance,
    MixTag,
    PerformanceEntry,
    Stats,
    TimeUnitProfit,
)
from tradewind.services.closed_trades import (
    closed_frame,
    closed_key,
    current_total_stake,
    live_key,
    memo,
)
from tradewind.services.context import BotContext
from tradewind.services.periods import Unit, period_starts, recent_periods
from tradewind.services.profit_metrics import stake_of

__all__ = ["StatsService"]

OTHER = "Other"
"""Group name of trades without an enter tag / exit reason."""


class StatsService:
    """Closed-trade breakdowns: by pair, tag, exit reason, period and outcome."""

    def __init__(self, ctx: BotContext) -> None:
        self._ctx = ctx

    # -- groupings --------------------------------------------------------------------------
    def performance(self) -> list[PerformanceEntry]:
        """Closed trades per pair, best Σ profit first (§6.5)."""
        rows = self._grouped("pair", None, "pair")
        return [PerformanceEntry(**row, profit=row["profit_pct"]) for row in rows]

    def entries(self, pair: str | None = None) -> list[Entry]:
        """Closed trades per enter tag (§6.6)."""
        return [Entry(**row) for row in self._grouped("enter_tag", pair, "enter_tag")]

    def exits(self, pair: str | None = None) -> list[Exit]:
        """Closed trades per exit reason (§6.6)."""
        return [Exit(**row) for row in self._grouped("exit_reason", pair, "exit_reason")]

    def mix_tags(self, pair: str | None = None) -> list[MixTag]:
        """Closed trades per "<enter_tag> <exit_reason>"; the ratio is Σ of trade ratios."""
        return [MixTag(**row) for row in self._grouped("mix_tag", pair, "mix_tag")]

    def _grouped(self, by: str, pair: str | None, label: str) -> list[dict[str, Any]]:
        engine = self._ctx.require_engine()
        frame = closed_frame(self._ctx)
        return memo(
            self._ctx,
            f"stats.group.{by}",
            closed_key(engine, pair),
            lambda: group_profits(frame, by, pair, label),
        )

    # -- periods ------------------------------------------------------------------------------
    async def period_breakdown(
        self, unit: Literal["days", "weeks", "months"], timescale: int
    ) -> DailyWeeklyMonthly:
        """Profit per UTC day / ISO week / month, newest first, exactly `timescale` rows (§6.7).

        Starting balances run backwards from the current total stake: each period's start is
        the current total minus the profit of that period and of every later one.
        """
        engine = self._ctx.require_engine()
        return memo(
            self._ctx,
            f"stats.period_answer.{unit}",
            live_key(engine, timescale),
            lambda: self._periods(engine, unit, timescale),
        )

    def _periods(self, engine: TradingEngine, unit: Unit, timescale: int) -> DailyWeeklyMonthly:
        frame = closed_frame(self._ctx)
        sums = memo(
            self._ctx, f"stats.periods.{unit}", closed_key(engine), lambda: period_sums(frame, unit)
        )
        starts = recent_periods(as_utc(engine.now()).date(), unit, timescale)
        chosen = sums.reindex(starts, fill_value=0)
        profits = chosen["abs_profit"].to_numpy(dtype=float)
        balances = current_total_stake(engine) - np.cumsum(profits)
        config = self._ctx.config
        return DailyWeeklyMonthly(
            data=[
                TimeUnitProfit(
                    date=start,
                    abs_profit=float(profit),
                    rel_profit=round(float(profit / balance), 8) if balance > 0 else 0.0,
                    starting_balance=float(balance),
                    fiat_value=0.0,
                    trade_count=int(count),
                )
                for start, profit, balance, count in zip(
                    starts, profits, balances, chosen["trade_count"], strict=True
                )
            ],
            fiat_display_currency=config.fiat_display_currency or "",
            stake_currency=str(config.stake_currency),
        )

    # -- outcomes -----------------------------------------------------------------------------
    def stats(self) -> Stats:
        """Wins/losses/draws per exit reason and mean durations per outcome (§6.8)."""
        engine = self._ctx.require_engine()
        frame = closed_frame(self._ctx)
        return memo(self._ctx, "stats.outcomes", closed_key(engine), lambda: outcome_stats(frame))

    def historic_balance(self) -> HistoricBalance:
        """Daily snapshots of the bot-managed wallet in stake currency (§6.9)."""
        engine = self._ctx.require_engine()
        return memo(self._ctx, "stats.historic_balance", live_key(engine), self._read_history)

    def _read_history(self) -> HistoricBalance:
        with self._ctx.db.transaction() as session:
            history = WalletHistoryRepository(session).history()
        totals: dict[Any, Decimal] = defaultdict(Decimal)
        for when, total in history:  # one row per currency: sum them per snapshot time
            totals[when] += total
        rows = [[iso_naive(when), epoch_ms(when), float(total)] for when, total in totals.items()]
        return HistoricBalance(
            length=len(rows),
            data=rows,
            capture_start_ts=rows[0][1] if rows else 0,
        )


def _labels(frame: pd.DataFrame, by: str) -> pd.Series:
    if by == "mix_tag":
        enter = frame["enter_tag"].fillna(OTHER).astype(str)
        return enter + " " + frame["exit_reason"].fillna(OTHER).astype(str)
    return frame[by].fillna(OTHER).astype(str)


def group_profits(
    frame: pd.DataFrame, by: str, pair: str | None, label: str
) -> list[dict[str, Any]]:
    """Rows of profit_ratio, profit_pct, profit_abs, count and `label`, best Σ profit first.

    The ratio is Σ profit ÷ Σ stake (entry cost ÷ leverage), except for mix tags, where it is
    the sum of the trades' own ratios.
    """
    if pair is not None:
        frame = frame[frame["pair"] == pair]
    if frame.empty:
        return []
    parts = pd.DataFrame(
        {
            "key": _labels(frame, by),
            "abs": frame["close_profit_abs"].fillna(0.0),
            "stake": stake_of(frame),
            "ratio": frame["close_profit"].fillna(0.0),
        }
    )
    grouped = parts.groupby("key", sort=True).agg(
        abs=("abs", "sum"), stake=("stake", "sum"), ratio=("ratio", "sum"), count=("abs", "size")
    )
    grouped = grouped.sort_values("abs", ascending=False, kind="stable")
    if by == "mix_tag":
        ratios = grouped["ratio"]
    else:
        ratios = (grouped["abs"] / grouped["stake"].where(grouped["stake"] != 0)).fillna(0.0)
    return [
        {
            "profit_ratio": float(ratio),
            "profit_pct": round(float(ratio) * 100, 2),
            "profit_abs": round(float(profit), 8),
            "count": int(count),
            label: str(key),
        }
        for key, ratio, profit, count in zip(
            grouped.index, ratios, grouped["abs"], grouped["count"], strict=True
        )
    ]


def period_sums(frame: pd.DataFrame, unit: Unit) -> pd.DataFrame:
    """Σ close_profit_abs and trade count per period start (a `datetime.date` index)."""
    if frame.empty:
        return pd.DataFrame({"abs_profit": [], "trade_count": []}, dtype=float)
    starts = period_starts(frame["close_date"], unit).dt.date
    parts = pd.DataFrame({"start": starts, "abs": frame["close_profit_abs"].fillna(0.0)})
    return parts.groupby("start").agg(abs_profit=("abs", "sum"), trade_count=("abs", "size"))


def outcome_stats(frame: pd.DataFrame) -> Stats:
    """Wins (>0), losses (<0) and draws (=0) by close_profit, per exit reason and overall."""
    ratios = frame["close_profit"].fillna(0.0)
    outcome = np.sign(ratios.to_numpy(dtype=float))
    reasons = _labels(frame, "exit_reason")
    counts = (
        pd.DataFrame(
            {"reason": reasons, "wins": outcome > 0, "losses": outcome < 0, "draws": outcome == 0}
        )
        .groupby("reason", sort=True)[["wins", "losses", "draws"]]
        .sum()
    )
    seconds = (frame["close_date"] - frame["open_date"]).dt.total_seconds().to_numpy(dtype=float)

    def mean_of(mask: np.ndarray) -> float | None:
        return float(seconds[mask].mean()) if mask.any() else None

    return Stats(
        exit_reasons={
            str(reason): ExitReasonStats(
                wins=int(row["wins"]), losses=int(row["losses"]), draws=int(row["draws"])
            )
            for reason, row in counts.iterrows()
        },
        durations=DurationStats(
            wins=mean_of(outcome > 0), draws=mean_of(outcome == 0), losses=mean_of(outcome < 0)
        ),
    )
