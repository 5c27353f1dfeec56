"""Every P0/P1 endpoint against a running `tradewind trade` process over real HTTP.

One bot per module: a trade is force-entered, force-exited and followed through /status,
/trades, /profit, /daily …; the remaining routes are exercised with real values. The config
reload runs last (it restarts the HTTP server).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from fastapi.routing import APIRoute

from tests.integration.api.botprocess import LiveBot, wait_for
from tests.spec_shapes import (
    BALANCE_KEYS,
    HEALTH_KEYS,
    ISO_Z,
    LOCK_KEYS_LIST,
    OPEN_TRADE_KEYS,
    PAIR_HISTORY_KEYS,
    PROFIT_KEYS,
    RAW_TRADE_KEYS,
    SHOW_CONFIG_KEYS,
    SYSINFO_KEYS,
    TRADE_KEYS,
    assert_keys,
    is_ms,
    is_s,
)
from tradewind.api.app import create_app, flat_routes
from tradewind.cli.webserver import webserver_context
from tradewind.config import load_config
from tradewind.domain.enums import RunMode
from tradewind.logs import LogBuffer

PATH_VALUES = {"tradeid": "1", "trade_id": "1", "lockid": "1", "strategy": "SampleStrategy"}


def status_of(bot: LiveBot, trade_id: int) -> dict[str, Any] | None:
    return next((t for t in bot.ok("GET", "/status") if t["trade_id"] == trade_id), None)


def closed(bot: LiveBot, trade_id: int) -> dict[str, Any] | None:
    trades = bot.ok("GET", "/trades?limit=500")["trades"]
    return next((t for t in trades if t["trade_id"] == trade_id), None)


@pytest.fixture(scope="module")
def traded(live_bot: LiveBot) -> Iterator[dict[str, int]]:
    """ETH/BTC entered and exited by force (via FreqUI's alias paths); LTC/BTC left open."""
    entered = live_bot.ok("POST", "/forcebuy", json={"pair": "ETH/BTC", "stakeamount": "0.02"})
    assert_keys(entered, TRADE_KEYS)
    eth = entered["trade_id"]
    wait_for(
        lambda: (status_of(live_bot, eth) or {}).get("nr_of_successful_entries"),
        20,
        "the ETH/BTC entry to fill",
    )
    answer = live_bot.ok("POST", "/forcesell", json={"tradeid": str(eth), "ordertype": "market"})
    assert answer == {"result": f"Created exit order for trade {eth}."}
    wait_for(lambda: closed(live_bot, eth), 20, "the ETH/BTC trade to close")
    ltc = live_bot.ok("POST", "/forceenter", json={"pair": "LTC/BTC", "entry_tag": "kept"})
    wait_for(
        lambda: (status_of(live_bot, ltc["trade_id"]) or {}).get("nr_of_successful_entries"),
        20,
        "the LTC/BTC entry to fill",
    )
    yield {"closed": eth, "open": ltc["trade_id"]}


# -- info ---------------------------------------------------------------------------------------
def test_info_endpoints(live_bot: LiveBot) -> None:
    assert live_bot.session.get(live_bot.url("/ping"), timeout=5).json() == {"status": "pong"}
    assert live_bot.session.head(live_bot.url("/ping"), timeout=5).status_code == 200
    assert live_bot.ok("GET", "/version") == {"version": live_bot.ok("GET", "/version")["version"]}
    config = live_bot.ok("GET", "/show_config")
    assert_keys(config, SHOW_CONFIG_KEYS)
    assert (config["state"], config["runmode"], config["api_version"]) == (
        "running",
        "dry_run",
        2.5,
    )
    health = wait_for(
        lambda: (body := live_bot.ok("GET", "/health"))["last_process"] and body,
        10,
        "a finished loop iteration",
    )
    assert_keys(health, HEALTH_KEYS)
    assert ISO_Z.match(health["last_process"]) and is_s(health["last_process_ts"])
    assert_keys(live_bot.ok("GET", "/sysinfo"), SYSINFO_KEYS)
    logs = live_bot.ok("GET", "/logs?limit=5")
    assert logs["log_count"] == len(logs["logs"]) == 5
    assert all(len(row) == 5 for row in logs["logs"])
    wait_for(lambda: '"GET /api/v1/logs?limit=5 HTTP/1.1" 200' in live_bot.log(), 5, "access log")


# -- trades and statistics ------------------------------------------------------------------------
def test_the_open_trade_in_status_and_by_id(live_bot: LiveBot, traded: dict[str, int]) -> None:
    trade = status_of(live_bot, traded["open"])
    assert trade is not None
    assert_keys(trade, OPEN_TRADE_KEYS)
    assert trade["enter_tag"] == "kept" and trade["current_rate"] > 0
    assert live_bot.ok("GET", f"/trade/{traded['open']}")["pair"] == "LTC/BTC"
    count = live_bot.ok("GET", "/count")
    assert count["current"] >= 1 and count["max"] == 5 and count["total_stake"] > 0


def test_the_closed_trade_in_trades_with_consistent_paging(
    live_bot: LiveBot, traded: dict[str, int]
) -> None:
    page = live_bot.ok("GET", "/trades?limit=500&offset=0")
    assert page["total_trades"] == page["trades_count"] >= 1
    trade = closed(live_bot, traded["closed"])
    assert trade is not None
    assert_keys(trade, RAW_TRADE_KEYS)
    assert trade["exit_reason"] == "force_exit" and trade["is_open"] is False
    assert is_ms(trade["close_timestamp"])
    fetched, offset = [], 0
    while True:  # FreqUI's paging loop terminates
        batch = live_bot.ok("GET", f"/trades?limit=1&offset={offset}")
        fetched += batch["trades"]
        offset += batch["trades_count"]
        if offset >= batch["total_trades"] or not batch["trades"]:
            break
    assert len(fetched) == page["total_trades"]
    by_id = live_bot.ok("GET", f"/trade/{traded['closed']}")
    assert by_id["is_open"] is False and by_id["close_profit"] is not None


def test_profit_and_statistics_include_the_closed_trade(
    live_bot: LiveBot, traded: dict[str, int]
) -> None:
    profit = live_bot.ok("GET", "/profit")
    assert_keys(profit, PROFIT_KEYS)
    assert profit["closed_trade_count"] >= 1 and profit["trade_count"] >= 2
    assert live_bot.ok("GET", "/profit_all")["all"]["closed_trade_count"] >= 1
    every_trade = live_bot.ok("GET", "/trades")["trades"] + live_bot.ok("GET", "/status")
    filled = [o for t in every_trade for o in t["orders"] if o["status"] == "closed"]
    assert profit["trading_volume"] == pytest.approx(sum(o["cost"] for o in filled), rel=1e-12)
    performance = live_bot.ok("GET", "/performance")
    assert "ETH/BTC" in {row["pair"] for row in performance}
    assert "force_entry" in {row["enter_tag"] for row in live_bot.ok("GET", "/entries")}
    assert "force_exit" in {row["exit_reason"] for row in live_bot.ok("GET", "/exits")}
    assert live_bot.ok("GET", "/mix_tags?pair=ETH/BTC")[0]["mix_tag"] == "force_entry force_exit"
    for unit, rows in (("daily", 30), ("weekly", 4), ("monthly", 3)):
        body = live_bot.ok("GET", f"/{unit}?timescale={rows}")
        assert len(body["data"]) == rows
        assert sum(row["trade_count"] for row in body["data"]) >= 1, unit
    assert "force_exit" in live_bot.ok("GET", "/stats")["exit_reasons"]
    history = live_bot.ok("GET", "/historic_balance")
    assert history["columns"] == ["date", "__date_ts", "total_quote"]
    balance = live_bot.ok("GET", "/balance")
    assert_keys(balance, BALANCE_KEYS)
    assert {"BTC", "LTC"} <= {row["currency"] for row in balance["currencies"]}


def test_trade_actions(live_bot: LiveBot, traded: dict[str, int]) -> None:
    missing = live_bot.get(f"/trades/{traded['open']}/custom-data")
    assert missing.status_code == 404 and "detail" in missing.json()
    reloaded = live_bot.ok("POST", f"/trades/{traded['open']}/reload")
    assert_keys(reloaded, OPEN_TRADE_KEYS)
    no_order = live_bot.delete(f"/trades/{traded['open']}/open-order")
    assert no_order.status_code == 502
    assert no_order.json()["error"].endswith("No open order for trade_id.")
    last = live_bot.ok("GET", "/pair_candles?pair=ADA/BTC&timeframe=5m&limit=1")
    close = last["data"][-1][last["columns"].index("close")]
    waiting = live_bot.ok(  # a limit far below the market: the order rests
        "POST", "/forceenter", json={"pair": "ADA/BTC", "price": close / 2, "ordertype": "limit"}
    )
    assert waiting["has_open_orders"] is True
    cancelled = live_bot.delete(f"/trades/{waiting['trade_id']}/open-order")
    assert cancelled.status_code in (200, 502), cancelled.text  # unfilled sole entry: trade gone
    deleted = live_bot.ok("DELETE", f"/trades/{traded['closed']}")
    assert deleted["result"] == "success" and deleted["trade_id"] == traded["closed"]
    assert live_bot.get(f"/trade/{traded['closed']}").status_code == 404


# -- pairs, locks, candles, strategies ------------------------------------------------------------
def test_pair_lists_and_locks(live_bot: LiveBot) -> None:
    whitelist = live_bot.ok("GET", "/whitelist")
    assert "ETH/BTC" in whitelist["whitelist"] and whitelist["method"] == ["StaticPairList"]
    added = live_bot.ok("POST", "/blacklist", json={"blacklist": ["XMR/BTC"]})
    assert added["blacklist"] == ["XMR/BTC"] and added["errors"] == {}
    assert "XMR/BTC" not in live_bot.ok("GET", "/whitelist")["whitelist"]
    removed = live_bot.ok("DELETE", "/blacklist", params={"pairs_to_delete": ["XMR/BTC"]})
    assert removed["blacklist"] == []
    until = (datetime.now(UTC) + timedelta(days=3650)).isoformat()
    locks = live_bot.ok("POST", "/locks", json=[{"pair": "ZEC/BTC", "until": until, "reason": "t"}])
    lock = next(lock for lock in locks["locks"] if lock["pair"] == "ZEC/BTC")
    assert_keys(lock, LOCK_KEYS_LIST)
    assert lock["lock_end_timestamp"] % 300_000 == 0
    remaining = live_bot.ok("DELETE", f"/locks/{lock['id']}")
    assert "ZEC/BTC" not in {lock["pair"] for lock in remaining["locks"]}
    live_bot.ok("POST", "/locks", json=[{"pair": "ZEC/BTC", "until": until}])
    cleared = live_bot.ok("POST", "/locks/delete", json={"pair": "ZEC/BTC"})
    assert "ZEC/BTC" not in {lock["pair"] for lock in cleared["locks"]}


def test_candles_and_strategies(live_bot: LiveBot) -> None:
    candles = wait_for(
        lambda: (
            (body := live_bot.ok("GET", "/pair_candles?pair=ETH/BTC&timeframe=5m&limit=100"))[
                "length"
            ]
            and body
        ),
        10,
        "analyzed candles",
    )
    assert_keys(candles, PAIR_HISTORY_KEYS)
    assert candles["length"] == 100 and "rsi" in candles["columns"]
    posted = live_bot.ok(
        "POST",
        "/pair_candles",
        json={"pair": "ETH/BTC", "timeframe": "5m", "columns": ["rsi", "enter_tag", "exit_tag"]},
    )
    assert "rsi" in posted["columns"] and "tema" not in posted["columns"]
    history = live_bot.ok(
        "GET",
        "/pair_history",
        params={
            "pair": "ETH/BTC",
            "timeframe": "5m",
            "timerange": "20180112-20180113",
            "strategy": "SampleStrategy",
        },
    )
    assert history["length"] == 288
    assert set(live_bot.ok("GET", "/plot_config")) == {"main_plot", "subplots"}
    assert "SampleStrategy" in live_bot.ok("GET", "/strategies")["strategies"]
    strategy = live_bot.ok("GET", "/strategy/SampleStrategy")
    assert "class SampleStrategy" in strategy["code"]
    assert "ETH/BTC" in live_bot.ok("GET", "/available_pairs")["pairs"]
    assert "ETH/BTC" in live_bot.ok("GET", "/markets?quote=BTC")["markets"]
    edge = live_bot.get("/edge")
    assert edge.status_code == 502 and edge.json()["error"].endswith("Edge is not enabled.")


# -- protection and errors over HTTP ---------------------------------------------------------------
def _route_list(tmp_path: Path) -> list[tuple[str, str]]:
    config = load_config([tmp_path / "config.json"], runmode=RunMode.WEBSERVER).config
    app = create_app(webserver_context(config, LogBuffer()))
    found = []
    for route, path in flat_routes(app):
        if isinstance(route, APIRoute) and path.startswith("/api/v1"):
            concrete = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES[m.group(1)], path)
            found += [(m, concrete) for m in sorted(route.methods - {"HEAD"})]
    return found


