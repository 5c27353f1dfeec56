"""Every way a start can be doomed gives ONE clear `error:` line naming the cause, exit code 1,
and no traceback: config files with every kind of mistake, strategy files that do not import,
corrupt replay files of the simulated exchange, a port already taken.

The matrix runs in one interpreter (``starts.py``); the first two cases also run as real
`python -m tradewind trade` processes for the process exit code. tests/unit/config checks the
loader's messages one by one and tests/unit/cli two bad starts; this adds the rest end to end.
"""

from __future__ import annotations

import copy
import json
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tests.botconfig import REPO, SHARED_OHLCV, TEST_JWT_SECRET, TEST_PASSWORD, bot_config
from tests.integration.api.botprocess import free_port

Change = Callable[[dict[str, Any], Path], None]


def _set(key: str, value: Any) -> Change:
    def change(config: dict[str, Any], _: Path) -> None:
        section, _, name = key.rpartition(".")
        (config[section] if section else config)[name] = value

    return change


def _drop(key: str) -> Change:
    return lambda config, _: config.pop(key)


def _strategy_file(text: str) -> Change:
    """A strategy directory holding one file that defines ``BrokenStrategy``."""

    def change(config: dict[str, Any], case_dir: Path) -> None:
        directory = case_dir / "strategies"
        directory.mkdir()
        (directory / "broken_strategy.py").write_text(text)
        config.update(strategy="BrokenStrategy", strategy_path=str(directory))

    return change


STRATEGY_HEAD = "from tradewind.strategy import IStrategy\n"
STRATEGY_BODY = (
    "class BrokenStrategy(IStrategy):\n"
    "    timeframe = '5m'\n"
    "    def populate_indicators(self, df, metadata): return df\n"
    "    def populate_entry_trend(self, df, metadata): return df\n"
    "    def populate_exit_trend(self, df, metadata): return df\n"
)


def _replay(corrupt: Callable[[Path], None]) -> Change:
    """A copy of the shared data directory with ETH_BTC-5m.feather corrupted."""

    def change(config: dict[str, Any], case_dir: Path) -> None:
        datadir = case_dir / "data"
        shutil.copytree(SHARED_OHLCV, datadir)
        corrupt(datadir / "ETH_BTC-5m.feather")
        config["datadir"] = str(datadir)

    return change


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _rewrite(change: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Path], None]:
    def corrupt(path: Path) -> None:
        change(pd.read_feather(path)).reset_index(drop=True).to_feather(path)

    return corrupt


def _nan_closes(frame: pd.DataFrame) -> pd.DataFrame:
    frame.loc[frame.index[-10:], "close"] = np.nan
    return frame


# case → (change of a valid config, texts the one error line must contain)
CASES: dict[str, tuple[Change, tuple[str, ...]]] = {
    "wrong type": (_set("stake_amount", "lots"), ("stake_amount", "lots")),
    "missing key": (_drop("stake_currency"), ("stake_currency", "missing")),
    "impossible value": (_set("stoploss", 0.5), ("stoploss", "< 0", "0.5")),
    "impossible wallet": (_set("dry_run_wallet", -5), ('{"USDT": 1000', "dry_run_wallet")),
    "bad pair": (_set("exchange.pair_whitelist", ["ETHBTC"]), ("pair_whitelist[0]", "ETHBTC")),
    "bad timeframe": (_set("timeframe", "7q"), ("timeframe", "7q")),
    "section of the wrong type": (_set("exchange", None), ("exchange", "object")),
    "host name as listen address": (
        _set("api_server.listen_ip_address", "localhost"),
        ("listen_ip_address", "localhost"),
    ),
    "privileged port": (_set("api_server.listen_port", 80), ("listen_port", "1024")),
    "read-only user without password": (
        _set("api_server.readonly_username", "viewer"),
        ("readonly_username and readonly_password must be set together",),
    ),
    "read-only user = full user": (
        lambda config, _: config["api_server"].update(
            readonly_username="tradewind", readonly_password="another-password"
        ),
        ("readonly_username must differ",),
    ),
    "strategy file with a syntax error": (
        _strategy_file(STRATEGY_HEAD + STRATEGY_BODY + "    def broken(:\n"),
        ("broken_strategy.py", "SyntaxError"),
    ),
    "strategy file importing a missing module": (
        _strategy_file("import no_such_module_for_tradewind\n" + STRATEGY_HEAD + STRATEGY_BODY),
        ("broken_strategy.py", "no_such_module_for_tradewind"),
    ),
    "strategy file raising at import": (
        _strategy_file(STRATEGY_HEAD + STRATEGY_BODY + "raise ValueError('boom at import')\n"),
        ("broken_strategy.py", "boom at import"),
    ),
    "truncated replay file": (_replay(_truncate), ("ETH_BTC-5m.feather", "cannot read")),
    "replay file of garbage": (
        _replay(lambda path: path.write_bytes(b"\x00garbage" * 100)),
        ("ETH_BTC-5m.feather", "cannot read"),
    ),
    "replay file without the candle columns": (
        _replay(_rewrite(lambda frame: frame[["date", "close"]])),
        ("ETH_BTC-5m.feather", "open"),
    ),
    "replay file without candles": (
        _replay(_rewrite(lambda frame: frame.iloc[:0])),
        ("ETH_BTC-5m.feather", "no candles"),
    ),
    "replay file with missing close prices": (
        _replay(_rewrite(_nan_closes)),
        ("ETH_BTC-5m.feather", "close prices"),
    ),
}
RAW_FILES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "JSON syntax error": (b'{"dry_run": true\n "stake_currency": "BTC"}', ("line 2", "','")),
    "empty file": (b"", ("invalid JSON", "line 1")),
    "not an object": (b"[1, 2, 3]", ("JSON object",)),
    "binary garbage": (b"\x89PNG\r\n\x1a\n\x00\xff\xfe", ("not UTF-8",)),
}


