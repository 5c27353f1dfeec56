"""The `pairlists` section: pair-list handlers processed in order (config.md §4)."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import field_validator

from tradewind.config.models.base import ConfigModel
from tradewind.config.models.fields import invalid

PAIRLIST_GENERATORS = (
    "StaticPairList",
    "VolumePairList",
    "PercentChangePairList",
    "ProducerPairList",
    "RemotePairList",
    "MarketCapPairList",
    "CrossMarketPairList",
)
"""Handlers that produce a pair list; the first handler must be one of them."""

PAIRLIST_FILTERS = (
    "AgeFilter",
    "DelistFilter",
    "FullTradesFilter",
    "OffsetFilter",
    "PairInformationFilter",
    "PerformanceFilter",
    "PrecisionFilter",
    "PriceFilter",
    "RangeStabilityFilter",
    "ShuffleFilter",
    "SpreadFilter",
    "VolatilityFilter",
)
"""Handlers that filter or reorder the list produced before them."""

PAIRLIST_METHODS = PAIRLIST_GENERATORS + PAIRLIST_FILTERS


def _method_problem(value: str) -> str:
    close = difflib.get_close_matches(value, PAIRLIST_METHODS, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"unknown pairlist method '{value}'{hint}"


class PairlistConfig(ConfigModel):
    """One handler: `{"method": "<name>", ...params}`; the parameters are the extra keys."""

    section = "pairlists[]"
    tolerate_unknown_keys = True

    method: str

    @field_validator("method", mode="before")
    @classmethod
    def _known_method(cls, value: Any) -> str:
        if not isinstance(value, str):
            raise invalid("must be a pairlist handler name")
        if value not in PAIRLIST_METHODS:
            raise ValueError(_method_problem(value))
        return value

    @property
    def params(self) -> dict[str, Any]:
        """The handler's parameters (every key but `method`)."""
        return dict(self.model_extra or {})

    @property
    def is_generator(self) -> bool:
        """True for handlers that produce a list rather than filter one."""
        return self.method in PAIRLIST_GENERATORS


def default_pairlists() -> list[PairlistConfig]:
    """`[{"method": "StaticPairList"}]`, used when the key is absent."""
    return [PairlistConfig(method="StaticPairList")]


def check_pairlists(pairlists: list[PairlistConfig]) -> list[PairlistConfig]:
    """At least one handler, the first a generator."""
    if not pairlists:
        raise ValueError('must list at least one handler, e.g. [{"method": "StaticPairList"}]')
    first = pairlists[0]
    if not first.is_generator:
        raise ValueError(
            f"the first handler must generate pairs (one of {', '.join(PAIRLIST_GENERATORS)}), "
            f"not '{first.method}'"
        )
    return pairlists
