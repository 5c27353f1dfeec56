"""Data subcommands (download-data, list-data, convert-data) — wired when the data tools land."""

from __future__ import annotations

from typing import Any


def register(commands: Any) -> None:
    """No data commands yet."""
