"""Seed-era (interface v2) strategy names, migrated to their current names with a warning."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

log = logging.getLogger(__name__)

ATTRIBUTE_RENAMES = {
    "use_sell_signal": "use_exit_signal",
    "sell_profit_only": "exit_profit_only",
    "sell_profit_offset": "exit_profit_offset",
    "ignore_roi_if_buy_signal": "ignore_roi_if_entry_signal",
}
ORDER_KEY_RENAMES = {
    "buy": "entry",
    "sell": "exit",
    "forcebuy": "force_entry",
    "forcesell": "force_exit",
    "emergencysell": "emergency_exit",
}
# Sections whose old keys buy/sell (and friends) are renamed the same way.
_ORDER_SECTIONS = ("order_types", "order_time_in_force", "unfilledtimeout")


def migrate_order_keys(section: str, values: Mapping[str, Any], owner: str) -> dict[str, Any]:
    """A copy of `values` with old keys renamed; a new key already present wins."""
    result = dict(values)
    for old, new in ORDER_KEY_RENAMES.items():
        if old in result:
            value = result.pop(old)
            log.warning("%s: %s key '%s' is deprecated, use '%s'", owner, section, old, new)
            result.setdefault(new, value)
    return result


def _declares(cls: type, name: str, stop: type) -> bool:
    """True when a class between `cls` and `stop` (exclusive) defines `name`."""
    for klass in cls.__mro__:
        if klass is stop:
            return False
        if name in vars(klass):
            return True
    return False


def migrate_legacy_attributes(strategy: Any, base: type) -> None:
    """Rename v2 attributes on `strategy` (an instance of a subclass of `base`) in place.

    An old attribute only applies when the strategy does not define the new one itself.
    """
    cls = type(strategy)
    owner = cls.__name__
    for old, new in ATTRIBUTE_RENAMES.items():
        if not hasattr(strategy, old):
            continue
        if _declares(cls, new, base):
            log.warning("%s defines both '%s' and '%s'; '%s' wins", owner, old, new, new)
            continue
        log.warning("%s: '%s' is deprecated, use '%s'", owner, old, new)
        setattr(strategy, new, getattr(strategy, old))
    for section in _ORDER_SECTIONS:
        values = getattr(strategy, section, None)
        if isinstance(values, Mapping):
            setattr(strategy, section, migrate_order_keys(section, values, owner))
