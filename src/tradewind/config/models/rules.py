"""Rules that span several keys (config.md §2): checked when the values involved are set.

They run when the config is loaded and again, through `consistency_problems`, after the strategy
resolver has written the strategy's values back (which may be plain dicts for `order_types`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tradewind.config.models.bot import BotConfig

Problem = tuple[tuple[str | int, ...], str]
"""A key path and what is wrong there."""

_MARKET_SIDES = {
    "entry": ("entry_pricing", ("ask", "other")),
    "exit": ("exit_pricing", ("bid", "other")),
}


def _get(section: Any, key: str) -> Any:
    if section is None:
        return None
    if isinstance(section, dict):
        return section.get(key)
    return getattr(section, key, None)


def is_unlimited_trades(max_open_trades: Any) -> bool:
    """-1 (as written in configs) or +inf (Freqtrade's internal form) means no limit."""
    return isinstance(max_open_trades, int | float) and (
        max_open_trades == -1 or math.isinf(max_open_trades)
    )


def _stake_rules(config: BotConfig) -> list[Problem]:
    if config.stake_amount == "unlimited" and is_unlimited_trades(config.max_open_trades):
        return [(("stake_amount",), "stake_amount and max_open_trades cannot both be unlimited")]
    return []


def _market_order_rules(config: BotConfig) -> list[Problem]:
    problems: list[Problem] = []
    for side, (pricing_key, allowed) in _MARKET_SIDES.items():
        if _get(config.order_types, side) != "market":
            continue
        price_side = _get(getattr(config, pricing_key), "price_side")
        if price_side not in allowed:
            wanted = " or ".join(f'"{option}"' for option in allowed)
            problems.append(
                (
                    ("order_types", side),
                    f"market {side} orders need {pricing_key}.price_side {wanted} "
                    f'(got "{price_side}")',
                )
            )
    return problems


def _trailing_rules(config: BotConfig) -> list[Problem]:
    if not config.trailing_stop:
        return []
    problems: list[Problem] = []
    positive = config.trailing_stop_positive
    offset = config.trailing_stop_positive_offset or 0.0
    if positive is not None and positive == 0:
        problems.append(
            (("trailing_stop_positive",), "must not be 0 when trailing_stop is enabled")
        )
    if positive and 0 < offset <= positive:
        problems.append(
            (
                ("trailing_stop_positive_offset",),
                f"must be greater than trailing_stop_positive ({offset!r} <= {positive!r})",
            )
        )
    if config.trailing_only_offset_is_reached and positive is None:
        problems.append(
            (("trailing_only_offset_is_reached",), "needs trailing_stop_positive to be set")
        )
    if config.stoploss is not None and config.stoploss == 0:
        problems.append((("stoploss",), "must not be 0 when trailing_stop is enabled"))
    return problems


def _exchange_rules(config: BotConfig) -> list[Problem]:
    problems: list[Problem] = []
    if config.exchange.demo_trading and config.dry_run:
        problems.append((("exchange", "demo_trading"), "cannot be combined with dry_run"))
    for index, handler in enumerate(config.pairlists):
        if handler.method == "ProducerPairList" and not config.external_message_consumer.enabled:
            problems.append(
                (
                    ("pairlists", index, "method"),
                    "ProducerPairList needs external_message_consumer.enabled",
                )
            )
    return problems


def consistency_problems(config: BotConfig) -> list[Problem]:
    """Every cross-key rule the config breaks, as (key path, message); empty when consistent."""
    return [
        *_stake_rules(config),
        *_market_order_rules(config),
        *_trailing_rules(config),
        *_exchange_rules(config),
    ]
