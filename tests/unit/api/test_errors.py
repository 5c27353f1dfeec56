"""Error bodies and status codes exactly as rest-api.md §0.3 gives them, and no route answering
500 to bad input."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator

import pytest
from fastapi.routing import APIRoute

from tests.unit.api.harness import FULL, BotApi, running_bot
from tradewind.api.app import flat_routes

V1 = "/api/v1"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotApi]:
    with running_bot(tmp_path_factory.mktemp("errors")) as bot:
        bot.force_enter("ETH/BTC")
        yield bot


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v1/start", "/api/v1/status/", "/api/v2/status", "/api"]
)
def test_get_on_unknown_or_post_only_api_paths_is_404_not_found(bot: BotApi, path: str) -> None:
    response = bot.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


@pytest.mark.parametrize(("method", "path"), [("POST", "/status"), ("POST", "/nothing")])
def test_other_methods_on_get_only_or_absent_paths_are_405(
    bot: BotApi, method: str, path: str
) -> None:
    response = bot.request(method, V1 + path)
    assert response.status_code == 405
    assert response.json() == {"detail": "Method Not Allowed"}
    assert "GET" in response.headers["allow"]


def test_missing_body_field_is_422_with_pydantic_errors(bot: BotApi) -> None:
    response = bot.post(f"{V1}/forceenter", json={})
    assert response.status_code == 422
    assert response.json() == {
        "detail": [
            {"type": "missing", "loc": ["body", "pair"], "msg": "Field required", "input": {}}
        ]
    }


def test_malformed_json_is_422_json_invalid(bot: BotApi) -> None:
    response = bot.post(
        f"{V1}/forceenter",
        content=b"{not json",
        headers={**FULL, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    (problem,) = response.json()["detail"]
    assert problem["type"] == "json_invalid" and problem["loc"][0] == "body"


@pytest.mark.parametrize(
    "query",
    [
        "/trades?limit=0",
        "/trades?limit=abc",
        "/trades?offset=-1",
        "/daily?timescale=0",
        "/weekly?timescale=x",
        "/trade/abc",
        "/pair_candles?pair=ETH/BTC",
        "/pair_history?pair=ETH/BTC&timeframe=5m&timerange=20180112-&strategy=a:b",
        "/strategy/a:b",
        "/trades/open/custom-data?limit=0",
    ],
)
def test_bad_parameters_are_422(bot: BotApi, query: str) -> None:
    response = bot.get(V1 + query)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list)


def test_base64_strategy_names_are_refused_with_the_spec_message(bot: BotApi) -> None:
    response = bot.get(f"{V1}/strategy/a:b")
    assert "base64 encoded strategies are not allowed." in response.json()["detail"][0]["msg"]


def test_numeric_strings_are_accepted_in_bodies(bot: BotApi) -> None:
    response = bot.post(f"{V1}/forceexit", json={"tradeid": "999", "amount": "1.5", "price": "2"})
    assert response.json() == {"error": "Error querying /api/v1/forceexit: invalid argument"}


def test_json_null_bodies_on_get_delete_and_bodiless_posts_are_ignored(bot: BotApi) -> None:
    null = {**FULL, "Content-Type": "application/json"}
    assert bot.request("GET", f"{V1}/status", headers=null, content=b"null").status_code == 200
    assert bot.request("GET", f"{V1}/count", headers=null, content=b"null").status_code == 200
    lock = bot.request("DELETE", f"{V1}/locks/4242", headers=null, content=b"null")
    assert lock.status_code == 200
    assert bot.request("POST", f"{V1}/start", headers=null, content=b"null").status_code == 200


def test_bot_logic_errors_are_502_with_error_and_the_path_without_query(bot: BotApi) -> None:
    response = bot.delete(f"{V1}/trades/424242?x=1")
    assert response.status_code == 502
    assert response.json() == {
        "error": "Error querying /api/v1/trades/424242: Trade with id '424242' not found."
    }


def test_explicit_not_found_is_404_with_detail(bot: BotApi) -> None:
    response = bot.get(f"{V1}/trade/424242")
    assert response.status_code == 404 and response.json() == {"detail": "Trade not found."}


BAD_BODIES: list[object] = [None, [], "text", 12, {"pair": 1}, {"tradeid": {"a": 1}}, {"x": "y"}]
BAD_QUERY = "?limit=-5&offset=x&timescale=-1&pair=&timeframe=&strategy=&key=&pairs_to_delete="
PATH_VALUES = {"tradeid": "0", "trade_id": "-3", "lockid": "abc", "strategy": "Nope"}


def _concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: PATH_VALUES.get(m.group(1), "x"), path)


def test_no_route_answers_500_to_bad_input(bot: BotApi, caplog: pytest.LogCaptureFixture) -> None:
    checked = 0
    for route, path in flat_routes(bot.app):
        if not isinstance(route, APIRoute) or not path.startswith(V1):
            continue
        if path.endswith(("/reload_config", "/stop", "/stopbuy", "/stopentry", "/pause")):
            continue  # valid requests whatever the body: they would change the bot's state
        for method in sorted(route.methods - {"HEAD"}):
            url = _concrete(path) + BAD_QUERY
            for body in BAD_BODIES:
                response = bot.request(method, url, json=body)
                assert response.status_code != 500, (method, url, body, response.text)
                assert response.status_code < 500 or response.status_code in (502, 503)
                checked += 1
    assert checked > 300
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_non_finite_numbers_in_bodies_are_refused_not_crashed(bot: BotApi) -> None:
    headers = {**FULL, "Content-Type": "application/json"}
    for body in (
        b'{"pair": "LTC/BTC", "price": NaN}',
        b'{"pair": "LTC/BTC", "stakeamount": Infinity}',
        b'{"tradeid": "1", "amount": NaN}',
    ):
        path = f"{V1}/forceexit" if b"tradeid" in body else f"{V1}/forceenter"
        response = bot.request("POST", path, headers=headers, content=body)
        assert response.status_code in (422, 502), (body, response.text)


def test_an_unexpected_exception_is_a_logged_plain_500(
    bot: BotApi, caplog: pytest.LogCaptureFixture
) -> None:
    async def boom() -> None:
        raise RuntimeError("a bug")

    bot.app.add_api_route(f"{V1}/test-boom", boom, methods=["POST"])
    with caplog.at_level(logging.ERROR, logger="tradewind.api.errors"):
        response = bot.post(f"{V1}/test-boom")
    assert response.status_code == 500 and response.text == "Internal Server Error"
    assert "a bug" in caplog.text
