"""Logging set-up: console, rotating file, an in-memory buffer for `/logs`, secret redaction.

Bottom layer: imports nothing from tradewind. The application registers the secrets of the
loaded config (`tradewind.config.secret_values`) with the `SecretRedactor` it passes here.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from datetime import UTC, datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOG_FORMAT = "%(asctime)s - %(name)s - %(levelname)s - %(message)s"
"""Console and file line format ("2024-01-31 12:00:00,123 - tradewind.engine - INFO - …")."""

REDACTED = "***"
MIN_SECRET_LENGTH = 4
"""Shorter secrets are not redacted: replacing every "ab" in every line would mangle the log."""

LOG_FILE_MAX_BYTES = 1024 * 1024
LOG_FILE_BACKUPS = 10
BUFFER_CAPACITY = 1000

NOISY_LOGGERS = ("ccxt", "urllib3", "websockets", "asyncio", "sqlalchemy", "httpx", "httpcore")
"""Third-party loggers kept at WARNING unless verbosity is 2 or more."""

ACCESS_LOGGER = "uvicorn.access"

_HANDLER_PREFIX = "tradewind."

# Tokens travel in URLs (the message WebSocket's ?token=…): they are secrets the config does
# not know about (JWTs are minted at run time), so any `token=` parameter is masked.
_TOKEN_PARAM = re.compile(r"((?:[?&]|\b)(?:token|access_token|refresh_token)=)[^&\s\"']+")

LogRecordTuple = tuple[str, float, str, str, str]
"""(date "YYYY-MM-DD HH:MM:SS" UTC, timestamp in ms, logger name, level name, message)."""


class SecretRedactor(logging.Filter):
    """Replaces every registered secret in a record's message (and traceback) with "***".

    Attach it to handlers (not loggers) so records from every logger pass through it.
    Registration is thread-safe; filtering reads an immutable snapshot.
    """

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._secrets: frozenset[str] = frozenset()
        self._pattern: re.Pattern[str] | None = None

    def register(self, *secrets: str) -> None:
        """Add secrets to hide; empty and very short strings are ignored."""
        fresh = {secret for secret in secrets if len(secret) >= MIN_SECRET_LENGTH}
        with self._lock:
            combined = self._secrets | fresh
            if combined == self._secrets:
                return
            ordered = sorted(combined, key=len, reverse=True)  # longest first: no partial leaks
            self._secrets = frozenset(combined)
            self._pattern = re.compile("|".join(re.escape(secret) for secret in ordered))

    def clear(self) -> None:
        """Forget every registered secret (e.g. before registering a reloaded config's)."""
        with self._lock:
            self._secrets = frozenset()
            self._pattern = None

    def redact(self, text: str) -> str:
        """`text` with every registered secret and every URL token parameter replaced."""
        text = _TOKEN_PARAM.sub(rf"\1{REDACTED}", text)
        pattern = self._pattern
        return pattern.sub(REDACTED, text) if pattern is not None else text

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the record in place; never drops it."""
        message = record.getMessage()
        if self._pattern is None and "token=" not in message and not record.exc_info:
            return True
        record.msg = self.redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class LogBuffer(logging.Handler):
    """In-memory ring of recent records for the `/logs` endpoint.

    When full, the oldest half is dropped at once (cheaper than dropping one per record).
    """

    def __init__(self, capacity: int = BUFFER_CAPACITY, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self.capacity = capacity
        self._entries: list[LogRecordTuple] = []
        self._traceback_formatter = logging.Formatter()
        self._entries_lock = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        """Store the record as a tuple (see `records`)."""
        try:
            entry = self._entry(record)
        except Exception:  # logging must never raise into the caller
            self.handleError(record)
            return
        with self._entries_lock:
            if len(self._entries) >= self.capacity:
                del self._entries[: max(1, self.capacity // 2)]
            self._entries.append(entry)

    def _entry(self, record: logging.LogRecord) -> LogRecordTuple:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = self._traceback_formatter.formatException(record.exc_info)
        if record.exc_text:
            message = f"{message}\n{record.exc_text}"
        created = datetime.fromtimestamp(record.created, tz=UTC)
        return (
            created.strftime("%Y-%m-%d %H:%M:%S"),
            record.created * 1000,
            record.name,
            record.levelname,
            message,
        )

    def records(self, limit: int | None = None) -> list[LogRecordTuple]:
        """The newest `limit` entries (all when None or 0, as Freqtrade does), oldest first."""
        with self._entries_lock:
            entries = list(self._entries)
        return entries[-limit:] if limit else entries

    def clear(self) -> None:
        """Drop every stored entry."""
        with self._entries_lock:
            self._entries.clear()


def _install(handler: logging.Handler, name: str, redactor: SecretRedactor | None) -> None:
    handler.set_name(_HANDLER_PREFIX + name)
    if redactor is not None:
        handler.addFilter(redactor)
    logging.getLogger().addHandler(handler)


def _remove_own_handlers(root: logging.Logger) -> None:
    for handler in list(root.handlers):
        if (handler.get_name() or "").startswith(_HANDLER_PREFIX):
            root.removeHandler(handler)
            if not isinstance(handler, LogBuffer):
                handler.close()


def _third_party_level(verbosity: int) -> int:
    if verbosity >= 3:
        return logging.DEBUG
    return logging.INFO if verbosity == 2 else logging.WARNING


def setup_logging(
    verbosity: int,
    logfile: Path | None,
    buffer: LogBuffer,
    *,
    redactor: SecretRedactor | None = None,
    access_log: bool = False,
) -> None:
    """Configure the root logger; safe to call again (e.g. on config reload).

    verbosity 0 → INFO, 1 or more → DEBUG; noisy third-party loggers stay at WARNING below
    verbosity 2. `access_log` lets uvicorn's per-request lines through (api verbosity "info").
    Every handler, the buffer included, passes records through `redactor` first.
    """
    root = logging.getLogger()
    _remove_own_handlers(root)
    root.setLevel(logging.DEBUG if verbosity >= 1 else logging.INFO)
    formatter = logging.Formatter(LOG_FORMAT)
    console = logging.StreamHandler(sys.stderr)
    console.setFormatter(formatter)
    _install(console, "console", redactor)
    if logfile is not None:
        logfile.parent.mkdir(parents=True, exist_ok=True)
        rotating = RotatingFileHandler(
            logfile, maxBytes=LOG_FILE_MAX_BYTES, backupCount=LOG_FILE_BACKUPS, encoding="utf-8"
        )
        rotating.setFormatter(formatter)
        _install(rotating, "file", redactor)
    for existing in list(buffer.filters):
        if isinstance(existing, SecretRedactor):
            buffer.removeFilter(existing)
    _install(buffer, "buffer", redactor)
    third_party = _third_party_level(verbosity)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(third_party)
    access_level = logging.INFO if access_log else max(third_party, logging.WARNING)
    logging.getLogger(ACCESS_LOGGER).setLevel(access_level)
    # uvicorn.error logs every WebSocket connect (with its URL) at INFO: request-level noise.
    logging.getLogger("uvicorn.error").setLevel(access_level)
