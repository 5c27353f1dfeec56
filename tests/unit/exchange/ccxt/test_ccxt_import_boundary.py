"""The bot does not load ccxt unless a ccxt exchange is built."""

from __future__ import annotations

import subprocess
import sys

_PROBE = """
import importlib, pkgutil, sys
import tradewind
# every layer below the composition root (app, cli and api are the lead's and build on these)
LAYERS = ("domain", "errors", "config", "schemas", "exchange", "data", "strategy",
          "persistence", "engine", "signals", "services")
for module in pkgutil.walk_packages(tradewind.__path__, "tradewind."):
    if module.name.split(".")[1] in LAYERS:
        importlib.import_module(module.name)
assert "ccxt" not in sys.modules, sorted(m for m in sys.modules if m.startswith("ccxt"))
from tradewind.domain.clock import SystemClock
from tradewind.exchange.ccxt import CcxtExchange
CcxtExchange("binance", SystemClock(), dry_run=True)
assert "ccxt" in sys.modules
print("ok")
"""


def test_importing_tradewind_packages_does_not_import_ccxt() -> None:
    result = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True,
                            timeout=120, check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("ok")
