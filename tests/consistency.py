"""Invariants of a bot's database that must hold at every instant, even right after a kill.

`check_database` asserts what one database state must satisfy; `check_nothing_lost` compares
two states taken one after the other (orders and fills only ever move forward). Check a stopped
bot's database (or a copy): on SQLite each query here reads its own snapshot, so a bot writing
meanwhile can show a trade and its orders from two different moments.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from tradewind.domain.order import Order
from tradewind.domain.trade import Trade
from tradewind.engine.wallet import DryRunWallet, ledger_balance
from tradewind.persistence.database import Database
from tradewind.persistence.repositories import TradeRepository


@dataclass(frozen=True)
class OrderFacts:
    """What must never go backwards for one order."""

    order_id: str | None
    is_open: bool
    filled: Decimal


@dataclass
class Snapshot:
    """What the database holds: every order's facts, which trades had fills, closed profits."""

    filled: dict[str, Decimal] = field(default_factory=dict)  # client order id → filled
    orders: dict[str, OrderFacts] = field(default_factory=dict)  # every order, orphans too
    trades_with_fills: set[int] = field(default_factory=set)
    closed_profit: dict[int, Decimal] = field(default_factory=dict)  # closed trade id → profit
    trade_count: int = 0
    closed_count: int = 0
    open_order_count: int = 0
    unacknowledged: set[str] = field(default_factory=set)  # open, no exchange id yet
    filled_orphans: set[str] = field(default_factory=set)  # fills on an order without a trade

    @property
    def order_count(self) -> int:
        return len(self.orders)

    @property
    def filled_count(self) -> int:
        return sum(1 for facts in self.orders.values() if facts.filled > 0)


def check_database(url: str, starting_balance: Decimal, stake: str = "BTC") -> Snapshot:
    """Assert every invariant; return a snapshot to compare with a later one."""
    db = Database(url)
    session = db.new_session()
    try:
        repo = TradeRepository(session)
        trades = repo.open_trades() + repo.closed_page(10**9, 0)
        return _check(trades, repo.all_orders(), starting_balance, stake)
    finally:
        session.rollback()  # the checks recalculate trades in place: never write that back
        session.close()
        db.dispose()


def _check(trades: list[Trade], orders: list[Order], start: Decimal, stake: str) -> Snapshot:
    snapshot = Snapshot(trade_count=len(trades))
    _check_order_ids(orders)
    _check_orphans([o for o in orders if o.trade_id is None])
    for trade in trades:
        _check_trade(trade)
        if trade.filled_entries:
            snapshot.trades_with_fills.add(trade.id or 0)
        if not trade.is_open:
            snapshot.closed_count += 1
            snapshot.closed_profit[trade.id or 0] = trade.close_profit_abs or Decimal(0)
        for order in trade.orders:
            snapshot.filled[order.client_order_id] = order.filled
    for order in orders:
        snapshot.orders[order.client_order_id] = OrderFacts(
            order.order_id, order.ft_is_open, order.filled
        )
        snapshot.open_order_count += order.ft_is_open
        if order.ft_is_open and order.order_id is None:
            snapshot.unacknowledged.add(order.client_order_id)
        if order.trade_id is None and order.filled > 0:  # only a user's delete may leave these
            snapshot.filled_orphans.add(order.client_order_id)
    _check_wallet(trades, start, stake)
    return snapshot


def _check_order_ids(orders: list[Order]) -> None:
    client_ids = Counter(o.client_order_id for o in orders)
    duplicates = [cid for cid, n in client_ids.items() if n > 1]
    assert not duplicates, f"duplicate client order ids: {duplicates}"
    exchange_ids = Counter((o.ft_pair, o.order_id) for o in orders if o.order_id)
    assert not [oid for oid, n in exchange_ids.items() if n > 1], "duplicate exchange ids"


def _check_orphans(orphans: list[Order]) -> None:
    """Orders outlive a removed (never filled) or deleted trade, but nothing follows them any
    more: each must be finished."""
    for order in orphans:
        assert not order.ft_is_open, f"open order {order.client_order_id} has no trade"


