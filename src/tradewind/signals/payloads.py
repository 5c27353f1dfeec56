"""Engine events → message WebSocket messages (websocket-and-external-signals.md §3).

Every message is a plain dict ready for ``schemas.json.dumps``: datetimes stay datetimes (orjson
writes aware ones with ``+00:00`` and naive ones without an offset, as §3.5 asks), money is
turned into floats here. Only ``whitelist``, ``analyzed_df`` and ``new_candle`` wrap their
payload in ``data``; the others are flat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from tradewind.domain.events import (
    Event,
    Notice,
    PairAnalyzed,
    StateChanged,
    StrategyMessage,
    TradeEvent,
    WhitelistChanged,
)
from tradewind.domain.trade import Trade
from tradewind.schemas.ws import WSMessageType
from tradewind.signals.encoding import EPOCH, encode_dataframe, format_la

__all__ = [
    "MessageFormatter",
    "analyzed_df_message",
    "new_candle_message",
    "whitelist_message",
]

Message = dict[str, Any]
_NOTICE_KINDS = {"warning", "startup", "exception", "status"}


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _naive(value: datetime) -> datetime:
    return _aware(value).replace(tzinfo=None)


def _num(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def whitelist_message(pairs: list[str]) -> Message:
    """``{"type": "whitelist", "data": [...]}``."""
    return {"type": WSMessageType.WHITELIST.value, "data": list(pairs)}


def new_candle_message(key: tuple[str, str, str]) -> Message:
    """``{"type": "new_candle", "data": [pair, timeframe, candle_type]}``."""
    return {"type": WSMessageType.NEW_CANDLE.value, "data": list(key)}


def analyzed_df_message(
    key: tuple[str, str, str], frame: pd.DataFrame | None, analyzed_at: datetime | None
) -> Message:
    """``{"type": "analyzed_df", "data": {"key", "df", "la"}}`` (empty frame → epoch ``la``)."""
    if frame is None or analyzed_at is None:
        frame, analyzed_at = pd.DataFrame(), EPOCH
    return {
        "type": WSMessageType.ANALYZED_DF.value,
        "data": {"key": list(key), "df": encode_dataframe(frame), "la": format_la(analyzed_at)},
    }


def _text_message(event: Event) -> Message | None:
    if isinstance(event, StateChanged):
        return {"type": WSMessageType.STATUS.value, "status": event.status}
    if isinstance(event, Notice):
        kind = event.kind if event.kind in _NOTICE_KINDS else WSMessageType.STATUS.value
        return {"type": kind, "status": event.status}
    if isinstance(event, StrategyMessage):
        return {"type": WSMessageType.STRATEGY_MSG.value, "msg": event.msg}
    if isinstance(event, WhitelistChanged):
        return whitelist_message(list(event.pairs))
    return None


@dataclass
class MessageFormatter:
    """Formats engine events; remembers which exit cancellations were already announced."""

    fiat_currency: str | None = None
    _exit_cancels: set[tuple[int | None, str | None]] = field(default_factory=set)

    def format(self, event: Event) -> list[Message]:
        """The messages ``event`` produces (none for events the WebSocket does not carry)."""
        if isinstance(event, PairAnalyzed):
            return self._analyzed(event)
        if isinstance(event, TradeEvent):
            return self._trade(event)
        message = _text_message(event)
        return [] if message is None else [message]

    @staticmethod
    def _analyzed(event: PairAnalyzed) -> list[Message]:
        key = (event.pair, event.timeframe, event.candle_type)
        frame = event.dataframe
        last = frame.tail(1) if isinstance(frame, pd.DataFrame) else None
        messages = [analyzed_df_message(key, last, event.analyzed_at)]
        if event.new_candle:
            messages.append(new_candle_message(key))
        return messages

    def _trade(self, event: TradeEvent) -> list[Message]:
        now = _aware(event.at or datetime.now(UTC))
        if event.kind in ("entry", "entry_fill", "entry_cancel"):
            return [self.entry(event)]
        if event.kind in ("exit", "exit_fill"):
            return [self.exit(event, now)]
        if event.kind == "exit_cancel":
            marker = (event.trade.id, event.reason)
            if marker in self._exit_cancels:
                return []
            self._exit_cancels.add(marker)
            return [self.exit_cancel(event, now)]
        return []

    def _common(self, kind: str, trade: Trade) -> Message:
        return {
            "type": kind,
            "trade_id": trade.id,
            "exchange": trade.exchange.capitalize(),
            "pair": trade.pair,
            "base_currency": trade.base_currency,
            "quote_currency": trade.stake_currency,
            "direction": "Short" if trade.is_short else "Long",
            "buy_tag": trade.enter_tag,
            "enter_tag": trade.enter_tag,
            "stake_currency": trade.stake_currency,
            "fiat_currency": self.fiat_currency,
        }

    def entry(self, event: TradeEvent) -> Message:
        """``entry`` / ``entry_fill`` / ``entry_cancel`` (§3.3)."""
        trade, order, kind = event.trade, event.order, event.kind
        message = self._common(kind, trade)
        if kind == "entry_fill":
            rate, amount = order.safe_price, order.net_filled
            stake: Decimal | float = trade.stake_amount
        elif kind == "entry":
            rate, amount = order.price or order.ft_price, order.ft_amount
            stake = order.ft_amount * rate / Decimal(str(trade.leverage or 1))
            if trade.filled_entries:
                stake += trade.stake_amount
        else:
            rate, amount, stake = order.price or order.ft_price, trade.amount, trade.stake_amount
        leverage = trade.leverage if (trade.leverage or kind == "entry_cancel") else None
        message.update(
            leverage=leverage,
            limit=float(rate),
            order_rate=float(rate),
            open_rate=float(trade.open_rate),
            order_type=order.order_type or "unknown",
            stake_amount=float(stake),
            amount=float(amount),
            open_date=_naive(trade.open_date)
            if kind == "entry_cancel"
            else _aware(trade.open_date),
            current_rate=event.current_rate,
            sub_trade=event.sub_trade,
        )
        if kind == "entry_cancel":
            message["reason"] = event.reason or ""
        return message

    def _exit_figures(self, event: TradeEvent) -> Message:
        trade, order = event.trade, event.order
        filled = event.kind == "exit_fill"
        rate = order.safe_price if filled else (order.price or order.ft_price)
        amount = order.filled if filled and order.filled > 0 else order.ft_amount
        profit, ratio = _order_profit(trade, rate, amount)
        return {
            "trade_id": trade.id,
            "leverage": trade.leverage,
            "gain": "profit" if ratio > 0 else "loss",
            "limit": float(rate),
            "order_rate": float(rate),
            "order_type": order.order_type or "unknown",
            "amount": float(amount),
            "open_rate": float(trade.open_rate),
            "current_rate": None if filled else event.current_rate,
            "profit_amount": profit,
            "profit_ratio": ratio,
            "exit_reason": order.ft_order_tag or trade.exit_reason,
            "sub_trade": event.sub_trade,
        }

    def exit(self, event: TradeEvent, now: datetime) -> Message:
        """``exit`` / ``exit_fill`` (§3.4)."""
        trade, order = event.trade, event.order
        message = self._common(event.kind, trade)
        message.update(self._exit_figures(event))
        filled = event.kind == "exit_fill"
        rate = order.safe_price if filled else (order.price or order.ft_price)
        final = filled and not trade.is_open
        message.update(
            close_rate=float(rate),
            open_date=_aware(trade.open_date),
            close_date=_aware(trade.close_date or now),
            stake_amount=float(trade.stake_amount or trade.max_stake_amount),
            cumulative_profit=float(trade.realized_profit),
            final_profit_ratio=trade.close_profit if final else None,
            is_final_exit=final,
        )
        return message

    def exit_cancel(self, event: TradeEvent, now: datetime) -> Message:
        """``exit_cancel`` (§3.4): naive dates, plus the cancel ``reason``."""
        trade = event.trade
        message = self._common(event.kind, trade)
        message.update(self._exit_figures(event))
        message.update(
            open_date=_naive(trade.open_date),
            close_date=_naive(trade.close_date) if trade.close_date else now,
            stake_amount=float(trade.stake_amount),
            reason=event.reason or "",
        )
        return message


def _order_profit(trade: Trade, rate: Decimal, amount: Decimal) -> tuple[float, float]:
    """Profit (absolute, ratio) of selling ``amount`` at ``rate``, fees on both sides."""
    fee_open = trade.fee_open or Decimal(0)
    fee_close = trade.fee_close or Decimal(0)
    basis = amount * trade.open_rate * (1 + fee_open)
    proceeds = amount * rate * (1 - fee_close)
    if trade.is_short:
        basis, proceeds = amount * rate * (1 + fee_close), amount * trade.open_rate * (1 - fee_open)
    profit = proceeds - basis
    ratio = float(profit / basis) if basis else 0.0
    return float(profit), ratio
