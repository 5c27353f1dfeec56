"""The big API fuzz run: schemathesis against every operation of a running bot's OpenAPI schema.

Starts a real `tradewind trade` process (simulated exchange, OpenAPI on, two filled trades and a
lock to find), then sends `--examples` positive and `--examples` negative generated requests to
every operation over real HTTP with Basic credentials — reads first, then trade actions, bot
control, and `/reload_config` last (`--reload-examples` each way, the bot must come back). Each
answer is checked: never a 500 or an undocumented 5xx, status declared, body matching its model
(see tests/integration/security/fuzzing.py for the checks and why some are left out).

Prints the cases per operation with the statuses seen, then every distinct failure with an
example; exits 1 if there was any. The suite runs the same code with 3 examples
(tests/integration/security/test_api_fuzzing.py).

    python bench/fuzz.py [--examples 50] [--seed N] [--reload-examples 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.integration.api.botprocess import LiveBot, wait_for
from tests.integration.security.fuzzing import Fuzzer, basic_header, load_schema
from tests.integration.security.launch import started_bot


def _prepare(bot: LiveBot) -> None:
    for pair in ("ETH/BTC", "LTC/BTC"):
        trade_id = bot.ok("POST", "/forceenter", json={"pair": pair})["trade_id"]
        wait_for(
            lambda t=trade_id: bot.ok("GET", f"/trade/{t}")["nr_of_successful_entries"],
            20,
            f"the {pair} entry to fill",
        )
    bot.ok("POST", "/locks", json=[{"pair": "XLM/BTC", "until": "2099-01-01T00:00:00Z"}])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=50, help="cases per operation and mode")
    parser.add_argument("--seed", type=int, default=None, help="vary generation (default: fixed)")
    parser.add_argument("--reload-examples", type=int, default=3, help="reloads per mode")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tradewind-fuzz-") as tmp:
        with started_bot(Path(tmp), api_server={"enable_openapi": True}) as bot:
            _prepare(bot)
            fuzzer = Fuzzer(
                bot.base,
                basic_header(*bot.auth),
                args.examples,
                seed=args.seed,
                reload_examples=args.reload_examples,
            )
            started = time.process_time()
            report = fuzzer.run(load_schema(bot.base))
            client_cpu = time.process_time() - started
            alive = bot.process.poll() is None and bot.ok("GET", "/show_config")["state"]
            server_errors = bot.log().count("Unexpected error answering")
        print(report.summary())
        print(f"client CPU {client_cpu:.1f} s; bot still answering: {bool(alive)}; ", end="")
        print(f"500s logged by the bot: {server_errors}")
    return 1 if report.failures or not alive or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
