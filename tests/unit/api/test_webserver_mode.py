"""`tradewind webserver`: the API without a trading bot (rest-api.md §0.3, §12; decisions 3),
and the API version the app reports for the routes it serves (decisions.md item 1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.botconfig import bot_config
from tests.spec_shapes import PAIR_HISTORY_KEYS, SHOW_CONFIG_KEYS, assert_keys
from tests.unit.api.harness import FULL
from tradewind.api.app import API_VERSION_FEATURES, api_version_for, create_app, flat_routes
from tradewind.cli.webserver import webserver_context
from tradewind.config import load_config
from tradewind.domain.enums import RunMode
from tradewind.logs import LogBuffer

V1 = "/api/v1"
TRADE_ONLY = [
    ("POST", "/start"),
    ("POST", "/forcebuy"),
    ("GET", "/status"),
    ("GET", "/trades"),
    ("GET", "/profit"),
    ("GET", "/daily"),
    ("GET", "/whitelist"),
    ("GET", "/locks"),
    ("GET", "/pair_candles?pair=ETH/BTC&timeframe=5m"),
    ("GET", "/balance"),
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    config = bot_config(tmp_path_factory.mktemp("webserver"))
    loaded = load_config(None, base=config, runmode=RunMode.WEBSERVER)
    context = webserver_context(loaded.config, LogBuffer())
    with TestClient(create_app(context)) as client:
        yield client
    context.db.dispose()


@pytest.mark.parametrize(("method", "path"), TRADE_ONLY)
def test_trade_only_routes_answer_503_after_authentication(
    client: TestClient, method: str, path: str
) -> None:
    assert client.request(method, V1 + path, json={}).status_code == 401
    response = client.request(method, V1 + path, headers=FULL, json={})
    assert response.status_code == 503
    assert response.json() == {"detail": "Bot is not in the correct state."}


def test_routes_needing_the_bot_answer_502_without_the_period(client: TestClient) -> None:
    response = client.get(f"{V1}/health", headers=FULL)
    assert response.status_code == 502
    assert response.json() == {
        "error": "Error querying /api/v1/health: Bot is not in the correct state"
    }


def test_show_config_reports_webserver_mode(client: TestClient) -> None:
    body = client.get(f"{V1}/show_config", headers=FULL).json()
    assert_keys(body, SHOW_CONFIG_KEYS)
    assert body["runmode"] == "webserver" and body["state"] == ""
    assert body["strategy_version"] is None


def test_browsing_routes_work_without_a_bot(client: TestClient) -> None:
    strategies = client.get(f"{V1}/strategies", headers=FULL).json()["strategies"]
    assert "SampleStrategy" in strategies
    strategy = client.get(f"{V1}/strategy/SampleStrategy", headers=FULL).json()
    assert strategy["timeframe"] == "5m" and strategy["params"]
    missing = client.get(f"{V1}/strategy/NoSuchStrategy", headers=FULL)
    assert missing.status_code == 404 and missing.json() == {"detail": "Strategy not found"}
    pairs = client.get(f"{V1}/available_pairs", headers=FULL).json()
    assert "ETH/BTC" in pairs["pairs"]
    plot = client.get(f"{V1}/plot_config?strategy=SampleStrategy", headers=FULL)
    assert plot.status_code == 200
    history = client.get(
        f"{V1}/pair_history?pair=ETH/BTC&timeframe=5m&timerange=20180112-20180113"
        "&strategy=SampleStrategy",
        headers=FULL,
    )
    assert_keys(history.json(), PAIR_HISTORY_KEYS)
    assert history.json()["length"] == 288


def test_plot_config_without_strategy_is_refused_in_webserver_mode(client: TestClient) -> None:
    response = client.get(f"{V1}/plot_config", headers=FULL)
    assert response.json() == {
        "error": "Error querying /api/v1/plot_config: Strategy is mandatory in webserver mode."
    }


def test_pairlists_available_lists_the_implemented_handlers(client: TestClient) -> None:
    body = client.get(f"{V1}/pairlists/available", headers=FULL).json()
    names = [entry["name"] for entry in body["pairlists"]]
    assert "StaticPairList" in names
    for entry in body["pairlists"]:
        assert_keys(entry, ["name", "description", "is_pairlist_generator", "params"])


# -- API version ----------------------------------------------------------------------------------
def test_the_full_app_reports_2_5(client: TestClient) -> None:
    assert isinstance(client.app, FastAPI)
    assert api_version_for(client.app) == 2.5


def test_a_missing_feature_caps_the_version_below_it(client: TestClient) -> None:
    assert isinstance(client.app, FastAPI)
    served = {
        (method, path.removeprefix(V1))
        for route, path in flat_routes(client.app)
        if isinstance(route, APIRoute)
        for method in route.methods
    }
    for version, needed in API_VERSION_FEATURES:
        assert all(endpoint in served or endpoint[0] == "WS" for endpoint in needed), version

    app = FastAPI()

    async def handler() -> None:
        return None

    for method, path in [("DELETE", "/blacklist"), ("POST", "/forcesell"), ("POST", "/forcebuy")]:
        app.add_api_route(V1 + path, handler, methods=[method])
    assert api_version_for(app) == 2.13  # /daily (2.16) missing: stays at forceEnterShort
    app.add_api_route(f"{V1}/daily", handler, methods=["GET"])
    assert api_version_for(app) == 2.17  # the WebSocket (2.2) is missing


def test_the_app_is_built_without_the_lead_registering_a_ws_module(tmp_path: Path) -> None:
    config = bot_config(tmp_path)
    loaded = load_config(None, base=config, runmode=RunMode.WEBSERVER)
    app = create_app(webserver_context(loaded.config, LogBuffer()))
    ws_paths = [path for _, path in flat_routes(app) if path.endswith("/message/ws")]
    assert ws_paths == ["/api/v1/message/ws"]