def _check_trade(trade: Trade) -> None:
    bought = sum((o.net_filled for o in trade.orders if o.ft_order_side == "buy"), Decimal(0))
    sold = sum((o.filled for o in trade.orders if o.ft_order_side != "buy"), Decimal(0))
    assert sold <= bought, f"trade {trade.id} sold {sold} but bought only {bought}"
    open_orders = [o for o in trade.orders if o.ft_is_open]
    assert len(open_orders) <= 1, f"trade {trade.id} has {len(open_orders)} open orders"
    if trade.is_open:
        _check_open_trade(trade, bought - sold)
    else:
        _check_closed_trade(trade)
    names = ("amount", "open_trade_value", "realized_profit", "is_open", "close_profit_abs")
    stored = {name: getattr(trade, name) for name in names}
    trade.recalculate()
    for name in names:
        assert getattr(trade, name) == stored[name], (
            f"trade {trade.id}: stored {name} {stored[name]} != rebuilt {getattr(trade, name)}"
        )


def _check_open_trade(trade: Trade, held: Decimal) -> None:
    waiting = [o for o in trade.orders if o.ft_is_open and o.is_entry]
    assert trade.filled_entries or waiting, (
        f"open trade {trade.id} has neither a filled entry nor an open entry order"
    )
    for order in trade.orders:
        if order.ft_is_open and not order.is_entry:
            remaining = (order.amount or order.ft_amount) - order.filled
            assert remaining <= held, (
                f"trade {trade.id}: open exit {order.client_order_id} sells {remaining}, "
                f"the trade holds {held}"
            )


def _check_closed_trade(trade: Trade) -> None:
    assert trade.amount == 0 and trade.close_profit_abs == trade.realized_profit
    assert trade.filled_exits, f"closed trade {trade.id} has no filled exit"
    assert trade.close_date is not None, f"closed trade {trade.id} has no close date"
    assert not trade.open_orders, f"closed trade {trade.id} still has open orders"


def _check_wallet(trades: list[Trade], start: Decimal, stake: str) -> None:
    """The wallet equals a plain ledger of the fills; open entries reserve exactly their rest."""
    open_trades = [t for t in trades if t.is_open]
    closed_profit = sum((t.close_profit_abs or Decimal(0) for t in trades if not t.is_open),
                        Decimal(0))  # fmt: skip
    wallet = DryRunWallet({stake: start}, stake)
    wallet.update(open_trades, closed_profit)
    balance = wallet.balances()[stake]
    ledger = ledger_balance(start, [o for t in trades for o in t.orders])
    assert balance.free + balance.used == ledger, f"wallet {balance} != ledger {ledger}"
    reserved = Decimal(0)
    for trade in open_trades:
        for order in trade.orders:
            if order.ft_is_open and order.is_entry:
                rest = (order.amount or order.ft_amount) - order.filled
                reserved += rest * order.ft_price * (1 + trade.fee_open)
    assert balance.used == reserved, f"wallet reserves {balance.used}, open entries {reserved}"


def check_nothing_lost(before: Snapshot, after: Snapshot) -> None:
    """Orders never vanish nor move backwards, fills never shrink, closed trades stay closed."""
    for client_id, facts in before.orders.items():
        later = after.orders.get(client_id)
        assert later is not None, f"order {client_id} disappeared"
        assert later.filled >= facts.filled, f"order {client_id} lost fills"
        assert facts.is_open or not later.is_open, f"finished order {client_id} reopened"
        if facts.order_id is not None:
            assert later.order_id == facts.order_id, f"order {client_id} changed exchange id"
    for client_id, filled in before.filled.items():
        if filled > 0:
            assert client_id in after.filled, f"filled order {client_id} left its trade"
    lost = before.trades_with_fills - after.trades_with_fills
    assert not lost, f"trades with fills disappeared: {sorted(lost)}"
    for trade_id, profit in before.closed_profit.items():
        assert after.closed_profit.get(trade_id) == profit, f"closed trade {trade_id} changed"
    assert after.closed_count >= before.closed_count
