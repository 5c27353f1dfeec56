"""The `tradewind` command's subcommands, run in-process through `main`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.botconfig import TEST_PASSWORD, bot_config, write_config
from tradewind.cli import main
from tradewind.config import load_config


def test_new_config_writes_a_config_that_loads_with_fresh_secrets(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["new-config", "-c", str(first)]) == 0
    printed = capsys.readouterr().out
    assert main(["new-config", "-c", str(second), "--stake-currency", "ETH"]) == 0
    a = load_config([first]).config
    b = load_config([second]).config
    assert a.exchange.name == "simulated" and a.dry_run
    assert a.api_server is not None and b.api_server is not None
    assert a.api_server.password != b.api_server.password
    assert len(a.api_server.jwt_secret_key) == 64
    assert a.api_server.password in printed  # shown once, on creation
    assert b.stake_currency == "ETH"


def test_new_config_refuses_to_overwrite(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "config.json"
    path.write_text("{}")
    assert main(["new-config", "-c", str(path)]) == 1
    assert "exists" in capsys.readouterr().err
    assert path.read_text() == "{}"


def test_show_config_masks_every_secret(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = bot_config(tmp_path)
    config["exchange"]["key"] = "exchange-key-value"
    config["exchange"]["secret"] = "exchange-secret-value"
    path = write_config(tmp_path / "config.json", config)
    assert main(["show-config", "-c", str(path)]) == 0
    out = capsys.readouterr().out
    shown = json.loads(out)
    assert shown["stake_currency"] == "BTC"
    api = config["api_server"]
    secrets = (TEST_PASSWORD, "exchange-key-value", "exchange-secret-value",
               api["jwt_secret_key"], api["ws_token"])  # fmt: skip
    for secret in secrets:
        assert secret not in out


def test_create_userdir_and_list_strategies(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    userdir = tmp_path / "user_data"
    assert main(["create-userdir", "--userdir", str(userdir)]) == 0
    for name in ("strategies", "data", "logs"):
        assert (userdir / name).is_dir()
    (userdir / "strategies" / "mine.py").write_text(
        "from tradewind.strategy import IStrategy\n\n"
        "class MyStrategy(IStrategy):\n    timeframe = '5m'\n    stoploss = -0.1\n\n"
        "    def populate_indicators(self, dataframe, metadata):\n        return dataframe\n"
    )
    path = write_config(tmp_path / "config.json", bot_config(tmp_path, user_data_dir=str(userdir)))
    capsys.readouterr()
    assert main(["list-strategies", "-c", str(path)]) == 0
    names = capsys.readouterr().out.split()
    assert {"MyStrategy", "SampleStrategy", "LeaderStrategy", "FollowerStrategy"} <= set(names)


def test_bad_config_stops_with_one_clear_message(tmp_path: Path) -> None:
    config = bot_config(tmp_path)
    config["exchange"]["pair_whitelist"] = ["ETH/BTC", "LTC/BTC", "BTCUSDT"]
    config["max_open_trades"] = "three"
    path = write_config(tmp_path / "config.json", config)
    result = subprocess.run(
        [sys.executable, "-m", "tradewind", "trade", "-c", str(path)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "exchange.pair_whitelist[2]: 'BTCUSDT' is not a pair (expected BASE/QUOTE)" in (
        result.stderr
    )
    assert "max_open_trades" in result.stderr
    assert "Traceback" not in result.stderr
    assert TEST_PASSWORD not in result.stderr + result.stdout


def test_unknown_strategy_names_the_searched_places(tmp_path: Path) -> None:
    path = write_config(tmp_path / "config.json", bot_config(tmp_path, strategy="NoSuchStrategy"))
    result = subprocess.run(
        [sys.executable, "-m", "tradewind", "trade", "-c", str(path)],
        capture_output=True, text=True, timeout=60, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "NoSuchStrategy" in result.stderr and "SampleStrategy" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_trades_lists_open_and_closed_trades(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import timedelta

    from tests.factories import T0, fill, make_order, make_trade
    from tradewind.persistence.database import Database
    from tradewind.persistence.repositories import TradeRepository

    config = bot_config(tmp_path)
    db = Database(config["db_url"])
    db.migrate()
    closed = make_trade("ETH/BTC", rate="0.05", amount="2")
    fill(make_order(closed, amount="2", price="0.05"), closed)
    fill(
        make_order(closed, "sell", amount="2", price="0.051", when=T0 + timedelta(hours=1)), closed
    )
    still_open = make_trade("LTC/BTC", rate="0.017", amount="3")
    fill(make_order(still_open, amount="3", price="0.017"), still_open)
    with db.transaction() as session:
        TradeRepository(session).add(closed)
        TradeRepository(session).add(still_open)
    db.dispose()
    path = write_config(tmp_path / "config.json", config)
    assert main(["show-trades", "-c", str(path), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["pair"], r["open"]) for r in rows] == [("ETH/BTC", False), ("LTC/BTC", True)]
    assert rows[0]["profit_abs"] == f"{closed.close_profit_abs:.8f}"
    assert main(["show-trades", "-c", str(path), "--open", "--json"]) == 0
    assert [r["pair"] for r in json.loads(capsys.readouterr().out)] == ["LTC/BTC"]
    assert main(["show-trades", "-c", str(path)]) == 0
    assert "Trades in" in capsys.readouterr().out
