from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterator
from logging.handlers import RotatingFileHandler
from pathlib import Path

import pytest

from tradewind.logs import LogBuffer, SecretRedactor, setup_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logging.getLogger(name).level for name in ("ccxt", "uvicorn.access")}
    yield
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)


def isolated_logger(name: str, *handlers: logging.Handler) -> logging.Logger:
    logger = logging.getLogger(f"tests.logs.{name}")
    logger.handlers = list(handlers)
    logger.propagate = False
    logger.setLevel(logging.DEBUG)
    return logger


def test_buffer_keeps_records_oldest_first() -> None:
    buffer = LogBuffer(capacity=10)
    logger = isolated_logger("order", buffer)
    for index in range(3):
        logger.info("message %d", index)
    assert [entry[4] for entry in buffer.records()] == ["message 0", "message 1", "message 2"]
    assert [entry[4] for entry in buffer.records(2)] == ["message 1", "message 2"]
    assert len(buffer.records(0)) == 3


def test_full_buffer_drops_the_oldest_half() -> None:
    buffer = LogBuffer(capacity=10)
    logger = isolated_logger("ring", buffer)
    for index in range(10):
        logger.info("m%d", index)
    assert len(buffer.records()) == 10
    logger.info("m10")
    assert [entry[4] for entry in buffer.records()] == [f"m{i}" for i in range(5, 11)]


def test_buffer_entry_format() -> None:
    buffer = LogBuffer()
    logger = isolated_logger("format", buffer)
    logger.warning("careful")
    date, timestamp, name, level, message = buffer.records()[0]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", date)
    assert isinstance(timestamp, float)
    assert (name, level, message) == ("tests.logs.format", "WARNING", "careful")


def test_buffer_entry_carries_the_traceback() -> None:
    buffer = LogBuffer()
    logger = isolated_logger("traceback", buffer)
    try:
        raise ValueError("boom")
    except ValueError:
        logger.exception("failed")
    message = buffer.records()[0][4]
    assert message.startswith("failed\nTraceback (most recent call last):")
    assert message.endswith("ValueError: boom")


def test_redactor_hides_secrets_in_message_args_and_traceback() -> None:
    redactor = SecretRedactor()
    redactor.register("s3cr3t-value", "", "ab")
    buffer = LogBuffer()
    buffer.addFilter(redactor)
    logger = isolated_logger("redact", buffer)
    logger.info("token=%s in %s", "s3cr3t-value", "ab cab")
    try:
        raise RuntimeError("bad key s3cr3t-value")
    except RuntimeError:
        logger.exception("login with s3cr3t-value failed")
    first, second = (entry[4] for entry in buffer.records())
    assert first == "token=*** in ab cab"  # too-short secrets are not redacted
    assert "s3cr3t-value" not in second
    assert "RuntimeError: bad key ***" in second


def test_longer_secret_is_redacted_before_its_prefix() -> None:
    redactor = SecretRedactor()
    redactor.register("pass", "password-long")
    assert redactor.redact("x password-long y pass") == "x *** y ***"
    redactor.clear()
    assert redactor.redact("pass") == "pass"


def test_redactor_registration_is_thread_safe() -> None:
    redactor = SecretRedactor()
    buffer = LogBuffer(capacity=10_000)
    buffer.addFilter(redactor)
    logger = isolated_logger("threads", buffer)

    def register(start: int) -> None:
        for index in range(start, start + 50):
            redactor.register(f"secret-{index:04d}")
            logger.info("secret-%04d", index)

    threads = [threading.Thread(target=register, args=(n * 50,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(buffer.records()) == 200
    assert all(entry[4] == "***" for entry in buffer.records())


def test_setup_logging_console_format_and_levels(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    buffer = LogBuffer()
    redactor = SecretRedactor()
    redactor.register("hunter2-secret")
    setup_logging(0, None, buffer, redactor=redactor)
    logging.getLogger("tradewind.test").info("hello hunter2-secret")
    logging.getLogger("tradewind.test").debug("hidden at verbosity 0")
    err = capsys.readouterr().err
    assert re.search(
        r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} - tradewind.test - INFO - hello \*\*\*$",
        err,
        re.MULTILINE,
    )
    assert "hidden" not in err
    assert buffer.records()[-1][4] == "hello ***"
    assert logging.getLogger("ccxt").level == logging.WARNING
    assert logging.getLogger("uvicorn.access").level == logging.WARNING


def test_setup_logging_twice_does_not_duplicate_handlers(
    restore_logging: None, tmp_path: Path
) -> None:
    buffer = LogBuffer()
    setup_logging(1, tmp_path / "logs" / "bot.log", buffer, access_log=True)
    setup_logging(1, tmp_path / "logs" / "bot.log", buffer, access_log=True)
    root = logging.getLogger()
    own = [h for h in root.handlers if (h.get_name() or "").startswith("tradewind.")]
    assert len(own) == 3
    rotating = next(h for h in own if isinstance(h, RotatingFileHandler))
    assert (rotating.maxBytes, rotating.backupCount) == (1024 * 1024, 10)
    assert root.level == logging.DEBUG
    assert logging.getLogger("uvicorn.access").level == logging.INFO
    logging.getLogger("tradewind.file").info("to the file")
    rotating.flush()
    assert " - tradewind.file - INFO - to the file" in (tmp_path / "logs" / "bot.log").read_text()


def test_url_tokens_are_masked_even_when_not_registered() -> None:
    buffer = LogBuffer()
    setup_logging(0, None, buffer, redactor=SecretRedactor())
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJpZGVudGl0eSI6e319.c2lnbmF0dXJl"
    logging.getLogger("uvicorn.error").warning('"WebSocket /api/v1/message/ws?token=%s" 403', jwt)
    logging.getLogger("tradewind.test").info("GET /x?a=1&token=%s&b=2", jwt)
    text = " ".join(entry[4] for entry in buffer.records(None))
    assert jwt not in text
    assert "token=***" in text
