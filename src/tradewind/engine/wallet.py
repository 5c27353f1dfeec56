"""The dry-run wallet: balances booked from the bot's own orders, exactly.

Balance of the stake currency = starting balance − Σ entry (cost + fee) + Σ exit (cost − fee)
over every fill; open orders reserve what they may spend. Because trades derive their profit from
the same orders, `start + Σ closed profit − open positions' basis + their realized part` equals
this balance to the last digit (`reconcile` checks it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from tradewind.domain.money import ZERO
from tradewind.domain.order import Order
from tradewind.domain.trade import Trade
from tradewind.exchange.port import Exchange


@dataclass(frozen=True)
class CurrencyBalance:
    currency: str
    free: Decimal
    used: Decimal

    @property
    def total(self) -> Decimal:
        return self.free + self.used


class DryRunWallet:
    """Balances computed from the starting wallet and the orders of all trades."""

    async def refresh(self) -> None:
        """Nothing to fetch: the dry-run wallet is booked from the bot's own orders."""

    def __init__(self, starting: Mapping[str, Decimal], stake_currency: str) -> None:
        self.starting = dict(starting)
        self.stake_currency = stake_currency
        self._closed_profit = ZERO
        self._open_trades: list[Trade] = []

    def update(self, open_trades: Iterable[Trade], closed_profit: Decimal) -> None:
        """Take the current open trades and the sum of closed-trade profits."""
        self._open_trades = list(open_trades)
        self._closed_profit = closed_profit

    @property
    def starting_stake(self) -> Decimal:
        return self.starting.get(self.stake_currency, ZERO)

    def balances(self) -> dict[str, CurrencyBalance]:
        """Free and used amount per currency (stake currency first)."""
        free: dict[str, Decimal] = defaultdict(lambda: ZERO)
        used: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for currency, amount in self.starting.items():
            free[currency] += amount
        free[self.stake_currency] += self._closed_profit
        for trade in self._open_trades:
            _book_open_trade(trade, free, used, self.stake_currency)
        others = sorted(c for c in free.keys() | used.keys() if c != self.stake_currency)
        currencies = [self.stake_currency, *others]
        return {c: CurrencyBalance(c, free[c], used[c]) for c in currencies}

    def free(self, currency: str | None = None) -> Decimal:
        balance = self.balances().get(currency or self.stake_currency)
        return balance.free if balance else ZERO

    def stake_in_trades(self) -> Decimal:
        """Stake currently tied up in open trades (their cost basis plus open entry orders)."""
        tied = ZERO
        for trade in self._open_trades:
            tied += trade.open_trade_value + _open_entry_reservation(trade)
        return tied

    def total_stake(self) -> Decimal:
        """Free stake currency plus what open trades tied up."""
        return self.free() + self.stake_in_trades()


def _book_open_trade(
    trade: Trade,
    free: dict[str, Decimal],
    used: dict[str, Decimal],
    stake_currency: str,
) -> None:
    for order in trade.orders:
        if order.filled > 0:
            _book_fill(order, trade, free, stake_currency)
        if order.ft_is_open:
            _reserve(order, trade, free, used, stake_currency)


def _book_fill(order: Order, trade: Trade, free: dict[str, Decimal], stake: str) -> None:
    if order.ft_order_side == "buy":
        free[stake] -= order.cost + order.fee_quote
        free[trade.base_currency] += order.net_filled
    else:
        free[stake] += order.cost - order.fee_quote
        free[trade.base_currency] -= order.filled


def _reserve(
    order: Order, trade: Trade, free: dict[str, Decimal], used: dict[str, Decimal], stake: str
) -> None:
    remaining = _remaining(order)
    if remaining <= 0:
        return
    if order.ft_order_side == "buy":
        amount = remaining * order.ft_price * (1 + trade.fee_open)
        free[stake] -= amount
        used[stake] += amount
    else:
        free[trade.base_currency] -= remaining
        used[trade.base_currency] += remaining


def _remaining(order: Order) -> Decimal:
    if order.remaining is not None:
        return order.remaining
    return (order.amount or order.ft_amount) - order.filled


def _open_entry_reservation(trade: Trade) -> Decimal:
    total = ZERO
    for order in trade.orders:
        if order.ft_is_open and order.ft_order_side == "buy":
            total += _remaining(order) * order.ft_price * (1 + trade.fee_open)
    return total


def ledger_balance(starting: Decimal, orders: Iterable[Order]) -> Decimal:
    """Stake-currency balance from a plain ledger of every fill (the reconciliation check)."""
    balance = starting
    for order in orders:
        if order.filled <= 0:
            continue
        if order.ft_order_side == "buy":
            balance -= order.cost + order.fee_quote
        else:
            balance += order.cost - order.fee_quote
    return balance


class ExchangeWallet(DryRunWallet):
    """The live wallet: balances as the exchange reports them, fetched once per tick.

    Stake tied up in open trades is still computed from the bot's orders (the exchange only
    knows coins, not trades); the starting stake is the first total seen minus closed profit.
    """

    def __init__(self, exchange: Exchange, stake_currency: str) -> None:
        super().__init__({}, stake_currency)
        self._exchange = exchange
        self._reported: dict[str, CurrencyBalance] = {}

    async def refresh(self) -> None:
        reported = await self._exchange.fetch_balance()
        self._reported = {
            currency: CurrencyBalance(currency, balance.free, balance.used)
            for currency, balance in reported.items()
            if balance.free or balance.used or currency == self.stake_currency
        }
        if not self.starting:
            stake = self._reported.get(self.stake_currency)
            total = (stake.total if stake else ZERO) + self.stake_in_trades()
            self.starting = {self.stake_currency: total - self._closed_profit}

    def balances(self) -> dict[str, CurrencyBalance]:
        stake = self._reported.get(
            self.stake_currency, CurrencyBalance(self.stake_currency, ZERO, ZERO)
        )
        others = {c: b for c, b in sorted(self._reported.items()) if c != self.stake_currency}
        return {self.stake_currency: stake, **others}
