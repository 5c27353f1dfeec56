"""The ccxt adapter: real exchanges (live, or dry-run through the paper broker) via ccxt.

Importing this package does not import ccxt: only constructing a `CcxtExchange` does, so a bot
configured for the simulated exchange never loads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from tradewind.config.models.exchange import ExchangeConfig
from tradewind.domain.clock import Clock, SystemClock
from tradewind.exchange.ccxt.adapter import CcxtExchange
from tradewind.exchange.ccxt.client import Credentials
from tradewind.exchange.ccxt.throttle import RateGate, RetryPolicy

__all__ = [
    "CcxtExchange",
    "Credentials",
    "RateGate",
    "RetryPolicy",
    "build_ccxt_exchange",
    "system_clock",
]


def build_ccxt_exchange(
    config: ExchangeConfig,
    clock: Clock,
    *,
    dry_run: bool,
    fee: float | None = None,
    paper_balances: Mapping[str, Decimal] | None = None,
) -> CcxtExchange:
    """The composition root's entry point (`app._build_ccxt`): see `CcxtExchange.from_config`."""
    return CcxtExchange.from_config(
        config, clock, dry_run=dry_run, fee=fee, paper_balances=paper_balances
    )


def system_clock() -> Clock:
    """Real time: a real exchange's market runs on the wall clock."""
    return SystemClock()
