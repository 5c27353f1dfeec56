"""`tradewind trade` and memory: reloads free the previous bot; glibc's heap is kept tidy."""

from __future__ import annotations

import argparse
import asyncio
import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.botconfig import bot_config, loaded
from tradewind.app import Application, build
from tradewind.cli import trade
from tradewind.config import LoadedConfig
from tradewind.logs import LogBuffer, SecretRedactor


class FakeLibc:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[int, ...]]] = []

    def mallopt(self, *args: int) -> int:
        self.calls.append(("mallopt", args))
        return 1

    def malloc_trim(self, *args: int) -> int:
        self.calls.append(("malloc_trim", args))
        return 1


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # `_serve` froze the test process's objects


def test_a_reload_frees_the_previous_bot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, unfrozen: None
) -> None:
    engines: list[weakref.ref[Any]] = []
    alive_at_rebuild: list[bool] = []

    def tracked_build(config: LoadedConfig, **kwargs: Any) -> Application:
        gc.collect()
        alive_at_rebuild.extend(ref() is not None for ref in engines)
        app = build(config, **kwargs)
        engines.append(weakref.ref(app.engine))
        return app

    async def one_iteration(app: Application, stop: asyncio.Event) -> None:
        if len(engines) == 2:
            stop.set()  # the second bot is asked to stop; the first one "reloads"

    monkeypatch.setattr(trade, "build", tracked_build)
    monkeypatch.setattr(trade, "run_engine", one_iteration)
    monkeypatch.setattr(trade, "_reloaded", lambda args, previous: previous)
    config = loaded(bot_config(tmp_path))
    code = asyncio.run(trade._serve(argparse.Namespace(), config, LogBuffer(), SecretRedactor()))
    assert code == 0 and len(engines) == 2
    assert alive_at_rebuild == [False]


def test_the_mmap_threshold_is_fixed_unless_the_environment_sets_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    libc = FakeLibc()
    monkeypatch.setattr(trade, "_glibc", lambda: libc)
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    trade.fix_mmap_threshold()
    monkeypatch.setenv("MALLOC_MMAP_THRESHOLD_", "65536")
    trade.fix_mmap_threshold()
    assert libc.calls == [("mallopt", (-3, 128 * 1024))]


def test_the_trim_service_runs_until_cancelled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    libc = FakeLibc()
    monkeypatch.setattr(trade, "_glibc", lambda: libc)
    monkeypatch.setattr(trade, "TRIM_EVERY", 0.001)
    app = build(loaded(bot_config(tmp_path)))
    trade._attach_memory_trim(app)
    service = app.extras["services"]["malloc_trim"]

    async def run() -> bool:
        stop = asyncio.Event()
        stop.set()  # a set stop event does not end it: run_engine cancels it after the engine
        task = asyncio.create_task(service(stop))
        await asyncio.sleep(0.05)
        running = not task.done()
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return running

    try:
        assert asyncio.run(run())
    finally:
        asyncio.run(app.close())
    assert libc.calls and set(libc.calls) == {("malloc_trim", (0,))}


def test_no_trim_service_without_glibc(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(trade, "_glibc", lambda: None)
    app = build(loaded(bot_config(tmp_path)))
    try:
        trade._attach_memory_trim(app)
        assert "malloc_trim" not in app.extras.get("services", {})
    finally:
        asyncio.run(app.close())
