"""A running bot whose data directory holds corrupt candle files that only ``/pair_history``
reads (the replay files the simulated exchange trades on are intact; corrupt ones stop the start,
see test_bad_starts.py), and whose config has a misspelt key.

The bot starts and trades; the misspelt key is one warning naming its path and the likely
intended key; each corrupt file answers 502 ``{"detail"}`` naming the file and what is wrong
with it, over real HTTP, and nothing is logged as an unexpected error.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.botconfig import SHARED_OHLCV
from tests.integration.api.botprocess import LiveBot
from tests.integration.security.launch import started_bot

HISTORY = {"timeframe": "5m", "timerange": "20180112-20180113", "strategy": "SampleStrategy"}
TRUNCATED = b"[[1515715200000, 0.09, 0.091, 0.089, 0.0905, 12.5], [15157"
CORRUPT = {
    "ETH/BTC": ("ETH_BTC-5m.json", TRUNCATED, "cannot read json data"),
    "LTC/BTC": ("LTC_BTC-5m.json", b"[[1515715200000, 0.017, 0.018]]", "array of 6 numbers"),
    "ADA/BTC": ("ADA_BTC-5m.json", b'{"not": "rows"}', "expected a JSON array"),
    "XLM/BTC": ("XLM_BTC-5m.json", b"\x1f\x8b\x08garbage", "cannot read json data"),
}
"""pair → (file, content, what the 502 must say besides the file name)"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    tmp = tmp_path_factory.mktemp("bad-data")
    datadir = tmp / "data"
    shutil.copytree(SHARED_OHLCV, datadir)  # the replay files (feather) stay intact
    for name, content, _ in CORRUPT.values():
        (datadir / name).write_bytes(content)
    good = b"[[1515715200000, 0.0031, 0.0032, 0.0030, 0.00315, 99.0]]"
    (datadir / "TRX_BTC-5m.json").write_bytes(good)
    with started_bot(
        tmp,
        datadir=str(datadir),
        dataformat_ohlcv="json",
        max_open_trade=3,  # misspelt: max_open_trades
    ) as bot:
        yield bot


def test_a_misspelt_key_is_one_warning_naming_it_and_the_bot_runs(bot: LiveBot) -> None:
    warnings = [line for line in bot.log().splitlines() if "max_open_trade" in line]
    assert len(warnings) == 1 and " WARNING " in warnings[0], warnings
    assert "max_open_trades" in warnings[0]  # the suggestion
    assert bot.ok("GET", "/show_config")["state"] == "running"


@pytest.mark.parametrize("pair", sorted(CORRUPT))
def test_a_corrupt_history_file_is_a_502_naming_it(bot: LiveBot, pair: str) -> None:
    name, _, problem = CORRUPT[pair]
    answer = bot.get("/pair_history", params={"pair": pair, **HISTORY})
    assert answer.status_code == 502, answer.text
    detail = answer.json()["detail"]
    assert name in detail and problem in detail, detail
    assert list(answer.json()) == ["detail"]


def test_the_bot_keeps_answering_and_logged_no_unexpected_error(bot: LiveBot) -> None:
    fine = bot.ok("GET", "/pair_history", params={"pair": "TRX/BTC", **HISTORY})
    assert fine["length"] == 1
    assert {"ETH/BTC", "TRX/BTC"} <= set(bot.ok("GET", "/available_pairs")["pairs"])
    assert bot.ok("GET", "/pair_candles?pair=ETH/BTC&timeframe=5m&limit=2")["pair"] == "ETH/BTC"
    log = bot.log()
    assert "Unexpected error" not in log and "Traceback" not in log
