"""A throwaway PostgreSQL server per test session and a real bot on it per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.integration.api.botprocess import LiveBot, bot_process
from tests.postgres import PostgresServer, postgres_server


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="module")
def database_url(postgres: PostgresServer, request: pytest.FixtureRequest) -> str:
    return postgres.create_database(request.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture(scope="module")
def live_bot(tmp_path_factory: pytest.TempPathFactory, database_url: str) -> Iterator[LiveBot]:
    """The API tests' bot (tests/integration/api/botprocess.py) with `db_url` on PostgreSQL."""
    with bot_process(tmp_path_factory.mktemp("pg-bot"), db_url=database_url) as bot:
        yield bot
