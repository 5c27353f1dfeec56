"""Fixtures for config tests: a minimal valid config and a file writer."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

WriteConfig = Callable[..., Path]


@pytest.fixture
def minimal() -> dict[str, Any]:
    """The smallest config the trade command accepts."""
    return {
        "dry_run": True,
        "stake_currency": "USDT",
        "stake_amount": 100,
        "exchange": {"name": "binance", "pair_whitelist": ["BTC/USDT", "ETH/USDT"]},
    }


@pytest.fixture
def write(tmp_path: Path) -> WriteConfig:
    """write(name, data_or_text) → path of the file written under tmp_path."""

    def _write(name: str, content: dict[str, Any] | str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = content if isinstance(content, str) else json.dumps(content, indent=2)
        path.write_text(text, encoding="utf-8")
        return path

    return _write
