"""Readable log lines for trade events, so a person watching the console sees the bot trade."""

from __future__ import annotations

import logging

from tradewind.domain.events import Event, EventBus, TradeEvent

log = logging.getLogger("tradewind.trades")

_VERBS = {
    "entry": "Entry order placed",
    "entry_fill": "Entry filled",
    "entry_cancel": "Entry cancelled",
    "exit": "Exit order placed",
    "exit_fill": "Exit filled",
    "exit_cancel": "Exit cancelled",
}


def log_trade_events(events: EventBus) -> None:
    """Subscribe a logger that writes one line per order event."""
    events.subscribe(_log_event)


def _log_event(event: Event) -> None:
    if not isinstance(event, TradeEvent):
        return
    trade, order = event.trade, event.order
    verb = _VERBS.get(event.kind, event.kind)
    amount = order.filled if event.kind.endswith("fill") else order.ft_amount
    price = order.safe_price
    text = f"{verb}: trade {trade.id} {trade.pair} {amount:f} @ {price:f} ({order.order_type})"
    if event.kind.startswith("exit"):
        text += f", reason {order.ft_order_tag}"
    if event.kind == "exit_fill" and not trade.is_open:
        text += f", profit {trade.close_profit_abs:f} {trade.stake_currency}"
        text += f" ({(trade.close_profit or 0) * 100:.2f}%)"
    if event.reason:
        text += f" — {event.reason}"
    log.info(text)
