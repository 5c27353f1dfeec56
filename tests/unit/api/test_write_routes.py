"""State-changing routes: bot control, force enter/exit, trade actions, blacklist and lock edits
(rest-api.md §4, §5.4–§5.9, §7.3–§8.4). Each test gets a fresh bot."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.spec_shapes import (
    LOCK_KEYS_LIST,
    OPEN_TRADE_KEYS,
    ORDER_KEYS,
    TRADE_KEYS,
    assert_keys,
)
from tests.unit.api.harness import BotApi, running_bot
from tradewind.domain.enums import BotState

V1 = "/api/v1"


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[BotApi]:
    with running_bot(tmp_path) as bot:
        yield bot


def error(bot: BotApi, method: str, path: str, **kwargs: object) -> str:
    """The message of a 502 bot-logic error (checking the body's exact form)."""
    response = bot.request(method, V1 + path, **kwargs)
    assert response.status_code == 502, response.text
    body = response.json()
    assert list(body) == ["error"]
    prefix = f"Error querying {V1}{path.split('?', maxsplit=1)[0]}: "
    assert body["error"].startswith(prefix), body
    return str(body["error"][len(prefix) :])


# -- control ------------------------------------------------------------------------------------
def test_start_stop_and_the_three_pause_aliases(bot: BotApi) -> None:
    engine = bot.application.engine
    assert bot.ok("POST", f"{V1}/start", json={}) == {"status": "already running"}
    assert bot.ok("POST", f"{V1}/stop", json={}) == {"status": "stopping trader ..."}
    assert engine.state == BotState.STOPPED
    assert bot.ok("POST", f"{V1}/stop") == {"status": "already stopped"}
    paused_from_stopped = bot.ok("POST", f"{V1}/stopbuy")
    assert paused_from_stopped["status"].startswith("starting bot with trader in paused state")
    for path in ("/stopentry", "/pause", "/stopbuy"):
        body = bot.ok("POST", V1 + path, content=b"null", headers=None)
        assert body == {
            "status": "paused, no more entries will occur from now. Run /start to enable entries."
        }
        assert engine.state == BotState.PAUSED
    assert bot.ok("POST", f"{V1}/start") == {"status": "starting trader ..."}
    assert engine.state == BotState.RUNNING


def test_reload_config_answers_at_once_and_flags_the_engine(bot: BotApi) -> None:
    assert bot.ok("POST", f"{V1}/reload_config", json={}) == {"status": "Reloading config ..."}
    engine = bot.application.engine
    assert engine.state == BotState.RELOAD_CONFIG and engine.reload_requested.is_set()


# -- force enter ----------------------------------------------------------------------------------
def test_force_enter_answers_the_new_trade_in_model_form(bot: BotApi) -> None:
    body = bot.force_enter(
        "ETH/BTC", price="0.09", ordertype="limit", stakeamount="0.02", entry_tag="manual"
    )
    assert_keys(body, TRADE_KEYS)
    assert body["pair"] == "ETH/BTC" and body["is_open"] is True
    assert body["enter_tag"] == "manual" and body["open_rate_requested"] == 0.09
    for order in body["orders"]:
        assert_keys(order, ORDER_KEYS)
    assert [t["trade_id"] for t in bot.ok("GET", f"{V1}/status")] == [body["trade_id"]]


def test_force_buy_alias_defaults_the_tag(bot: BotApi) -> None:
    body = bot.ok("POST", f"{V1}/forcebuy", json={"pair": "LTC/BTC", "side": "long"})
    assert body["enter_tag"] == "force_entry"


def test_force_enter_refusals_in_the_spec_order(bot: BotApi) -> None:
    assert error(bot, "POST", "/forceenter", json={"pair": "ETH/BTC", "side": "short"}) == (
        "Can't go short on Spot markets."
    )
    assert error(bot, "POST", "/forceenter", json={"pair": "NOPE/BTC"}) == (
        "Symbol does not exist or market is not active."
    )
    bot.force_enter("ETH/BTC")
    message = error(bot, "POST", "/forcebuy", json={"pair": "ETH/BTC"})
    assert message.startswith("position for ETH/BTC already open - id: ")
    bot.ok("POST", f"{V1}/pause")
    assert error(bot, "POST", "/forceenter", json={"pair": "LTC/BTC"}) == "trader is not running"


def test_force_enter_refuses_beyond_max_open_trades(bot: BotApi) -> None:
    for pair in ("ETH/BTC", "LTC/BTC", "ADA/BTC", "XLM/BTC", "TRX/BTC"):
        bot.force_enter(pair, stakeamount=0.01)
    assert error(bot, "POST", "/forceenter", json={"pair": "ZEC/BTC"}) == (
        "Maximum number of trades is reached."
    )


def test_force_enter_disabled_is_refused_before_anything_else(tmp_path: Path) -> None:
    with running_bot(tmp_path, force_entry_enable=False) as bot:
        bot.ok("POST", f"{V1}/stop")
        assert error(bot, "POST", "/forceenter", json={"pair": "ETH/BTC", "side": "short"}) == (
            "Force_entry not enabled."
        )


# -- force exit ---------------------------------------------------------------------------------
def test_force_exit_one_trade_by_string_id_then_it_closes(bot: BotApi) -> None:
    trade_id = bot.force_enter("ETH/BTC")["trade_id"]
    bot.tick(2)
    body = bot.ok("POST", f"{V1}/forcesell", json={"tradeid": str(trade_id), "ordertype": "market"})
    assert body == {"result": f"Created exit order for trade {trade_id}."}
    bot.tick(2)
    closed = bot.ok("GET", f"{V1}/trades")["trades"]
    assert [(t["trade_id"], t["exit_reason"]) for t in closed] == [(trade_id, "force_exit")]


def test_force_exit_partial_amount_keeps_the_rest_open(bot: BotApi) -> None:
    trade = bot.force_enter("ETH/BTC", stakeamount=0.04)
    bot.tick(2)
    amount = bot.ok("GET", f"{V1}/trade/{trade['trade_id']}")["amount"]
    bot.ok(
        "POST",
        f"{V1}/forceexit",
        json={"tradeid": trade["trade_id"], "amount": str(amount / 2), "ordertype": "market"},
    )
    bot.tick(2)
    after = bot.ok("GET", f"{V1}/trade/{trade['trade_id']}")
    assert after["is_open"] is True and after["amount"] == pytest.approx(amount / 2, rel=1e-3)


def test_force_exit_all(bot: BotApi) -> None:
    bot.force_enter("ETH/BTC")
    bot.force_enter("LTC/BTC")
    bot.tick(2)
    assert bot.ok("POST", f"{V1}/forceexit", json={"tradeid": "all"}) == {
        "result": "Created exit orders for all open trades."
    }
    bot.tick_until(lambda: bot.ok("GET", f"{V1}/status") == [])


def test_force_exit_refusals(bot: BotApi) -> None:
    for tradeid in ("abc", "99", "-1"):
        assert error(bot, "POST", "/forceexit", json={"tradeid": tradeid}) == "invalid argument"
    bot.ok("POST", f"{V1}/stop")
    assert error(bot, "POST", "/forcesell", json={"tradeid": "1"}) == "trader is not running"


# -- trade actions --------------------------------------------------------------------------------
def test_delete_trade_removes_it(bot: BotApi) -> None:
    trade_id = bot.force_enter("ETH/BTC")["trade_id"]
    body = bot.ok("DELETE", f"{V1}/trades/{trade_id}")
    assert_keys(body, ["cancel_order_count", "result", "result_msg", "trade_id"])
    assert body["result"] == "success" and body["trade_id"] == trade_id
    assert body["result_msg"].startswith(f"Deleted trade #{trade_id} for pair ETH/BTC.")
    assert bot.get(f"{V1}/trade/{trade_id}").status_code == 404
    assert error(bot, "DELETE", f"/trades/{trade_id}") == f"Trade with id '{trade_id}' not found."


def test_cancel_open_order_and_reload_trade(bot: BotApi) -> None:
    trade_id = bot.force_enter("ETH/BTC", stakeamount=0.02)["trade_id"]
    bot.tick(2)
    reloaded = bot.ok("POST", f"{V1}/trades/{trade_id}/reload")
    assert_keys(reloaded, OPEN_TRADE_KEYS)
    assert error(bot, "DELETE", f"/trades/{trade_id}/open-order") == "No open order for trade_id."
    assert error(bot, "DELETE", "/trades/999/open-order") == "Invalid trade_id."
    assert error(bot, "POST", "/trades/999/reload") == "Could not find trade with id 999."


# -- blacklist ----------------------------------------------------------------------------------
def test_blacklist_add_and_remove_report_per_pair_errors(bot: BotApi) -> None:
    added = bot.ok("POST", f"{V1}/blacklist", json={"blacklist": ["ETH/BTC", "ADA/.*", "("]})
    assert added["blacklist"] == ["ETH/BTC", "ADA/.*"]
    assert added["blacklist_expanded"] == ["ETH/BTC", "ADA/BTC"]
    assert added["errors"] == {"(": {"error_msg": "Pair ( is not a valid wildcard."}}
    again = bot.ok("POST", f"{V1}/blacklist", json={"blacklist": ["ETH/BTC"]})
    assert again["errors"] == {"ETH/BTC": {"error_msg": "Pair ETH/BTC already in pairlist."}}
    whitelist = bot.ok("GET", f"{V1}/whitelist")["whitelist"]
    assert "ETH/BTC" not in whitelist and "ADA/BTC" not in whitelist
    removed = bot.ok("DELETE", f"{V1}/blacklist?pairs_to_delete=ETH/BTC&pairs_to_delete=BNB/BTC")
    assert removed["blacklist"] == ["ADA/.*"] and removed["length"] == 1
    assert removed["errors"] == {
        "BNB/BTC": {"error_msg": "Pair BNB/BTC is not in the current blacklist."}
    }
    assert "ETH/BTC" in bot.ok("GET", f"{V1}/whitelist")["whitelist"]


# -- locks ----------------------------------------------------------------------------------------
def test_lock_add_rounds_up_to_the_next_candle_and_delete_releases(bot: BotApi) -> None:
    body = bot.ok(
        "POST",
        f"{V1}/locks",
        json=[
            {"pair": "ETH/BTC", "until": "2030-01-01 00:02:00Z", "side": "long"},
            {"pair": "LTC/BTC", "until": "2030-01-01T00:00:00+00:00", "reason": None},
        ],
    )
    assert body["lock_count"] == 2
    by_pair = {lock["pair"]: lock for lock in body["locks"]}
    assert by_pair["ETH/BTC"]["lock_end_time"] == "2030-01-01 00:05:00"
    assert by_pair["LTC/BTC"]["lock_end_time"] == "2030-01-01 00:05:00"
    assert by_pair["ETH/BTC"]["side"] == "long"
    assert_keys(by_pair["LTC/BTC"], LOCK_KEYS_LIST)
    after = bot.ok("DELETE", f"{V1}/locks/{by_pair['ETH/BTC']['id']}")
    assert [lock["pair"] for lock in after["locks"]] == ["LTC/BTC"]
    assert bot.ok("DELETE", f"{V1}/locks/4242") == after  # unknown ids are ignored
    cleared = bot.ok("POST", f"{V1}/locks/delete", json={"pair": "LTC/BTC"})
    assert cleared == {"lock_count": 0, "locks": []}


def test_lock_until_without_timezone_is_refused(bot: BotApi) -> None:
    response = bot.post(f"{V1}/locks", json=[{"pair": "ETH/BTC", "until": "2030-01-01T00:00:00"}])
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "timezone_aware"
