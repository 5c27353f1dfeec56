"""The real `freqtrade-client` package (unmodified, from PyPI) against a running tradewind bot."""

from __future__ import annotations

from typing import Any

import freqtrade_client  # the real client package: a dev dependency
import pytest

from tests.integration.api.botprocess import LiveBot, wait_for


@pytest.fixture(scope="module")
def client(live_bot: LiveBot) -> Any:
    user, password = live_bot.auth
    return freqtrade_client.FtRestClient(live_bot.base, user, password)


def test_info_commands(client: Any) -> None:
    assert client.ping() == {"status": "pong"}
    assert client.version()["version"]
    config = client.show_config()
    assert config["api_version"] == 2.5 and config["state"] == "running"
    assert config["stake_currency"] == "BTC"
    logs = client.logs(limit=3)
    assert logs["log_count"] == 3 and len(logs["logs"][0]) == 5
    assert set(client.health()) >= {"last_process", "last_process_ts", "bot_start"}
    sysinfo = client.sysinfo()
    assert sysinfo["cpu_count"] >= 1 and 0 <= sysinfo["ram_pct"] <= 100


def test_trading_commands(client: Any) -> None:
    trade = client.forceenter("ETH/BTC", "long", stake_amount=0.02, enter_tag="ft-client")
    assert trade["pair"] == "ETH/BTC" and trade["enter_tag"] == "ft-client"
    trade_id = trade["trade_id"]

    def filled() -> bool:
        return any(
            t["trade_id"] == trade_id and t["nr_of_successful_entries"] for t in client.status()
        )

    wait_for(filled, 20, "the entry to fill")
    count = client.count()
    assert count["current"] >= 1 and count["max"] == 5
    assert client.forceexit(str(trade_id)) == {
        "result": f"Created exit order for trade {trade_id}."
    }

    def closed() -> bool:
        return any(t["trade_id"] == trade_id for t in client.trades()["trades"])

    wait_for(closed, 20, "the trade to close")
    trades = client.trades()
    assert trades["total_trades"] == trades["trades_count"] >= 1
    profit = client.profit()
    assert profit["closed_trade_count"] >= 1 and isinstance(profit["profit_all_coin"], float)
    assert "ETH/BTC" in {row["pair"] for row in client.performance()}
    daily = client.daily()
    assert len(daily["data"]) == 7 and sum(row["trade_count"] for row in daily["data"]) >= 1
    balance = client.balance()
    assert balance["stake"] == "BTC" and balance["currencies"]


def test_pair_commands(client: Any) -> None:
    whitelist = client.whitelist()
    assert "ETH/BTC" in whitelist["whitelist"]
    assert client.blacklist()["blacklist"] == []
    added = client.blacklist("XMR/BTC", "ZEC/BTC")
    assert added["blacklist"] == ["XMR/BTC", "ZEC/BTC"] and added["errors"] == {}
    assert set(client.locks()) == {"lock_count", "locks"}
    locked = client.lock_add("TRX/BTC", "2030-01-01T00:00:00Z", reason="ft-client")
    assert "TRX/BTC" in {lock["pair"] for lock in locked["locks"]}
