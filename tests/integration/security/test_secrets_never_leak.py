"""No secret of the config — API password, read-only password, JWT secret, ws_token, exchange key
and secret — nor an issued token shows up in anything the running bot says: ``/show_config``,
``/logs``, error bodies, any other read answer, or its console log. The bot is provoked first:
failed logins, tokens and the password in request URLs (the access log is on), WebSocket
connects with tokens in their URL, bot-logic and validation errors, a config reload."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.botconfig import TEST_JWT_SECRET, TEST_PASSWORD, TEST_WS_TOKEN
from tests.integration.api.botprocess import LiveBot, wait_for
from tests.integration.security.launch import READONLY_PASSWORD, READONLY_USER, started_bot

EXCHANGE_KEY = "exchange-api-key-6f1d2c3b4a"
EXCHANGE_SECRET = "exchange-api-secret-9e8d7c6b5a"
SECRETS = {
    "api password": TEST_PASSWORD,
    "read-only password": READONLY_PASSWORD,
    "jwt secret": TEST_JWT_SECRET,
    "ws_token": TEST_WS_TOKEN,
    "exchange key": EXCHANGE_KEY,
    "exchange secret": EXCHANGE_SECRET,
}
READS = [
    "/show_config",
    "/logs",
    "/sysinfo",
    "/health",
    "/version",
    "/status",
    "/balance",
    "/whitelist",
    "/strategy/SampleStrategy",
]


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    with started_bot(
        tmp_path_factory.mktemp("secrets"),
        exchange={"key": EXCHANGE_KEY, "secret": EXCHANGE_SECRET},
        api_server={"readonly_username": READONLY_USER, "readonly_password": READONLY_PASSWORD},
    ) as bot:
        yield bot


def _ws_url(bot: LiveBot, token: str) -> str:
    return bot.base.replace("http://", "ws://") + f"/api/v1/message/ws?token={token}"


def _provoke(bot: LiveBot) -> tuple[list[str], list[str]]:
    """Everything that might echo a secret; returns (answer bodies, issued tokens)."""
    bodies: list[str] = []
    tokens = bot.ok("POST", "/token/login")
    issued = [tokens["access_token"], tokens["refresh_token"]]
    for user, password in (("tradewind", "wrong"), (READONLY_USER, TEST_PASSWORD), ("x", "")):
        bodies.append(requests.get(bot.url("/count"), auth=(user, password), timeout=10).text)
    for query in (
        f"?token={tokens['access_token']}",
        f"?refresh_token={tokens['refresh_token']}",
        f"?password={TEST_PASSWORD}",
        f"?key={EXCHANGE_KEY}&secret={EXCHANGE_SECRET}",
    ):
        bodies.append(bot.get(f"/count{query}").text)
    for token in (TEST_WS_TOKEN, tokens["access_token"]):
        with connect(_ws_url(bot, token), open_timeout=5) as ws:
            ws.send('{"type": "whitelist"}')
            bodies.append(str(ws.recv(timeout=5)))
    with pytest.raises(InvalidStatus):
        connect(_ws_url(bot, TEST_WS_TOKEN[:-1]), open_timeout=5).close()
    for method, path, body in (
        ("POST", "/forceenter", {"pair": "NOPE/BTC"}),
        ("POST", "/forceenter", {}),
        ("DELETE", "/trades/4242", None),
        ("GET", "/trade/4242", None),
        ("GET", "/pair_history?pair=ETH/BTC&timeframe=5m&timerange=x&strategy=Nope", None),
        ("GET", "/strategy/Nope", None),
        ("POST", "/locks", [{"pair": "ETH/BTC", "until": "not a date"}]),
    ):
        answer = bot.session.request(method, bot.url(path), auth=bot.auth, json=body, timeout=10)
        assert answer.status_code >= 400, (path, answer.text)
        bodies.append(answer.text)
    return bodies, issued


def test_no_secret_and_no_token_appears_in_answers_logs_or_the_console(bot: LiveBot) -> None:
    bodies, issued = _provoke(bot)
    startup = bot.ok("GET", "/health")["bot_startup"]
    assert bot.ok("POST", "/reload_config")["status"]
    wait_for(lambda: _answers_after(bot, startup), 30, "the bot to come back after reload_config")
    bodies += [bot.get(path).text for path in READS]
    logs = bot.get("/logs?limit=0").text
    assert "Failed API login" in logs and "/api/v1/count?token=***" in logs  # it was logged
    console = bot.log()
    assert "Failed API login" in console
    for name, secret in SECRETS.items():
        for place, text in (("answers", "\n".join(bodies)), ("/logs", logs), ("console", console)):
            assert secret not in text, f"the {name} leaks into {place}"
    for token in issued:
        assert token not in logs and token not in console
    show = bot.ok("GET", "/show_config")
    assert not {"password", "jwt_secret_key", "ws_token", "key", "secret"} & set(show)


def _answers_after(bot: LiveBot, startup: str) -> bool:
    try:
        return bool(bot.ok("GET", "/health")["bot_startup"] != startup)
    except (requests.RequestException, AssertionError):
        return False
