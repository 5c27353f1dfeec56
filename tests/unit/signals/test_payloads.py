"""Engine events → WebSocket messages, against the spec's shapes (§3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import orjson
import pandas as pd

from tests.factories import T0, fill, make_order, make_trade
from tradewind.domain.enums import BotState
from tradewind.domain.events import (
    Notice,
    PairAnalyzed,
    StateChanged,
    StrategyMessage,
    TickCompleted,
    TradeEvent,
    WhitelistChanged,
)
from tradewind.schemas.json import dumps
from tradewind.signals.payloads import MessageFormatter

ENTRY_KEYS = {
    "type", "trade_id", "buy_tag", "enter_tag", "exchange", "pair", "base_currency",
    "quote_currency", "leverage", "direction", "limit", "order_rate", "open_rate", "order_type",
    "stake_amount", "stake_currency", "fiat_currency", "amount", "open_date", "current_rate",
    "sub_trade",
}  # fmt: skip
EXIT_KEYS = {
    "type", "trade_id", "exchange", "pair", "leverage", "direction", "gain", "limit",
    "order_rate", "order_type", "amount", "open_rate", "close_rate", "current_rate",
    "profit_amount", "profit_ratio", "buy_tag", "enter_tag", "exit_reason", "open_date",
    "close_date", "stake_amount", "stake_currency", "base_currency", "quote_currency",
    "fiat_currency", "sub_trade", "cumulative_profit", "final_profit_ratio", "is_final_exit",
}  # fmt: skip
EXIT_CANCEL_KEYS = {
    "type", "trade_id", "exchange", "pair", "leverage", "direction", "gain", "limit",
    "order_rate", "order_type", "amount", "open_rate", "current_rate", "profit_amount",
    "profit_ratio", "buy_tag", "enter_tag", "exit_reason", "open_date", "close_date",
    "stake_currency", "base_currency", "quote_currency", "fiat_currency", "reason", "sub_trade",
    "stake_amount",
}  # fmt: skip


def _wire(message: dict[str, object]) -> dict[str, object]:
    return orjson.loads(dumps(message))  # type: ignore[no-any-return]


def _one(formatter: MessageFormatter, event: object) -> dict[str, object]:
    messages = formatter.format(event)  # type: ignore[arg-type]
    assert len(messages) == 1
    return _wire(messages[0])


def test_entry_messages_are_flat_with_capitalised_exchange_and_aware_open_date() -> None:
    trade = make_trade(enter_tag="rsi", id=7)
    order = make_order(trade)
    formatter = MessageFormatter(fiat_currency="USD")

    entry = _one(formatter, TradeEvent("entry", trade, order, current_rate=0.0501, at=T0))
    fill(order, trade)
    filled = _one(formatter, TradeEvent("entry_fill", trade, order, at=T0))

    assert set(entry) == ENTRY_KEYS
    assert entry["type"] == "entry"
    assert (entry["exchange"], entry["direction"]) == ("Simulated", "Long")
    assert (entry["buy_tag"], entry["enter_tag"]) == ("rsi", "rsi")
    assert entry["open_date"] == "2024-01-01T12:00:00+00:00"
    assert (entry["order_rate"], entry["limit"], entry["amount"]) == (0.05, 0.05, 2.0)
    assert entry["stake_amount"] == 0.1
    assert (entry["fiat_currency"], entry["current_rate"], entry["sub_trade"]) == (
        "USD",
        0.0501,
        False,
    )
    assert set(filled) == ENTRY_KEYS
    assert filled["amount"] == 2.0
    assert filled["leverage"] == 1.0


def test_entry_cancel_has_a_reason_and_a_naive_open_date() -> None:
    trade = make_trade(id=1)
    order = make_order(trade)

    message = _one(
        MessageFormatter(),
        TradeEvent("entry_cancel", trade, order, reason="cancelled due to timeout"),
    )

    assert set(message) == ENTRY_KEYS | {"reason"}
    assert message["reason"] == "cancelled due to timeout"
    assert message["open_date"] == "2024-01-01T12:00:00"


def test_exit_fill_of_a_whole_trade_is_final_with_profit_figures() -> None:
    trade = make_trade(id=3)
    fill(make_order(trade), trade)
    exit_order = make_order(trade, side="sell", price="0.06", when=T0 + timedelta(hours=1))
    exit_order.ft_order_tag = "roi"
    fill(exit_order, trade)

    message = _one(MessageFormatter(), TradeEvent("exit_fill", trade, exit_order, at=T0))

    assert set(message) == EXIT_KEYS
    assert message["gain"] == "profit"
    assert message["exit_reason"] == "roi"
    assert message["current_rate"] is None
    assert message["is_final_exit"] is True
    assert message["final_profit_ratio"] == trade.close_profit
    assert message["profit_ratio"] > 0.19  # type: ignore[operator]
    assert message["close_date"] == "2024-01-01T13:01:00+00:00"


def test_a_placed_exit_is_not_final_and_loses_below_the_open_rate() -> None:
    trade = make_trade(id=3)
    fill(make_order(trade), trade)
    exit_order = make_order(trade, side="sell", price="0.04")

    message = _one(
        MessageFormatter(), TradeEvent("exit", trade, exit_order, current_rate=0.04, at=T0)
    )

    assert message["gain"] == "loss"
    assert (message["is_final_exit"], message["final_profit_ratio"]) == (False, None)
    assert message["current_rate"] == 0.04


def test_exit_cancel_uses_naive_dates_and_is_sent_once_per_reason() -> None:
    trade = make_trade(id=4)
    fill(make_order(trade), trade)
    exit_order = make_order(trade, side="sell", price="0.06")
    formatter = MessageFormatter()
    now = datetime(2024, 1, 2, tzinfo=UTC)
    event = TradeEvent("exit_cancel", trade, exit_order, reason="cancelled due to timeout", at=now)

    message = _one(formatter, event)

    assert set(message) == EXIT_CANCEL_KEYS
    assert message["open_date"] == "2024-01-01T12:00:00"
    assert message["close_date"] == "2024-01-02T00:00:00+00:00"  # aware "now" when unset
    assert formatter.format(event) == []
    assert len(formatter.format(TradeEvent("exit_cancel", trade, exit_order, reason="x"))) == 1


def test_text_messages_whitelist_and_ignored_events() -> None:
    formatter = MessageFormatter()

    assert _one(formatter, StateChanged(BotState.RUNNING, "running")) == {
        "type": "status",
        "status": "running",
    }
    for kind in ("warning", "startup", "exception"):
        assert _one(formatter, Notice(kind, "text")) == {"type": kind, "status": "text"}
    assert _one(formatter, StrategyMessage("hi")) == {"type": "strategy_msg", "msg": "hi"}
    assert _one(formatter, WhitelistChanged(("A/B", "C/B"))) == {
        "type": "whitelist",
        "data": ["A/B", "C/B"],
    }
    assert formatter.format(TickCompleted(at=T0, duration_s=0.1)) == []


def test_analysis_broadcasts_only_the_last_row_then_new_candle() -> None:
    frame = pd.DataFrame(
        {
            "date": pd.date_range(T0, periods=5, freq="5min", tz="UTC"),
            "close": np.arange(5.0),
        }
    )
    analyzed_at = datetime(2026, 11, 25, 1, 49, 31, 457786, tzinfo=UTC)
    event = PairAnalyzed("ETH/BTC", "5m", "spot", frame, analyzed_at, new_candle=True)

    first, second = (_wire(m) for m in MessageFormatter().format(event))

    data = first["data"]
    assert first["type"] == "analyzed_df"
    assert data["key"] == ["ETH/BTC", "5m", "spot"]  # type: ignore[index]
    assert data["la"] == "2026-11-25T01:49:31.457786+00:00"  # type: ignore[index]
    inner = orjson.loads(data["df"]["__value__"])  # type: ignore[index]
    assert inner["index"] == [4]
    assert inner["data"] == [[int((T0 + timedelta(minutes=20)).timestamp() * 1000), 4.0]]
    assert second == {"type": "new_candle", "data": ["ETH/BTC", "5m", "spot"]}
    not_new = PairAnalyzed("ETH/BTC", "5m", "spot", frame, analyzed_at, new_candle=False)
    assert [m["type"] for m in MessageFormatter().format(not_new)] == ["analyzed_df"]
