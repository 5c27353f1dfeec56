"""Pair lists, pair locks, available pairs and markets (rest-api.md §7, §8, §11.3, §11.4)."""

from __future__ import annotations

from typing import Any, TypeAlias

from pydantic import AwareDatetime, BaseModel, Field

from tradewind.schemas.bounds import SqlInt
from tradewind.schemas.dates import DateText

__all__ = [
    "AvailablePairs",
    "BlacklistError",
    "BlacklistPayload",
    "BlacklistResponse",
    "DeleteLockRequest",
    "LockModel",
    "LockPayload",
    "Locks",
    "LocksPayload",
    "MarketModel",
    "MarketResponse",
    "WhitelistResponse",
]


class WhitelistResponse(BaseModel):
    """``GET /whitelist``: the active whitelist and the pairlist handler names."""

    whitelist: list[str]
    length: int
    method: list[str]


class BlacklistPayload(BaseModel):
    """``POST /blacklist`` body: pairs or patterns to add."""

    blacklist: list[str]


class BlacklistError(BaseModel):
    """Why one pair of a blacklist edit was refused."""

    error_msg: str


class BlacklistResponse(BaseModel):
    """``GET``/``POST``/``DELETE /blacklist``; ``length`` counts ``blacklist`` entries."""

    blacklist: list[str]
    blacklist_expanded: list[str]
    errors: dict[str, BlacklistError]
    length: int
    method: list[str]


class LockModel(BaseModel):
    """A pair lock (§8): dates flavour a, timestamps epoch ms; ``pair``/``side`` may be ``"*"``."""

    id: int
    active: bool
    lock_end_time: DateText
    lock_end_timestamp: int
    lock_time: DateText
    lock_timestamp: int
    pair: str
    side: str
    reason: str | None


class Locks(BaseModel):
    """``GET /locks`` and the answer of every lock edit: active, unexpired locks."""

    lock_count: int
    locks: list[LockModel]


class LockPayload(BaseModel):
    """One element of the ``POST /locks`` array; ``until`` must carry a timezone."""

    pair: str
    until: AwareDatetime
    side: str = "*"
    reason: str | None = None


LocksPayload: TypeAlias = list[LockPayload]
"""``POST /locks`` body: a JSON array (use it as the body parameter's type)."""


class DeleteLockRequest(BaseModel):
    """``POST /locks/delete`` body: by id and/or every active lock of a pair."""

    pair: str | None = None
    lockid: SqlInt | None = None


class AvailablePairs(BaseModel):
    """``GET /available_pairs``: pairs with data on disk; ``pair_interval`` rows are triples."""

    length: int
    pairs: list[str]
    pair_interval: list[tuple[str, str, str]]


class MarketModel(BaseModel):
    """One market of ``GET /markets``."""

    symbol: str
    base: str
    quote: str
    spot: bool
    swap: bool
    active: bool


class MarketResponse(BaseModel):
    """``GET /markets``."""

    markets: dict[str, MarketModel]
    exchange_id: str


class PairListInfo(BaseModel):
    """One handler of ``GET /pairlists/available`` (§12)."""

    name: str
    description: str
    is_pairlist_generator: bool
    params: dict[str, Any] = Field(default_factory=dict)


class PairListsAvailable(BaseModel):
    """``GET /pairlists/available``."""

    pairlists: list[PairListInfo]
