"""Schemathesis fuzzes every operation of a running bot's OpenAPI schema over real HTTP.

A bounded, deterministic run (3 positive + 3 negative cases per operation, one reload each way):
no 500, no undocumented 5xx, every status declared and every body matching its declared model —
also for the state-changing routes (stop, pause, delete, force exit, reload_config), which run
last on this bot of its own. Afterwards the bot still answers. ``bench/fuzz.py`` is the big run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis

from tests.integration.api.botprocess import LiveBot, wait_for
from tests.integration.security.fuzzing import Fuzzer, basic_header, fetch_openapi, load_schema
from tests.integration.security.launch import started_bot

EXAMPLES = 3


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    """A bot with the OpenAPI schema on, two filled trades and a lock to find."""
    with started_bot(
        tmp_path_factory.mktemp("fuzzed-bot"), api_server={"enable_openapi": True}
    ) as bot:
        for pair in ("ETH/BTC", "LTC/BTC"):
            trade = bot.ok("POST", "/forceenter", json={"pair": pair})
            wait_for(
                lambda t=trade["trade_id"]: bot.ok("GET", f"/trade/{t}")[
                    "nr_of_successful_entries"
                ],
                20,
                f"the {pair} entry to fill",
            )
        bot.ok("POST", "/locks", json=[{"pair": "XLM/BTC", "until": "2099-01-01T00:00:00Z"}])
        yield bot


def _fuzzer(bot: LiveBot) -> Fuzzer:
    return Fuzzer(bot.base, basic_header(*bot.auth), EXAMPLES)


def test_the_checks_catch_an_answer_that_is_off_its_schema(bot: LiveBot) -> None:
    """The negative control: the same checks, against a schema that no longer fits."""
    wrong = fetch_openapi(bot.base)
    wrong["components"]["schemas"]["Version"]["required"].append("not_sent")
    del wrong["paths"]["/api/v1/edge"]["get"]["responses"]["502"]

    report = _fuzzer(bot).run(
        schemathesis.openapi.from_dict(wrong),
        select=lambda label: label in {"GET /api/v1/version", "GET /api/v1/edge"},
    )

    kinds = {(label, kind.split(":")[0]) for label, kind in report.failures}
    assert kinds == {
        ("GET /api/v1/version", "JsonSchemaError"),
        ("GET /api/v1/edge", "UndefinedStatusCode"),
    }


def test_every_operation_answers_as_its_schema_declares_and_never_500(
    bot: LiveBot, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = load_schema(bot.base)

    report = _fuzzer(bot).run(schema)

    with capsys.disabled():
        print("\n" + report.summary())
    assert not report.failures, report.summary()
    operations = {result.ok().label for result in schema.get_all_operations()}
    assert set(report.cases) == operations and len(operations) > 55
    assert report.total >= 300
    mutating = [label for label in report.cases if label.split()[0] in {"POST", "DELETE"}]
    assert len(mutating) >= 20 and all(report.cases[label] >= 1 for label in mutating)
    # still alive and sane after being stopped, paused, restarted and reloaded
    assert bot.process.poll() is None
    assert bot.ok("GET", "/show_config")["state"] in {"running", "paused", "stopped"}
    assert bot.ok("POST", "/start")["status"]
    assert "Unexpected error answering" not in bot.log()
    assert "Traceback" not in bot.log()