def test_every_route_but_ping_and_tokens_refuses_anonymous_callers(live_bot: LiveBot) -> None:
    routes = _route_list(live_bot.log_path.parent)
    assert len(routes) > 50
    for method, path in routes:
        if path.endswith(("/ping", "/token/login", "/token/refresh")):
            continue
        response = live_bot.session.request(method, live_bot.base + path, json={}, timeout=5)
        assert response.status_code == 401, (method, path, response.text)
        assert response.json() == {"detail": "Unauthorized"}


def test_bad_input_is_answered_4xx(live_bot: LiveBot) -> None:
    assert live_bot.get("/trades?limit=0").status_code == 422
    assert live_bot.get("/daily?timescale=abc").status_code == 422
    assert live_bot.post("/forceenter", json={}).status_code == 422
    assert (
        live_bot.post("/locks", json=[{"pair": "X/BTC", "until": "2030-01-01"}]).status_code == 422
    )
    assert live_bot.get("/trade/abc").status_code == 422
    assert live_bot.get("/nothing").status_code == 404
    assert live_bot.post("/status").status_code == 405
    null_body = live_bot.session.get(
        live_bot.url("/status"),
        auth=live_bot.auth,
        data="null",
        headers={"Content-Type": "application/json"},
        timeout=5,
    )
    assert null_body.status_code == 200


