"""What every statistic starts from: the closed-trade frame and the balances, memoized per bot.

Figures derived from closed trades only change when the set of closed trades changes, so they
are memoized in `BotContext.cache` under the engine's `closed_revision`; figures that also
depend on open trades, prices or the clock are memoized under `revision` (bumped every tick
and on every trade event). The engine object itself is part of every key, so a rebuilt engine
(config reload) never reads its predecessor's memo.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TypeVar

import pandas as pd

from tradewind.engine.bot import TradingEngine
from tradewind.persistence.repositories import TradeRepository
from tradewind.services.context import BotContext

T = TypeVar("T")

FRAME_KEY = "closed_trades.frame"


def memo(ctx: BotContext, name: str, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per `key`: the value stored under `name` is reused while `key` holds."""
    entry = ctx.cache.get(name)
    if entry is not None and entry[0] == key:
        value: T = entry[1]
        return value
    value = compute()
    ctx.cache[name] = (key, value)
    return value


def closed_key(engine: TradingEngine, *extra: Hashable) -> tuple[Hashable, ...]:
    """Memo key of a figure that depends only on the closed trades (and `extra` inputs)."""
    return (engine, engine.closed_revision, *extra)


def live_key(engine: TradingEngine, *extra: Hashable) -> tuple[Hashable, ...]:
    """Memo key of a figure that also depends on open trades, prices or the clock."""
    return (engine, engine.revision, *extra)


@dataclass(frozen=True)
class _ClosedFrame:
    """The closed trades as read at one closed revision, and what was open then."""

    key: tuple[Hashable, ...]  # (engine, closed_edits)
    revision: int
    frame: pd.DataFrame
    open_ids: tuple[int, ...]


def closed_frame(ctx: BotContext) -> pd.DataFrame:
    """All closed trades (`TradeRepository.STATS_COLUMNS`, ascending id), kept up to date.

    Read whole once; after trades close only those are read and appended (a trade that
    closes either was open at the last read or has a higher id than any read), so a close
    costs a small query instead of re-reading every closed trade. Editing or removing a
    closed trade (`closed_edits`) reads everything again. Callers must not modify the frame.
    """
    engine = ctx.require_engine()
    key = (engine, engine.closed_edits)
    held: _ClosedFrame | None = ctx.cache.get(FRAME_KEY)
    if held is not None and held.key == key and held.revision == engine.closed_revision:
        return held.frame
    revision = engine.closed_revision
    with ctx.db.transaction() as session:
        repo = TradeRepository(session)
        open_ids = tuple(repo.open_trade_ids())
        if held is None or held.key != key or held.frame.empty:
            frame = repo.closed_stats_frame()
        else:
            above = int(held.frame["id"].to_numpy(dtype="int64")[-1])
            new = repo.closed_stats_frame(above_id=above, among=held.open_ids)
            frame = held.frame if new.empty else _append(held.frame, new)
    ctx.cache[FRAME_KEY] = _ClosedFrame(key, revision, frame, open_ids)
    return frame


def _append(frame: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    joined = pd.concat([frame, new], ignore_index=True)
    return joined.sort_values("id", kind="stable", ignore_index=True)


def starting_balance(engine: TradingEngine) -> float:
    """The starting balance S of rest-api.md §6.3.

    `available_capital` when configured, else (free stake currency − Σ closed profit + stake
    tied in open trades) × `tradable_balance_ratio`.
    """
    stake = engine.parts.entries.stake
    rules = stake.rules
    if rules.available_capital is not None:
        return float(rules.available_capital)
    wallet = engine.parts.wallet
    balance = wallet.free() - engine.closed_profit + wallet.stake_in_trades()
    return float(balance * rules.tradable_balance_ratio)


def current_total_stake(engine: TradingEngine) -> float:
    """What the bot trades with now: (free + open stakes) × ratio, or available_capital + Σ
    closed profit (rest-api.md §6.7)."""
    return float(engine.parts.entries.stake.usable_capital(engine.closed_profit))
