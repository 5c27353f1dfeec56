"""Invariants of a bot's database that must hold at every instant, even right after a kill."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from tradewind.domain.trade import Trade
from tradewind.engine.wallet import DryRunWallet, ledger_balance
from tradewind.persistence.database import Database
from tradewind.persistence.repositories import TradeRepository


@dataclass
class Snapshot:
    """What the database holds: filled amount per order, and which trades had fills."""

    filled: dict[str, Decimal] = field(default_factory=dict)  # client order id → filled
    trades_with_fills: set[int] = field(default_factory=set)
    trade_count: int = 0
    closed_count: int = 0


def check_database(url: str, starting_balance: Decimal, stake: str = "BTC") -> Snapshot:
    """Assert every invariant; return a snapshot to compare with a later one."""
    db = Database(url)
    session = db.new_session()
    try:
        repo = TradeRepository(session)
        trades = repo.open_trades() + repo.closed_page(10**9, 0)
        return _check(trades, starting_balance, stake)
    finally:
        session.rollback()  # the checks recalculate trades in place: never write that back
        session.close()
        db.dispose()


def _check(trades: list[Trade], start: Decimal, stake: str) -> Snapshot:
    snapshot = Snapshot(trade_count=len(trades))
    client_ids = Counter(o.client_order_id for t in trades for o in t.orders)
    duplicates = [cid for cid, n in client_ids.items() if n > 1]
    assert not duplicates, f"duplicate client order ids: {duplicates}"
    exchange_ids = Counter(o.order_id for t in trades for o in t.orders if o.order_id)
    assert not [oid for oid, n in exchange_ids.items() if n > 1], "duplicate exchange ids"
    for trade in trades:
        _check_trade(trade)
        if trade.filled_entries:
            snapshot.trades_with_fills.add(trade.id or 0)
        snapshot.closed_count += not trade.is_open
        for order in trade.orders:
            snapshot.filled[order.client_order_id] = order.filled
    closed_profit = sum((t.close_profit_abs or Decimal(0) for t in trades if not t.is_open),
                        Decimal(0))  # fmt: skip
    wallet = DryRunWallet({stake: start}, stake)
    wallet.update([t for t in trades if t.is_open], closed_profit)
    balance = wallet.balances()[stake]
    ledger = ledger_balance(start, [o for t in trades for o in t.orders])
    assert balance.free + balance.used == ledger, f"wallet {balance} != ledger {ledger}"
    return snapshot


def _check_trade(trade: Trade) -> None:
    bought = sum((o.net_filled for o in trade.orders if o.ft_order_side == "buy"), Decimal(0))
    sold = sum((o.filled for o in trade.orders if o.ft_order_side != "buy"), Decimal(0))
    assert sold <= bought, f"trade {trade.id} sold {sold} but bought only {bought}"
    open_orders = [o for o in trade.orders if o.ft_is_open]
    assert len(open_orders) <= 1, f"trade {trade.id} has {len(open_orders)} open orders"
    names = ("amount", "open_trade_value", "realized_profit", "is_open", "close_profit_abs")
    stored = {name: getattr(trade, name) for name in names}
    if not trade.is_open:
        assert trade.amount == 0 and trade.close_profit_abs == trade.realized_profit
    trade.recalculate()
    for name in names:
        assert getattr(trade, name) == stored[name], (
            f"trade {trade.id}: stored {name} {stored[name]} != rebuilt {getattr(trade, name)}"
        )


def check_nothing_lost(before: Snapshot, after: Snapshot) -> None:
    """Fills never shrink, filled orders never vanish, traded trades never vanish."""
    for client_id, filled in before.filled.items():
        if filled > 0:
            assert client_id in after.filled, f"filled order {client_id} disappeared"
            assert after.filled[client_id] >= filled, f"order {client_id} lost fills"
    lost = before.trades_with_fills - after.trades_with_fills
    assert not lost, f"trades with fills disappeared: {sorted(lost)}"
    assert after.closed_count >= before.closed_count