def test_the_message_websocket_wants_a_token(live_bot: LiveBot) -> None:
    from websockets.sync import client as websockets

    url = live_bot.base.replace("http://", "ws://") + "/api/v1/message/ws"
    with pytest.raises(Exception, match=r"403|rejected|1008"):
        websockets.connect(url, open_timeout=5).close()
    token = live_bot.ok("POST", "/token/login")["access_token"]
    with websockets.connect(f"{url}?token={token}", open_timeout=5) as connection:
        connection.send('{"type": "whitelist"}')
        assert "whitelist" in connection.recv(timeout=5)


# -- control (last: reload restarts the server) ---------------------------------------------
def test_control_and_reload_keep_the_open_trade(live_bot: LiveBot, traded: dict[str, int]) -> None:
    assert live_bot.ok("POST", "/stop", json={}) == {"status": "stopping trader ..."}
    stopped = live_bot.get("/count")
    assert stopped.status_code == 502 and stopped.json()["error"].endswith("trader is not running")
    assert live_bot.ok("POST", "/start")["status"] == "starting trader ..."
    for path in ("/stopbuy", "/stopentry", "/pause"):
        assert live_bot.ok("POST", path)["status"].startswith("paused, no more entries")
        assert live_bot.ok("GET", "/show_config")["state"] == "paused"
    assert live_bot.ok("POST", "/start")["status"] == "starting trader ..."
    assert live_bot.ok("POST", "/reload_config") == {"status": "Reloading config ..."}

    def back_and_running() -> bool:
        try:
            return live_bot.ok("GET", "/show_config")["state"] == "running"
        except (requests.RequestException, AssertionError):
            return False

    wait_for(back_and_running, 20, "the bot to come back after reload_config")
    assert status_of(live_bot, traded["open"]) is not None
