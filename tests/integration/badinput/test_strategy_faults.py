"""A strategy failing in each of its methods and callbacks in turn, and returning malformed
dataframes, while the bot trades (app.build with a manual clock, 15 candles).

Every pair fails in its own way (tests/fixtures/strategies/faulty_strategy.py), so one bot
shows all of it at once: a populate error or a malformed frame skips that pair — it never
trades — while the healthy pairs trade; a callback error falls back to the documented default
and the pair trades as if nothing happened; each failure is logged once, naming the pair and
the problem, with at most one traceback, and the bot is still running at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.botconfig import REPO
from tests.unit.api.harness import BotApi, running_bot

FIXTURES = REPO / "tests" / "fixtures" / "strategies"
CANDLES = 15
STAKE = 0.05


@pytest.fixture
def faulty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> Iterator[BotApi]:
    faults: dict[str, str] = request.param
    monkeypatch.setenv("TRADEWIND_TEST_FAULTS", ",".join(f"{p}:{f}" for p, f in faults.items()))
    with running_bot(
        tmp_path,
        strategy="FaultyStrategy",
        strategy_path=str(FIXTURES),
        max_open_trades=10,
        stake_amount=STAKE,
    ) as bot:
        bot.tick(CANDLES)
        yield bot


def _trades(bot: BotApi) -> list[dict[str, Any]]:
    closed = bot.ok("GET", "/api/v1/trades?limit=500")["trades"]
    return [*closed, *bot.ok("GET", "/api/v1/status")]


def _records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The bot logged in the fixture (start-up and ticks) and in the test."""
    return caplog.get_records("setup") + caplog.get_records("call")


def _reports(caplog: pytest.LogCaptureFixture, *needles: str) -> list[logging.LogRecord]:
    return [
        record
        for record in _records(caplog)
        if record.levelno >= logging.WARNING
        and all(needle in record.getMessage() for needle in needles)
    ]


ANALYSIS_FAULTS = {
    "ETH/BTC": "populate_indicators",
    "LTC/BTC": "populate_entry_trend",
    "ADA/BTC": "populate_exit_trend",
    "XLM/BTC": "return_none",
    "XMR/BTC": "drop_last_row",
    "ZEC/BTC": "change_last_close",
    "DASH/BTC": "drop_date",
}
PROBLEMS = {
    "populate_indicators": "populate_indicators raised RuntimeError: deliberate failure",
    "populate_entry_trend": "populate_entry_trend raised RuntimeError: deliberate failure",
    "populate_exit_trend": "populate_exit_trend raised RuntimeError: deliberate failure",
    "return_none": "populate_indicators returned None instead of a DataFrame",
    "drop_last_row": "mismatching length",
    "change_last_close": "mismatching last close price",
    "drop_date": "mismatching last date (the date column is missing)",
}
HEALTHY = {"ETC/BTC", "NXT/BTC", "TRX/BTC"}


@pytest.mark.parametrize("faulty", [ANALYSIS_FAULTS], indirect=True)
def test_an_analysis_failure_skips_only_that_pair_and_is_logged_once(
    faulty: BotApi, caplog: pytest.LogCaptureFixture
) -> None:
    traded = {trade["pair"] for trade in _trades(faulty)}
    assert traded == HEALTHY  # every healthy pair traded, no failing one ever did
    for pair, fault in ANALYSIS_FAULTS.items():
        reports = _reports(caplog, f"Strategy error on {pair}, skipping it", PROBLEMS[fault])
        assert len(reports) == 1, (pair, fault, [r.getMessage() for r in reports])
        assert reports[0].exc_info is None
    assert len(_reports(caplog, "Strategy error on")) == len(ANALYSIS_FAULTS)  # no repeats
    assert faulty.ok("GET", "/api/v1/show_config")["state"] == "running"
    assert faulty.ok("GET", "/api/v1/health")["last_process"]


CALLBACK_FAULTS = {
    "*": "bot_loop_start",
    "LTC/BTC": "custom_stoploss",
    "XLM/BTC": "custom_exit",
    "ADA/BTC": "confirm_trade_entry",
    "ETC/BTC": "confirm_trade_exit",
    "XMR/BTC": "custom_stake_amount",
    "ZEC/BTC": "custom_entry_price",
    "DASH/BTC": "custom_exit_price",
    "NXT/BTC": "order_filled",
}


@pytest.mark.parametrize("faulty", [CALLBACK_FAULTS], indirect=True)
def test_a_failing_callback_falls_back_to_its_default_and_is_reported_once(
    faulty: BotApi, caplog: pytest.LogCaptureFixture
) -> None:
    trades = _trades(faulty)
    closed = {trade["pair"] for trade in trades if not trade["is_open"]}
    # the defaults (keep the stop, no custom exit, confirm, proposed stake and prices, …)
    # let every pair trade in and out as the healthy ones do
    assert closed == {pair for pair in CALLBACK_FAULTS if pair != "*"} | {"ETH/BTC", "TRX/BTC"}
    for trade in trades:
        if trade["nr_of_successful_entries"]:  # an unfilled entry has no stake yet
            assert trade["stake_amount"] == pytest.approx(STAKE, rel=0.02), trade["pair"]
    for pair, callback in CALLBACK_FAULTS.items():
        reports = _reports(caplog, f"FaultyStrategy.{callback} for {pair}: raised RuntimeError")
        assert len(reports) == 1, (pair, callback, len(reports))
        assert "using the default (reported once)" in reports[0].getMessage()
        assert reports[0].levelno == logging.ERROR
    tracebacks = [record for record in _records(caplog) if record.exc_info]
    assert len(tracebacks) == len(CALLBACK_FAULTS)  # one each, never one per call
    assert faulty.ok("GET", "/api/v1/show_config")["state"] == "running"
