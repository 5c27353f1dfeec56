"""``tradewind-client``: help, config files, environment, output and exit codes."""

from __future__ import annotations

import base64
import importlib.util
import json
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tradewind.client.cli import command_names, main
from tradewind.client.rest import TradewindClient

from .recording_server import Recorder, recording_server

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "rest_client.py"


@pytest.fixture
def bot() -> Iterator[tuple[str, Recorder]]:
    with recording_server() as served:
        yield served


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_every_public_client_method_is_a_command() -> None:
    methods = {
        name
        for name in dir(TradewindClient)
        if not name.startswith("_") and callable(getattr(TradewindClient, name))
    }

    assert set(command_names()) == methods - {"close"}


@pytest.mark.parametrize("argv", [["help"], ["--help"]])
def test_help_lists_every_command_with_its_description(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 0

    out = capsys.readouterr().out
    for name in command_names():
        assert f"    {name}" in out
    assert "Open a trade now" in out  # forceenter's docstring summary
    assert "--config" in out


def test_help_for_one_command_shows_its_parameters(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "forceexit"]) == 0

    out = capsys.readouterr().out
    assert "TRADEID" in out
    for flag in ("--ordertype", "--amount", "--price"):
        assert flag in out


def test_help_for_an_unknown_command_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["help", "nope"]) == 2
    assert "unknown command" in capsys.readouterr().err


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([], env={}) == 2
    assert "a command is required" in capsys.readouterr().err


def test_command_output_is_indented_json(
    bot: tuple[str, Recorder], capsys: pytest.CaptureFixture[str]
) -> None:
    url, recorder = bot
    recorder.answer("GET", "/api/v1/count", 200, {"current": 1, "max": 3, "total_stake": 100.0})

    assert main(["--url", url, "--username", "u", "--password", "p", "count"], env={}) == 0

    out = capsys.readouterr().out
    assert json.loads(out) == {"current": 1, "max": 3, "total_stake": 100.0}
    assert '\n  "current": 1' in out
    assert recorder.last.headers["authorization"] == _basic("u", "p")


def test_cli_arguments_are_converted_to_the_declared_types(bot: tuple[str, Recorder]) -> None:
    url, recorder = bot
    argv = [
        "--url",
        url,
        "forceenter",
        "ETH/USDT",
        "--side",
        "short",
        "--price",
        "2000",
        "--stakeamount",
        "100",
        "--entry-tag",
        "manual",
    ]

    assert main(argv, env={}) == 0

    assert recorder.last.json() == {
        "pair": "ETH/USDT",
        "side": "short",
        "price": 2000.0,
        "stakeamount": 100.0,
        "entry_tag": "manual",
    }


def test_variadic_bool_and_list_parameters(bot: tuple[str, Recorder]) -> None:
    url, recorder = bot

    main(["--url", url, "blacklist", "ETH/BTC", "XRP/BTC"], env={})
    assert recorder.last.json() == {"blacklist": ["ETH/BTC", "XRP/BTC"]}
    main(["--url", url, "trades", "--limit", "5", "--no-order-by-id"], env={})
    assert recorder.last.query == {"limit": ["5"], "order_by_id": ["false"]}
    main(["--url", url, "pair_candles", "ETH/USDT", "5m", "--columns"], env={})
    assert recorder.last.json() == {
        "pair": "ETH/USDT",
        "timeframe": "5m",
        "limit": None,
        "columns": [],
    }
    main(["--url", url, "forceexit", "all"], env={})
    assert recorder.last.json() == {"tradeid": "all", "ordertype": None, "amount": None}


def test_http_errors_print_one_line_and_exit_1(
    bot: tuple[str, Recorder], capsys: pytest.CaptureFixture[str]
) -> None:
    url, recorder = bot
    recorder.answer(
        "POST",
        "/api/v1/forceenter",
        502,
        {"error": "Error querying /api/v1/forceenter: Force_entry not enabled."},
    )

    assert main(["--url", url, "forceenter", "ETH/USDT"], env={}) == 1

    captured = capsys.readouterr()
    assert (
        captured.err == "error: 502 Error querying /api/v1/forceenter: Force_entry not enabled.\n"
    )
    assert captured.out == ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_connection_refused_prints_one_line_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"http://127.0.0.1:{_free_port()}"

    assert main(["--url", url, "version"], env={}) == 2

    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"error: cannot reach {url}: connection refused")


CONFIG_WITH_COMMENTS = """
// the bot config, as users write it
{
    "max_open_trades": 3, /* inline */
    "api_server": {
        "enabled": true,
        "listen_ip_address": "127.0.0.1",
        "listen_port": PORT,
        "username": "freqtrader",   // who
        "password": "pa//ss/*not a comment*/",
    },
}
"""


def _write_config(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_config_file_with_comments_gives_url_and_credentials(
    bot: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = bot
    port = url.rsplit(":", 1)[1]
    config = _write_config(tmp_path, "config.json", CONFIG_WITH_COMMENTS.replace("PORT", port))

    assert main(["--config", config, "version"], env={}) == 0

    expected = _basic("freqtrader", "pa//ss/*not a comment*/")
    assert recorder.last.headers["authorization"] == expected


def test_later_configs_override_and_env_then_flags_win(
    bot: tuple[str, Recorder], tmp_path: Path
) -> None:
    url, recorder = bot
    port = url.rsplit(":", 1)[1]
    first = _write_config(tmp_path, "a.json", CONFIG_WITH_COMMENTS.replace("PORT", "1"))
    second = _write_config(
        tmp_path,
        "b.json",
        '{"api_server": {"listen_ip_address": "0.0.0.0", "listen_port": PORT,}}'.replace(
            "PORT", port
        ),
    )
    env = {"TRADEWIND_API_USERNAME": "env-user"}

    assert main(["-c", first, "-c", second, "version"], env=env) == 0
    assert recorder.last.headers["authorization"] == _basic("env-user", "pa//ss/*not a comment*/")

    assert main(["-c", first, "-c", second, "--password", "flag", "version"], env=env) == 0
    assert recorder.last.headers["authorization"] == _basic("env-user", "flag")


def test_environment_url_is_used_without_flags(bot: tuple[str, Recorder]) -> None:
    url, recorder = bot
    env = {"TRADEWIND_API_URL": url, "TRADEWIND_API_USERNAME": "u", "TRADEWIND_API_PASSWORD": "p"}

    assert main(["whitelist"], env=env) == 0
    assert recorder.last.path == "/api/v1/whitelist"
    assert recorder.last.headers["authorization"] == _basic("u", "p")


def test_unreadable_config_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = _write_config(tmp_path, "broken.json", '{"api_server": /* never closed')

    assert main(["-c", broken, "version"], env={}) == 2
    assert "unterminated /* comment" in capsys.readouterr().err


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("rest_client_script", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_script_loads_the_client_from_the_checkout_by_path(
    capsys: pytest.CaptureFixture[str],
) -> None:
    script = _load_script()

    cli = script.load_from_checkout()

    assert cli.__name__ == "tradewind_client_standalone.cli"
    assert cli.main(["help"]) == 0
    assert "forceenter" in capsys.readouterr().out


def test_script_runs_as_a_program() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0
    assert "pair_candles" in result.stdout
