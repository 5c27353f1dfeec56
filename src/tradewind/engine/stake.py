"""How much stake a new trade gets: fixed or "unlimited", within the tradable balance."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from decimal import Decimal

from tradewind.domain.money import ZERO
from tradewind.engine.wallet import DryRunWallet
from tradewind.exchange.port import Market

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StakeRules:
    stake_amount: Decimal | None  # None = "unlimited"
    max_open_trades: float  # math.inf when unlimited
    tradable_balance_ratio: Decimal = Decimal("0.99")
    available_capital: Decimal | None = None
    amend_last_stake_amount: bool = False
    last_stake_amount_min_ratio: Decimal = Decimal("0.5")
    amount_reserve_percent: Decimal = Decimal("0.05")


class StakeCalculator:
    def __init__(self, rules: StakeRules, wallet: DryRunWallet) -> None:
        self.rules = rules
        self.wallet = wallet

    def usable_capital(self, closed_profit: Decimal) -> Decimal:
        """Total the bot may trade with: balance (or available_capital) × tradable ratio."""
        if self.rules.available_capital is not None:
            return self.rules.available_capital + closed_profit
        return self.wallet.total_stake() * self.rules.tradable_balance_ratio

    def available(self, closed_profit: Decimal) -> Decimal:
        """Stake still free for new trades."""
        tied = self.wallet.stake_in_trades()
        room = self.usable_capital(closed_profit) - tied
        return max(min(room, self.wallet.free()), ZERO)

    def proposed_stake(self, closed_profit: Decimal) -> Decimal:
        """Stake for the next trade before market minimums (0 = cannot trade)."""
        available = self.available(closed_profit)
        rules = self.rules
        if rules.stake_amount is None:
            if math.isinf(rules.max_open_trades) or rules.max_open_trades <= 0:
                return ZERO
            share = self.usable_capital(closed_profit) / Decimal(int(rules.max_open_trades))
            return min(share, available)
        if available >= rules.stake_amount:
            return rules.stake_amount
        if rules.amend_last_stake_amount and available >= (
            rules.stake_amount * rules.last_stake_amount_min_ratio
        ):
            return available
        return ZERO

    def min_stake(self, market: Market | None, rate: Decimal) -> Decimal:
        """The smallest stake the market accepts at `rate`, plus the safety reserve."""
        if market is None:
            return ZERO
        candidates = [ZERO]
        if market.min_cost is not None:
            candidates.append(market.min_cost)
        if market.min_amount is not None:
            candidates.append(market.min_amount * rate)
        return max(candidates) * (1 + self.rules.amount_reserve_percent)
