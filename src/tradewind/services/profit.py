"""`/profit` and `/profit_all` (rest-api.md §6.3, §6.4).

The closed-trade part comes from one query (the closed-trade frame) and vectorized pandas/numpy
(`profit_metrics`), memoized per closed revision and starting balance; the open trades (few)
are valued one by one at the current exit rate. The whole answer is memoized per engine
revision, so requests between two ticks cost a dictionary lookup.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pandas as pd

from tradewind.domain.money import to_decimal
from tradewind.domain.trade import Trade
from tradewind.engine.bot import BOT_START_KEY, TradingEngine
from tradewind.persistence.repositories import KeyValueRepository, TradeRepository
from tradewind.schemas.dates import epoch_ms, naive_text
from tradewind.schemas.stats import Profit, ProfitAll
from tradewind.services import profit_metrics as pm
from tradewind.services.closed_trades import (
    closed_frame,
    closed_key,
    current_total_stake,
    live_key,
    memo,
    starting_balance,
)
from tradewind.services.context import BotContext
from tradewind.services.time_text import duration_text, humanized_since

__all__ = ["ProfitService"]

ANSWER_KEY = "profit.answer"


@dataclass(frozen=True)
class OpenFigure:
    """One open trade as `/profit` counts it."""

    trade_id: int
    open_date: datetime
    is_short: bool
    filled: bool
    ratio: float
    """Profit ratio at the current exit rate (NaN when pricing failed)."""
    total_abs: float
    """Realized (partial exits) + unrealized profit (NaN when pricing failed)."""


@dataclass(frozen=True)
class ProfitInputs:
    """The inputs shared by the per-direction answers."""

    starting_balance: float
    total_stake: float
    now: datetime
    volume: float | None
    bot_start: datetime | None


class ProfitService:
    """Profit statistics over all trades, memoized between engine ticks."""

    def __init__(self, ctx: BotContext) -> None:
        self._ctx = ctx

    async def profit(self) -> Profit:
        """`GET /profit`: statistics over every trade (open and closed)."""
        return (await self.profit_all()).all

    async def profit_all(self) -> ProfitAll:
        """`GET /profit_all`: all trades, plus long/short apart outside spot mode."""
        engine = self._ctx.require_engine()
        key = live_key(engine)
        cached = self._ctx.cache.get(ANSWER_KEY)
        if cached is not None and cached[0] == key:
            answer: ProfitAll = cached[1]
            return answer
        answer = await self._compute(engine)
        self._ctx.cache[ANSWER_KEY] = (key, answer)
        return answer

    async def _compute(self, engine: TradingEngine) -> ProfitAll:
        opens = await _open_figures(engine)
        inputs = self._inputs(engine)
        frame = closed_frame(self._ctx)
        answer = ProfitAll(all=self._direction(engine, frame, opens, inputs, None))
        if str(self._ctx.config.trading_mode) != "spot":
            answer.long = self._direction(engine, frame, opens, inputs, False)
            answer.short = self._direction(engine, frame, opens, inputs, True)
        return answer

    def _inputs(self, engine: TradingEngine) -> ProfitInputs:
        with self._ctx.db.transaction() as session:
            volume = TradeRepository(session).traded_volume()
            started = KeyValueRepository(session).get(BOT_START_KEY)
        return ProfitInputs(
            starting_balance=starting_balance(engine),
            total_stake=current_total_stake(engine),
            now=engine.now(),
            volume=volume,
            bot_start=_parse_date(started),
        )

    def _direction(
        self,
        engine: TradingEngine,
        frame: pd.DataFrame,
        opens: list[OpenFigure],
        inputs: ProfitInputs,
        short: bool | None,
    ) -> Profit:
        """The answer over the trades of one direction (None: both)."""
        balance = inputs.starting_balance

        def compute() -> pm.ClosedFigures:
            subset = frame if short is None else frame[frame["is_short"] == short]
            return pm.closed_figures(subset, balance)

        closed = memo(self._ctx, f"profit.closed.{short}", closed_key(engine, balance), compute)
        chosen = [o for o in opens if short is None or o.is_short == short]
        return build_profit(closed, chosen, inputs)


async def _open_figures(engine: TradingEngine) -> list[OpenFigure]:
    """Every open trade valued at the current exit rate (ascending id)."""
    figures = []
    for trade in sorted(engine.open_trades, key=lambda t: t.id or 0):
        rate = await engine.current_rate(trade.pair) if trade.filled_entries else None
        figures.append(_open_figure(trade, rate))
    return figures


def _open_figure(trade: Trade, rate: float | None) -> OpenFigure:
    ratio = total = math.nan
    if trade.filled_entries and rate is not None and math.isfinite(rate):
        profit = trade.profit_at(to_decimal(rate))
        ratio, total = profit.ratio, float(profit.total_abs)
    return OpenFigure(
        trade.id or 0, trade.open_date, trade.is_short, bool(trade.filled_entries), ratio, total
    )


def _parse_date(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _ratio(value: float, base: float) -> float:
    return value / base if base else 0.0


def _pct(ratio: float) -> float:
    return round(ratio * 100, 2)


def _date_fields(prefix: str, value: datetime | None, now: datetime) -> dict[str, Any]:
    if value is None:
        return {f"{prefix}_date": "", f"{prefix}_humanized": "", f"{prefix}_timestamp": 0}
    return {
        f"{prefix}_date": naive_text(value),
        f"{prefix}_humanized": humanized_since(value, now),
        f"{prefix}_timestamp": epoch_ms(value),
    }


def _bounds(
    closed: pm.ClosedFigures, opens: Sequence[OpenFigure]
) -> tuple[datetime | None, datetime | None]:
    """Open dates of the lowest-id and the highest-id trade of the set."""
    candidates = [(o.trade_id, o.open_date) for o in opens]
    candidates += [pair for pair in (closed.first, closed.last) if pair is not None]
    if not candidates:
        return None, None
    return min(candidates)[1], max(candidates)[1]


def build_profit(
    closed: pm.ClosedFigures, opens: Sequence[OpenFigure], inputs: ProfitInputs
) -> Profit:
    """Combine the closed-trade figures with the open trades into the `/profit` answer."""
    balance = inputs.starting_balance
    first, latest = _bounds(closed, opens)
    days = max(1, (latest - first).days) if first and latest else 1
    single = first is None or first == latest
    return Profit(
        **_sums(closed, opens, balance),
        trade_count=closed.count + len(opens),
        closed_trade_count=closed.count,
        **_date_fields("first_trade", first, inputs.now),
        **_date_fields("latest_trade", latest, inputs.now),
        avg_duration=duration_text(closed.avg_duration_s),
        best_pair=closed.best_pair,
        best_rate=_pct(closed.best_pair_ratio),
        best_pair_profit_ratio=closed.best_pair_ratio,
        best_pair_profit_abs=closed.best_pair_abs,
        winning_trades=closed.winning,
        losing_trades=closed.losing,
        profit_factor=closed.profit_factor if math.isfinite(closed.profit_factor) else None,
        winrate=_ratio(closed.winning, closed.count),
        expectancy=closed.expectancy,
        expectancy_ratio=closed.expectancy_ratio,
        sharpe=pm.sharpe(closed.returns, days, single),
        sortino=pm.sortino(closed.returns, days, single),
        sqn=closed.returns.sqn if closed.returns else 0.0,
        calmar=pm.calmar(closed, balance, days),
        cagr=pm.cagr(inputs.total_stake, balance, days),
        **_drawdown_fields(closed.drawdown),
        trading_volume=inputs.volume,
        bot_start_timestamp=epoch_ms(inputs.bot_start) if inputs.bot_start else 0,
        bot_start_date=naive_text(inputs.bot_start) if inputs.bot_start else "",
    )


def _sums(closed: pm.ClosedFigures, opens: Sequence[OpenFigure], balance: float) -> dict[str, Any]:
    """The profit_closed_* and profit_all_* fields."""
    valued = [o for o in opens if o.filled]
    all_abs = round(closed.profit_abs + math.fsum(o.total_abs for o in valued), 8)
    all_sum = closed.ratio_sum + math.fsum(o.ratio for o in valued)
    count = closed.count + len(valued)
    all_mean = all_sum / count if count else 0.0
    closed_abs = round(closed.profit_abs, 8)
    return {
        "profit_closed_coin": closed_abs,
        "profit_closed_percent_mean": _pct(closed.ratio_mean),
        "profit_closed_ratio_mean": closed.ratio_mean,
        "profit_closed_percent_sum": _pct(closed.ratio_sum),
        "profit_closed_ratio_sum": closed.ratio_sum,
        "profit_closed_percent": _pct(_ratio(closed_abs, balance)),
        "profit_closed_ratio": _ratio(closed_abs, balance),
        "profit_closed_fiat": 0.0,
        "profit_all_coin": all_abs,
        "profit_all_percent_mean": _pct(all_mean),
        "profit_all_ratio_mean": all_mean,
        "profit_all_percent_sum": _pct(all_sum),
        "profit_all_ratio_sum": all_sum,
        "profit_all_percent": _pct(_ratio(all_abs, balance)),
        "profit_all_ratio": _ratio(all_abs, balance),
        "profit_all_fiat": 0.0,
    }


def _drawdown_fields(drawdown: pm.Drawdown) -> dict[str, Any]:
    def text(value: datetime | None) -> str:
        return naive_text(value) if value else ""

    def stamp(value: datetime | None) -> int:
        return epoch_ms(value) if value else 0

    return {
        "max_drawdown": drawdown.max_relative,
        "max_drawdown_abs": drawdown.max_abs,
        "max_drawdown_start": text(drawdown.start),
        "max_drawdown_start_timestamp": stamp(drawdown.start),
        "max_drawdown_end": text(drawdown.end),
        "max_drawdown_end_timestamp": stamp(drawdown.end),
        "current_drawdown": drawdown.current_relative,
        "current_drawdown_abs": drawdown.current_abs,
        "current_drawdown_high": drawdown.current_high,
        "current_drawdown_start": text(drawdown.current_start),
        "current_drawdown_start_timestamp": stamp(drawdown.current_start),
    }
