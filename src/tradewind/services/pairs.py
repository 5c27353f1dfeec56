"""Pairs: white/blacklist, pair locks, pairs with data on disk, markets (§7, §8, §11.3–4, §12)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from tradewind.data.ohlcv_files import list_available
from tradewind.domain.events import WhitelistChanged
from tradewind.domain.locks import PairLock
from tradewind.engine.bot import TradingEngine
from tradewind.errors import InvalidRequest
from tradewind.schemas.dates import epoch_ms
from tradewind.schemas.pairs import (
    AvailablePairs,
    BlacklistError,
    BlacklistResponse,
    DeleteLockRequest,
    LockModel,
    LockPayload,
    Locks,
    MarketModel,
    MarketResponse,
    PairListInfo,
    PairListsAvailable,
    WhitelistResponse,
)
from tradewind.services.context import BotContext

__all__ = [
    "PAIRLIST_DESCRIPTIONS",
    "PairService",
    "lock_model",
]

log = logging.getLogger(__name__)

PAIRLIST_DESCRIPTIONS: dict[str, tuple[str, bool]] = {
    "StaticPairList": ("Use pairlist as configured in config.", True),
    "ProducerPairList": ("Get a pairlist from an upstream bot.", True),
}
"""The pairlist handlers tradewind implements: name → (description, is a generator)."""

ErrorMap = dict[str, dict[str, str]]


def lock_model(lock: PairLock) -> LockModel:
    """The wire form of one lock (dates flavour a, timestamps epoch ms)."""
    return LockModel(
        id=lock.id or 0,
        active=lock.active,
        lock_end_time=lock.lock_end_time,
        lock_end_timestamp=epoch_ms(lock.lock_end_time),
        lock_time=lock.lock_time,
        lock_timestamp=epoch_ms(lock.lock_time),
        pair=lock.pair,
        side=lock.side,
        reason=lock.reason,
    )


class PairService:
    """The live pair lists and locks of the engine, plus the data and markets one can browse."""

    def __init__(self, ctx: BotContext) -> None:
        self._ctx = ctx

    # -- white/blacklist --------------------------------------------------------------------
    def whitelist(self) -> WhitelistResponse:
        """The active whitelist: pairlist result plus pairs that still have open trades."""
        engine = self._ctx.require_engine()
        pairs = engine.whitelist
        return WhitelistResponse(
            whitelist=pairs, length=len(pairs), method=list(engine.parts.pairlist.methods)
        )

    def blacklist(self, errors: dict[str, dict[str, str]] | None = None) -> BlacklistResponse:
        """The blacklist entries, what they match on the exchange, and edit errors if any."""
        pairlist = self._ctx.require_engine().parts.pairlist
        entries = list(pairlist.blacklist)
        return BlacklistResponse(
            blacklist=entries,
            blacklist_expanded=pairlist.expanded_blacklist(),
            errors={pair: BlacklistError(**error) for pair, error in (errors or {}).items()},
            length=len(entries),
            method=list(pairlist.methods),
        )

    def add_to_blacklist(self, pairs: Iterable[str]) -> BlacklistResponse:
        """Add entries (pairs or patterns) in memory; refused ones are listed in ``errors``."""
        engine = self._ctx.require_engine()
        change = self._edit(engine, lambda: engine.parts.pairlist.add_to_blacklist(pairs).errors)
        return self.blacklist(change)

    def remove_from_blacklist(self, pairs: Iterable[str]) -> BlacklistResponse:
        """Remove exact entries; unknown ones are listed in ``errors``."""
        engine = self._ctx.require_engine()
        pairlist = engine.parts.pairlist
        change = self._edit(engine, lambda: pairlist.remove_from_blacklist(pairs).errors)
        return self.blacklist(change)

    def _edit(self, engine: TradingEngine, edit: Callable[[], ErrorMap]) -> ErrorMap:
        before = engine.whitelist
        errors = edit()
        after = engine.whitelist
        if after != before:  # the pairlist refreshed itself: tell WebSocket clients now
            self._ctx.events.publish(WhitelistChanged(tuple(after)))
        return errors

    # -- locks ------------------------------------------------------------------------------
    def locks(self) -> Locks:
        """Active locks that have not expired yet, oldest first."""
        engine = self._ctx.require_engine()
        active = engine.parts.locks.active(engine.now())
        return Locks(lock_count=len(active), locks=[lock_model(lock) for lock in active])

    async def delete_lock(self, lock_id: int) -> Locks:
        """Release one lock (an unknown id is ignored); the remaining active locks."""
        return await self.delete_locks(DeleteLockRequest(lockid=lock_id))

    async def delete_locks(self, request: DeleteLockRequest) -> Locks:
        """Release a lock by id and/or every active lock of a pair."""
        engine = self._ctx.require_engine()
        async with engine.lock:  # the loop commits the same session: never mid-tick
            now = engine.now()
            locks = engine.parts.locks
            if request.lockid is not None:
                locks.unlock_id(request.lockid, now)
            if request.pair is not None:
                locks.unlock_pair(request.pair, now)
            engine.session.commit()
        return self.locks()

    async def add_locks(self, payload: list[LockPayload]) -> Locks:
        """Lock pairs until the candle boundary after each ``until``."""
        engine = self._ctx.require_engine()
        async with engine.lock:
            now = engine.now()
            for item in payload:
                engine.parts.locks.lock(
                    item.pair, item.until, now, reason=item.reason, side=item.side
                )
            engine.session.commit()
        return self.locks()

    # -- what one can browse ----------------------------------------------------------------
    def available_pairs(
        self,
        timeframe: str | None = None,
        stake_currency: str | None = None,
        candletype: str | None = None,
    ) -> AvailablePairs:
        """Pairs with candle files in the data directory, optionally filtered (§11.3)."""
        config = self._ctx.config
        found: dict[tuple[str, str, str], None] = {}
        for directory, data_format in self._ctx.candle_sources():
            for row in list_available(
                directory, data_format, config.trading_mode, candletype or None
            ):
                found.setdefault(row)
        rows = [
            (pair, tf, candle_type)
            for pair, tf, candle_type in found
            if (not timeframe or tf == timeframe)
            and (not stake_currency or pair.endswith(stake_currency))
        ]
        rows.sort(key=lambda row: row[0])
        pairs = sorted({row[0] for row in rows})
        return AvailablePairs(length=len(pairs), pairs=pairs, pair_interval=rows)

    def markets(
        self, base: str | None = None, quote: str | None = None, include_inactive: bool = False
    ) -> MarketResponse:
        """The exchange's markets, filtered by base/quote currency (§11.4)."""
        exchange = self._ctx.exchange
        if exchange is None:
            raise InvalidRequest("Bot is not in the correct state")
        markets = {
            symbol: MarketModel(
                symbol=symbol,
                base=market.base,
                quote=market.quote,
                spot=market.spot,
                swap=not market.spot,
                active=market.active,
            )
            for symbol, market in sorted(exchange.markets.items())
            if (include_inactive or market.active)
            and (not base or market.base == base)
            and (not quote or market.quote == quote)
        }
        return MarketResponse(markets=markets, exchange_id=exchange.name)

    def available_pairlists(self) -> PairListsAvailable:
        """``GET /pairlists/available``: the pairlist handlers this bot implements."""
        return PairListsAvailable(
            pairlists=[
                PairListInfo(name=name, description=text, is_pairlist_generator=generator)
                for name, (text, generator) in PAIRLIST_DESCRIPTIONS.items()
            ]
        )
