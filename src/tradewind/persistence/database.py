"""The database: engine creation, schema migrations at start, and units of work."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from tradewind.errors import ConfigError
from tradewind.persistence.tables import ensure_mapped

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class Database:
    """One database: its engine, its migrations and its session factory."""

    def __init__(self, url: str) -> None:
        ensure_mapped()
        self.url = url
        self.engine = _create_engine(url)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False, autoflush=True)

    def migrate(self) -> None:
        """Bring the schema to the newest revision (creates it in an empty database)."""
        try:
            with self.engine.begin() as connection:
                if connection.dialect.name == "sqlite":
                    # pysqlite opens its implicit transaction only at the first INSERT/UPDATE,
                    # so each CREATE/ALTER before it committed on its own: a kill mid-upgrade
                    # left tables without their version stamp, and every later start failed
                    # re-creating them. SQLite's DDL is transactional: one explicit transaction
                    # makes the upgrade all or nothing.
                    connection.exec_driver_sql("BEGIN IMMEDIATE")
                config = alembic_config(self.url)
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        except OperationalError as exc:
            reason = str(exc.orig) if exc.orig is not None else str(exc)
            raise ConfigError(
                f"db_url: cannot open the database {self.safe_url}: {reason}"
            ) from exc

    @property
    def safe_url(self) -> str:
        """The URL with any password hidden (for messages)."""
        return make_url(self.url).render_as_string(hide_password=True)

    def schema_revision(self) -> str | None:
        with self.engine.connect() as connection:
            if not inspect(connection).has_table("alembic_version"):
                return None
            row = connection.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            return None if row is None else str(row[0])

    def new_session(self) -> Session:
        """A session the caller owns (the engine keeps one for its working set)."""
        return self._sessions()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A short unit of work: commits on success, rolls back on error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _create_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigError(f"db_url: not a database URL ({exc})") from exc
    kwargs: dict[str, Any] = {"future": True}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        else:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.update(pool_pre_ping=True, pool_size=5, max_overflow=10)
    try:
        return create_engine(url, **kwargs)
    except ModuleNotFoundError as exc:
        raise ConfigError(
            f"db_url: the driver for '{parsed.drivername}' is not installed ({exc.name}); "
            "for PostgreSQL install tradewind[postgres]"
        ) from exc


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL keeps readers (the API) from blocking the writer (the engine); a process kill
    # cannot lose a committed transaction with synchronous=NORMAL in WAL mode.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
