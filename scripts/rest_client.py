#!/usr/bin/env python3
"""Run the tradewind REST client from a checkout: ``python scripts/rest_client.py help``.

Needs only ``requests``. When tradewind is installed this is ``tradewind-client``; otherwise the
client package (``src/tradewind/client/``, which imports nothing else from tradewind) is loaded
by path under a private name, so no other part of tradewind or its dependencies is needed.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

CLIENT_DIR = Path(__file__).resolve().parent.parent / "src" / "tradewind" / "client"
STANDALONE_PACKAGE = "tradewind_client_standalone"


def load_from_checkout(client_dir: Path = CLIENT_DIR) -> ModuleType:
    """Import ``client_dir`` as a stand-alone package and return its ``cli`` module."""
    spec = importlib.util.spec_from_file_location(
        STANDALONE_PACKAGE,
        client_dir / "__init__.py",
        submodule_search_locations=[str(client_dir)],
    )
    if spec is None or spec.loader is None:
        raise ImportError(f"no client package in {client_dir}")
    package = importlib.util.module_from_spec(spec)
    sys.modules[STANDALONE_PACKAGE] = package
    spec.loader.exec_module(package)
    return importlib.import_module(f"{STANDALONE_PACKAGE}.cli")


def cli_module() -> ModuleType:
    """The installed ``tradewind.client.cli``, or the checkout's copy loaded by path."""
    try:
        return importlib.import_module("tradewind.client.cli")
    except ImportError:
        return load_from_checkout()


if __name__ == "__main__":
    sys.exit(cli_module().main())
