"""A trade: a position in one pair, opened by entry orders and closed by exit orders.

Every money figure of a trade is derived from its filled orders (`recalculate`), so a trade can
always be rebuilt from what the exchange did. All booking is Decimal: the wallet, which sums the
same orders, reconciles with the trades exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from tradewind.domain.enums import OrderStatus
from tradewind.domain.money import ZERO
from tradewind.domain.order import ENTRY, Order


@dataclass(frozen=True)
class ProfitFigures:
    """Profit of (the rest of) a position if it were sold at one rate."""

    abs: Decimal
    ratio: float
    total_abs: Decimal  # realized partial exits + unrealized


@dataclass(eq=False)
class Trade:
    pair: str
    base_currency: str
    stake_currency: str
    exchange: str
    strategy: str
    timeframe: int  # minutes
    open_date: datetime
    fee_open: Decimal
    fee_close: Decimal
    open_rate_requested: Decimal
    amount_requested: Decimal
    enter_tag: str | None = None
    is_short: bool = False
    leverage: float = 1.0
    trading_mode: str = "spot"
    is_open: bool = True
    amount: Decimal = ZERO
    open_rate: Decimal = ZERO
    stake_amount: Decimal = ZERO
    max_stake_amount: Decimal = ZERO
    open_trade_value: Decimal = ZERO
    fee_open_cost: Decimal = ZERO
    fee_close_cost: Decimal = ZERO
    fee_open_currency: str | None = None
    fee_close_currency: str | None = None
    realized_profit: Decimal = ZERO
    close_rate: Decimal | None = None
    close_rate_requested: Decimal | None = None
    close_date: datetime | None = None
    close_profit: float | None = None
    close_profit_abs: Decimal | None = None
    exit_reason: str | None = None
    exit_order_status: str | None = None
    stop_loss: float = 0.0
    stop_loss_pct: float = 0.0
    initial_stop_loss: float = 0.0
    initial_stop_loss_pct: float = 0.0
    is_stop_loss_trailing: bool = False
    stoploss_last_update: datetime | None = None
    max_rate: float = 0.0
    min_rate: float = 0.0
    amount_precision: float | None = None
    price_precision: float | None = None
    precision_mode: int | None = 4
    contract_size: float = 1.0
    funding_fees: float = 0.0
    interest_rate: float = 0.0
    liquidation_price: float | None = None
    exit_timeout_count: int = 0
    """Exit orders cancelled by `unfilledtimeout` so far (persisted: survives a restart)."""
    id: int | None = None
    orders: list[Order] = field(default_factory=list)

    # -- orders -------------------------------------------------------------------------------
    @property
    def entry_side(self) -> str:
        return "sell" if self.is_short else "buy"

    @property
    def exit_side(self) -> str:
        return "buy" if self.is_short else "sell"

    @property
    def open_orders(self) -> list[Order]:
        return [o for o in self.orders if o.ft_is_open]

    @property
    def has_open_orders(self) -> bool:
        return any(o.ft_is_open and o.ft_order_side != "stoploss" for o in self.orders)

    @property
    def filled_entries(self) -> list[Order]:
        return [o for o in self.orders if o.is_entry and o.filled > 0]

    @property
    def filled_exits(self) -> list[Order]:
        return [o for o in self.orders if not o.is_entry and o.filled > 0]

    @property
    def nr_of_successful_entries(self) -> int:
        return sum(1 for o in self.orders if o.is_entry and o.status == OrderStatus.CLOSED)

    @property
    def nr_of_successful_exits(self) -> int:
        return sum(1 for o in self.orders if not o.is_entry and o.status == OrderStatus.CLOSED)

    @property
    def open_fill_date(self) -> datetime | None:
        dates = [o.order_filled_date for o in self.filled_entries if o.order_filled_date]
        return min(dates) if dates else None

    def add_order(self, order: Order) -> None:
        order.trade_id = self.id
        self.orders.append(order)

    def order_by_client_id(self, client_order_id: str) -> Order | None:
        return next((o for o in self.orders if o.client_order_id == client_order_id), None)

    # -- money ----------------------------------------------------------------------------------
    def recalculate(self) -> None:
        """Derive amount, open rate, stake, fees and realized profit from the filled orders.

        Entries add to the held amount and to its cost basis (cost + fees). Each exit realizes
        proceeds (cost − fee) minus the basis of the share it sold. A trade whose held amount
        returns to zero after an exit is closed.
        """
        held = basis = realized = ZERO
        entry_cost = entry_filled = entry_fees = exit_fees = ZERO
        exit_cost = exit_filled = ZERO
        for order in sorted(self.orders, key=_order_sequence):
            if order.filled <= 0:
                continue
            if order.ft_order_side == ENTRY:
                held += order.net_filled
                basis += order.cost + order.fee_quote
                entry_cost += order.cost
                entry_filled += order.filled
                entry_fees += order.fee_cost
                if order.fee_currency:
                    self.fee_open_currency = order.fee_currency
            else:
                share = order.filled / held if held > 0 else Decimal(1)
                share = min(share, Decimal(1))
                basis_out = basis if share == 1 else basis * share
                realized += order.cost - order.fee_quote - basis_out
                held -= order.filled
                basis -= basis_out
                exit_cost += order.cost
                exit_filled += order.filled
                exit_fees += order.fee_cost
                if order.fee_currency:
                    self.fee_close_currency = order.fee_currency
        self.amount = max(held, ZERO)
        self.open_rate = entry_cost / entry_filled if entry_filled else self.open_rate_requested
        self.open_trade_value = basis
        self.stake_amount = self.amount * self.open_rate / Decimal(str(self.leverage))
        self.max_stake_amount = entry_cost
        self.fee_open_cost = entry_fees
        self.fee_close_cost = exit_fees
        self.realized_profit = realized
        if exit_filled:
            self.close_rate = exit_cost / exit_filled
        self._close_if_flat(entry_cost + entry_fees)

    def _close_if_flat(self, invested: Decimal) -> None:
        if not self.filled_exits or self.amount > 0 or self.has_open_orders:
            return
        last_exit = max(self.filled_exits, key=_order_sequence)
        self.is_open = False
        self.close_date = last_exit.order_filled_date or last_exit.order_update_date
        self.close_rate = last_exit.safe_price if len(self.filled_exits) == 1 else self.close_rate
        self.close_profit_abs = self.realized_profit
        self.close_profit = float(self.realized_profit / invested) if invested else 0.0
        self.exit_order_status = last_exit.status

    def profit_at(self, rate: Decimal) -> ProfitFigures:
        """Profit if the whole remaining position were exited at `rate` (fees included)."""
        if self.amount <= 0 or self.open_trade_value <= 0:
            return ProfitFigures(ZERO, 0.0, self.realized_profit)
        close_value = self.amount * rate * (1 - self.fee_close)
        profit = close_value - self.open_trade_value
        ratio = float(profit / self.open_trade_value)
        return ProfitFigures(profit, ratio, profit + self.realized_profit)

    def profit_ratio_at(self, rate: float) -> float:
        return self.profit_at(Decimal(repr(rate))).ratio

    # -- stoploss ------------------------------------------------------------------------------
    def set_initial_stop_loss(self, stoploss: float) -> None:
        rate = float(self.open_rate)
        self.stop_loss = self._stop_price(rate, stoploss)
        self.stop_loss_pct = -abs(stoploss)
        self.initial_stop_loss = self.stop_loss
        self.initial_stop_loss_pct = self.stop_loss_pct

    def adjust_stop_loss(
        self, current_rate: float, stoploss: float, *, when: datetime, initial: bool = False
    ) -> bool:
        """Move the stop to `stoploss` below `current_rate` if that tightens it. True if moved."""
        new_stop = self._stop_price(current_rate, stoploss)
        if initial or not self.initial_stop_loss:
            self.set_initial_stop_loss(stoploss)
            self.stoploss_last_update = when
            return True
        if new_stop > self.stop_loss:
            self.is_stop_loss_trailing = True
            self.stop_loss = new_stop
            self.stop_loss_pct = -abs(stoploss)
            self.stoploss_last_update = when
            return True
        return False

    def _stop_price(self, rate: float, stoploss: float) -> float:
        return rate * (1 - abs(stoploss) / self.leverage)

    def update_extremes(self, rate: float) -> None:
        """Track the highest and lowest price seen while the trade is open."""
        self.max_rate = max(self.max_rate or rate, rate)
        self.min_rate = min(self.min_rate or rate, rate)


def _order_sequence(order: Order) -> tuple[datetime, int]:
    return (order.order_date, order.id or 0)
