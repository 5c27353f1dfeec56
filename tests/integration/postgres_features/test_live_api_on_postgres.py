"""Every P0/P1 endpoint over real HTTP against a bot whose `db_url` is PostgreSQL.

The API smoke of tests/integration/api/test_live_api.py runs here unchanged: its tests are
imported, and this package's `live_bot` fixture gives them a bot on a throwaway PostgreSQL
server (conftest.py). Then what that smoke leaves out: custom data with real values, trade
events on the message WebSocket, and a restart on the same database.
"""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import orjson
import pytest
from websockets.sync.client import connect

from tests.botconfig import TEST_WS_TOKEN
from tests.consistency import check_database
from tests.integration.api.botprocess import LiveBot, bot_process, wait_for
from tests.integration.api.test_live_api import (
    closed,
    status_of,
    test_bad_input_is_answered_4xx,
    test_candles_and_strategies,
    test_control_and_reload_keep_the_open_trade,
    test_every_route_but_ping_and_tokens_refuses_anonymous_callers,
    test_info_endpoints,
    test_pair_lists_and_locks,
    test_profit_and_statistics_include_the_closed_trade,
    test_the_closed_trade_in_trades_with_consistent_paging,
    test_the_message_websocket_wants_a_token,
    test_the_open_trade_in_status_and_by_id,
    test_trade_actions,
    traded,
)
from tradewind.persistence.database import Database
from tradewind.persistence.repositories import CustomDataRepository

pytestmark = pytest.mark.postgres

__all__ = [  # the imported smoke, collected here against the PostgreSQL bot
    "test_bad_input_is_answered_4xx",
    "test_candles_and_strategies",
    "test_control_and_reload_keep_the_open_trade",
    "test_every_route_but_ping_and_tokens_refuses_anonymous_callers",
    "test_info_endpoints",
    "test_pair_lists_and_locks",
    "test_profit_and_statistics_include_the_closed_trade",
    "test_the_closed_trade_in_trades_with_consistent_paging",
    "test_the_message_websocket_wants_a_token",
    "test_the_open_trade_in_status_and_by_id",
    "test_trade_actions",
    "traded",
]

VALUES: dict[str, Any] = {
    "note": "ünïcode text",
    "count": 3,
    "ratio": 0.125,
    "flag": True,
    "levels": {"entry": [1, 2.5], "tag": None},
}


def test_custom_data_stored_on_postgresql_is_served_with_its_types(
    live_bot: LiveBot, traded: dict[str, int], database_url: str
) -> None:
    trade_id = traded["open"]
    db = Database(database_url)
    with db.transaction() as session:  # what a strategy's trade.set_custom_data() stores
        repo = CustomDataRepository(session)
        for key, value in VALUES.items():
            repo.set(trade_id, key, value, datetime.now(UTC))
    db.dispose()
    [answer] = live_bot.ok("GET", f"/trades/{trade_id}/custom-data")
    stored = {entry["key"]: entry for entry in answer["custom_data"]}
    assert {key: entry["value"] for key, entry in stored.items()} == VALUES
    assert {key: entry["type"] for key, entry in stored.items()} == {
        key: type(value).__name__ for key, value in VALUES.items()
    }
    one = live_bot.ok("GET", f"/trades/{trade_id}/custom-data?key=levels")
    assert one[0]["custom_data"][0]["value"] == VALUES["levels"]
    every_open = live_bot.ok("GET", "/trades/open/custom-data")
    assert trade_id in {item["trade_id"] for item in every_open}


def test_trade_events_reach_a_websocket_subscriber(live_bot: LiveBot) -> None:
    url = live_bot.base.replace("http://", "ws://") + f"/api/v1/message/ws?token={TEST_WS_TOKEN}"
    wanted = ["entry", "entry_fill", "exit", "exit_fill"]
    with connect(url, open_timeout=10) as websocket:
        websocket.send(orjson.dumps({"type": "subscribe", "data": wanted}).decode())
        wait_for(lambda: live_bot.ok("GET", "/show_config")["state"] == "running", 20, "running")
        trade = live_bot.ok("POST", "/forceenter", json={"pair": "XLM/BTC", "ordertype": "market"})
        trade_id = trade["trade_id"]
        wait_for(lambda: (status_of(live_bot, trade_id) or {}).get("nr_of_successful_entries"),
                 20, "the XLM/BTC entry to fill")  # fmt: skip
        live_bot.ok("POST", "/forceexit", json={"tradeid": str(trade_id), "ordertype": "market"})
        wait_for(lambda: closed(live_bot, trade_id), 20, "the XLM/BTC trade to close")
        seen: list[str] = []
        while not set(wanted) <= set(seen):  # each recv is bounded: a missing one fails
            message = orjson.loads(websocket.recv(timeout=10))
            if message.get("trade_id") == trade_id:
                seen.append(message["type"])
    assert seen == wanted, seen


def test_a_restart_on_the_same_database_keeps_every_trade(
    live_bot: LiveBot,
    traded: dict[str, int],
    database_url: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    until = (datetime.now(UTC) + timedelta(days=3650)).isoformat()
    live_bot.ok("POST", "/locks", json=[{"pair": "TRX/BTC", "until": until, "reason": "kept"}])
    before = _books(live_bot)
    assert traded["open"] in before["open"] and before["locks"]
    live_bot.process.send_signal(signal.SIGTERM)
    assert live_bot.process.wait(20) == 0
    check_database(database_url, Decimal(1))
    with bot_process(tmp_path_factory.mktemp("pg-restart"), db_url=database_url) as again:
        assert _books(again) == before
        for log in (live_bot.log(), again.log()):
            assert "Traceback" not in log and " - ERROR - " not in log, log[-3000:]


def _books(bot: LiveBot) -> dict[str, Any]:
    """What a restart must keep: open trades with their orders, closed trades, locks, wallet."""
    open_trades = {
        t["trade_id"]: (t["pair"], t["amount"], t["open_rate"], t["enter_tag"],
                        [(o["order_id"], o["status"], o["filled"]) for o in t["orders"]])
        for t in bot.ok("GET", "/status")
    }  # fmt: skip
    closed_trades = {
        t["trade_id"]: (t["pair"], t["close_profit_abs"], t["exit_reason"])
        for t in bot.ok("GET", "/trades?limit=500")["trades"]
    }
    year_ahead = (datetime.now(UTC) + timedelta(days=365)).timestamp() * 1000
    locks = {  # the candle-long auto locks may expire while the bot restarts
        (lock["pair"], lock["lock_end_timestamp"], lock["reason"])
        for lock in bot.ok("GET", "/locks")["locks"]
        if lock["lock_end_timestamp"] > year_ahead
    }
    stake = next(c for c in bot.ok("GET", "/balance")["currencies"] if c["currency"] == "BTC")
    return {
        "open": open_trades,
        "closed": closed_trades,
        "locks": locks,
        "stake": (stake["free"], stake["used"]),
        "profit": bot.ok("GET", "/profit")["profit_closed_coin"],
    }
