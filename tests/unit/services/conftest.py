"""A `bot` factory: a real dry-run bot on a tmp database, closed after the test."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.unit.services.builders import make_bot
from tradewind.app import Application

BotFactory = Callable[..., Application]


@pytest.fixture
def bot(tmp_path: Path) -> Iterator[BotFactory]:
    built: list[Application] = []

    def factory(**overrides: Any) -> Application:
        app = make_bot(tmp_path / str(len(built)), **overrides)
        built.append(app)
        return app

    yield factory
    for app in built:
        asyncio.run(app.close())
