"""One real bot process per test module (see botprocess.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.api.botprocess import LiveBot, bot_process


@pytest.fixture(scope="module")
def live_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    with bot_process(tmp_path_factory.mktemp("live-bot")) as bot:
        yield bot