def _valid_config(case_dir: Path) -> dict[str, Any]:
    return bot_config(case_dir, api_server={"listen_port": free_port()})


def _write_cases(tmp_path: Path, taken_port: int) -> dict[str, tuple[Path, tuple[str, ...]]]:
    files: dict[str, tuple[Path, tuple[str, ...]]] = {}
    for number, (name, (change, expected)) in enumerate(CASES.items()):
        case_dir = tmp_path / f"case{number}"
        case_dir.mkdir()
        config = copy.deepcopy(_valid_config(case_dir))
        change(config, case_dir)
        path = case_dir / "config.json"
        path.write_text(json.dumps(config))
        files[name] = (path, expected)
    for number, (name, (content, expected)) in enumerate(RAW_FILES.items()):
        path = tmp_path / f"raw{number}.json"
        path.write_bytes(content)
        files[name] = (path, (path.name, *expected))
    missing = tmp_path / "no_such_config.json"
    files["missing file"] = (missing, (str(missing), "not found"))
    taken = _valid_config(tmp_path)
    taken["api_server"]["listen_port"] = taken_port
    (tmp_path / "taken.json").write_text(json.dumps(taken))
    files["port in use"] = (tmp_path / "taken.json", (f"127.0.0.1:{taken_port}", "listen_port"))
    return files


def _problems(name: str, result: dict[str, Any], expected: tuple[str, ...]) -> list[str]:
    stderr = str(result["stderr"])
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    problems = []
    if result["code"] != 1:
        problems.append(f"exit code {result['code']}")
    if result["escaped"] or "Traceback" in stderr:
        problems.append(f"a traceback:\n{result['escaped'] or stderr}")
    if len(errors) != 1:
        problems.append(f"{len(errors)} error lines")
    missing = [text for text in expected if not any(text in line for line in errors)]
    if missing:
        problems.append(f"the error line does not name {missing}")
    if any("{{" in line or "}}" in line for line in errors):
        problems.append("template braces left in the message")
    if TEST_PASSWORD in stderr or TEST_JWT_SECRET in stderr:
        problems.append("a secret in the output")
    return [f"{name}: {problem}\n  {errors}" for problem in problems]


def test_every_doomed_start_stops_with_one_clear_error_naming_its_cause(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        files = _write_cases(tmp_path, taken.getsockname()[1])
        run = subprocess.run(
            [sys.executable, "-m", "tests.integration.badinput.starts"]
            + [str(path) for path, _ in files.values()],
            capture_output=True, text=True, timeout=240, cwd=REPO, check=True,
        )  # fmt: skip
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert len(results) == len(files), run.stderr
    problems = []
    for (name, (_, expected)), result in zip(files.items(), results, strict=True):
        problems += _problems(name, result, expected)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("case", ["JSON syntax error", "truncated replay file"])
def test_the_real_process_exits_with_code_1_and_no_traceback(tmp_path: Path, case: str) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        path, expected = _write_cases(tmp_path, taken.getsockname()[1])[case]
    result = subprocess.run(
        [sys.executable, "-m", "tradewind", "trade", "-c", str(path)],
        capture_output=True, text=True, timeout=60, cwd=path.parent, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert not _problems(case, {"code": 1, "stderr": result.stderr, "escaped": None}, expected)
