"""`tradewind webserver` as a process: data and strategies to browse, no trading routes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.api.botprocess import LiveBot, bot_process


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    workdir = tmp_path_factory.mktemp("webserver")
    with bot_process(workdir, command="webserver", verbosity="error") as server:
        yield server


def test_browsing_answers_and_trading_is_refused(webserver: LiveBot) -> None:
    config = webserver.ok("GET", "/show_config")
    assert (config["runmode"], config["state"]) == ("webserver", "")
    assert "SampleStrategy" in webserver.ok("GET", "/strategies")["strategies"]
    assert "ETH/BTC" in webserver.ok("GET", "/available_pairs")["pairs"]
    history = webserver.ok(
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
    assert webserver.ok("GET", "/plot_config?strategy=SampleStrategy") is not None
    assert webserver.ok("GET", "/pairlists/available")["pairlists"]
    for path in ("/status", "/profit", "/whitelist"):
        response = webserver.get(path)
        assert response.status_code == 503
        assert response.json() == {"detail": "Bot is not in the correct state."}
    assert webserver.post("/forceenter", json={"pair": "ETH/BTC"}).status_code == 503


def test_the_process_has_no_trading_database(webserver: LiveBot) -> None:
    workdir = webserver.log_path.parent
    assert not list(workdir.glob("*.sqlite"))
    assert "webserver mode" in webserver.log()
    assert '"GET /api/v1/' not in webserver.log()  # verbosity "error": no access log
