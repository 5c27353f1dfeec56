"""Regression tests of what the API fuzzing found (each answered 500 or stalled the bot before),
and of the error answers the OpenAPI document now declares. In process (app.build, manual clock):
the behaviour is the app's, the transport does not matter here."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.unit.api.harness import FULL, BotApi, running_bot

V1 = "/api/v1"
HUGE = 2**70  # beyond SQLite's and orjson's 64 bits
HUGE_TEXT = str(HUGE)


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotApi]:
    with running_bot(tmp_path_factory.mktemp("hardening")) as bot:
        bot.force_enter("ETH/BTC")
        yield bot


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/forceexit", {"amount": HUGE}),
        ("/blacklist", {"pairs": [HUGE, {"n": -HUGE}]}),
        ("/locks", [{"pair": "ETH/BTC", "until": HUGE}]),
    ],
)
def test_a_422_echoing_integers_beyond_64_bits_writes_them_as_text(
    bot: BotApi, path: str, body: object
) -> None:
    answer = bot.post(V1 + path, json=body)
    assert answer.status_code == 422, answer.text
    assert HUGE_TEXT in answer.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/trade/{n}"),
        ("DELETE", "/trades/{n}"),
        ("DELETE", "/trades/{n}/open-order"),
        ("POST", "/trades/{n}/reload"),
        ("GET", "/trades/{n}/custom-data"),
        ("DELETE", "/locks/{n}"),
        ("GET", "/trades?limit={n}"),
        ("GET", "/trades?offset={n}"),
    ],
)
def test_ids_and_pages_beyond_64_bits_are_refused_before_the_database(
    bot: BotApi, method: str, path: str
) -> None:
    for n in (HUGE, -HUGE, 2**63):
        answer = bot.request(method, V1 + path.format(n=n))
        assert answer.status_code == 422, (method, path, n, answer.text)
    largest = bot.request(method, V1 + path.format(n=2**63 - 1))
    assert largest.status_code in (200, 404, 502), largest.text  # reaches the bot, no 500


def test_a_lock_id_beyond_64_bits_in_a_body_is_refused(bot: BotApi) -> None:
    assert bot.post(f"{V1}/locks/delete", json={"lockid": HUGE}).status_code == 422
    assert bot.post(f"{V1}/locks/delete", json={"lockid": 2**63 - 1}).status_code == 200


@pytest.mark.parametrize("unit", ["daily", "weekly", "monthly"])
def test_a_period_breakdown_is_capped_at_3660_periods(bot: BotApi, unit: str) -> None:
    refused = bot.get(f"{V1}/{unit}?timescale=3661")
    assert refused.status_code == 422
    assert "3660" in refused.json()["detail"][0]["msg"]
    started = time.perf_counter()
    longest = bot.ok("GET", f"{V1}/{unit}?timescale=3660")
    assert len(longest["data"]) <= 3660
    assert time.perf_counter() - started < 5  # was 6-12 s for 800 000 days, loop stalled


def test_the_openapi_document_declares_every_error_answer_and_the_security(bot: BotApi) -> None:
    document = bot.client.get("/openapi.json", headers=FULL).json()
    assert set(document["components"]["securitySchemes"]) == {"HTTPBasic", "HTTPBearer"}
    operations = {
        (method.upper(), path): operation
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    for (method, path), operation in operations.items():
        codes = set(operation["responses"])
        if path.endswith("/ping"):
            assert "security" not in operation and codes == {"200"}
            continue
        assert {"401"} <= codes and operation["security"], (method, path)
        if not path.endswith(("/token/login", "/token/refresh")):
            assert {"429", "502"} <= codes, (method, path)
    assert "403" in operations[("POST", f"{V1}/forceenter")]["responses"]
    assert "403" not in operations[("GET", f"{V1}/status")]["responses"]
    assert "503" in operations[("GET", f"{V1}/status")]["responses"]
    assert "404" in operations[("GET", f"{V1}/trade/{{tradeid}}")]["responses"]
    history_502 = operations[("GET", f"{V1}/pair_history")]["responses"]["502"]
    schema = history_502["content"]["application/json"]["schema"]
    assert {ref["$ref"].rsplit("/", 1)[1] for ref in schema["anyOf"]} == {"BotError", "ErrorDetail"}
