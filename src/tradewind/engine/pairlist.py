"""The whitelist: configured pairs (patterns expanded against the markets) minus the blacklist."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from tradewind.domain.pairs import expand_patterns, is_pattern_valid, split_pair
from tradewind.exchange.port import Market

log = logging.getLogger(__name__)


@dataclass
class BlacklistChange:
    """Outcome of a blacklist edit: per-entry error messages (the API's `errors`)."""

    errors: dict[str, dict[str, str]] = field(default_factory=dict)


class PairList:
    """Static whitelist (optionally fed by a producer's pairs) with an editable blacklist.

    `methods` are the configured pairlist handler names, reported by the API.
    """

    def __init__(
        self,
        whitelist: Iterable[str],
        blacklist: Iterable[str],
        stake_currency: str,
        *,
        methods: Iterable[str] = ("StaticPairList",),
        producer_pairs: Callable[[], list[str]] | None = None,
        number_assets: int = 0,
    ) -> None:
        self.configured = list(whitelist)
        self.blacklist = list(blacklist)
        self.stake_currency = stake_currency
        self.methods = list(methods)
        self._producer_pairs = producer_pairs
        self._number_assets = number_assets
        self._markets: Mapping[str, Market] = {}
        self._whitelist: list[str] = []
        self._dropped_warned: set[str] = set()

    @property
    def whitelist(self) -> list[str]:
        return list(self._whitelist)

    def refresh(self, markets: Mapping[str, Market]) -> bool:
        """Recompute the whitelist; returns True if it changed."""
        self._markets = markets
        source = self._source_pairs()
        candidates = expand_patterns(source, markets.keys())
        blocked = set(self.expanded_blacklist())
        result = []
        for pair in candidates:
            if pair in blocked:
                continue
            if not self._tradable(pair):
                continue
            result.append(pair)
        changed = result != self._whitelist
        self._whitelist = result
        return changed

    def _source_pairs(self) -> list[str]:
        if self._producer_pairs is None:
            return self.configured
        pairs = self._producer_pairs()
        if self._number_assets > 0:
            pairs = pairs[: self._number_assets]
        return pairs

    def _tradable(self, pair: str) -> bool:
        market = self._markets.get(pair)
        reason = None
        if market is None:
            reason = "is not listed on the exchange"
        elif not market.active:
            reason = "is not active on the exchange"
        elif split_pair(pair)[1] != self.stake_currency:
            reason = f"does not trade against the stake currency {self.stake_currency}"
        if reason is None:
            return True
        if pair not in self._dropped_warned:
            self._dropped_warned.add(pair)
            log.warning("Pair %s %s; removed from the whitelist.", pair, reason)
        return False

    def expanded_blacklist(self) -> list[str]:
        return expand_patterns(self.blacklist, self._markets.keys())

    def is_blacklisted(self, pair: str) -> bool:
        return pair in set(self.expanded_blacklist())

    def add_to_blacklist(self, entries: Iterable[str]) -> BlacklistChange:
        change = BlacklistChange()
        for entry in entries:
            if entry in self.blacklist:
                change.errors[entry] = {"error_msg": f"Pair {entry} already in pairlist."}
            elif not is_pattern_valid(entry):
                change.errors[entry] = {"error_msg": f"Pair {entry} is not a valid wildcard."}
            else:
                self.blacklist.append(entry)
        self.refresh(self._markets)
        return change

    def remove_from_blacklist(self, entries: Iterable[str]) -> BlacklistChange:
        change = BlacklistChange()
        for entry in entries:
            if entry in self.blacklist:
                self.blacklist.remove(entry)
            else:
                change.errors[entry] = {
                    "error_msg": f"Pair {entry} is not in the current blacklist."
                }
        self.refresh(self._markets)
        return change
