"""`python -m tests.stubs.binance_stub --port N --data DIR [--start ISO] [--speed X]`."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from tests.stubs.binance_stub.server import BinanceStub

_DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ohlcv"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.stubs.binance_stub")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--data", type=Path, default=_DEFAULT_DATA)
    parser.add_argument(
        "--start",
        default="2018-01-20T00:00:00+00:00",
        help="market time at start (ISO 8601, UTC when no offset)",
    )
    parser.add_argument(
        "--speed",
        type=float,
        default=None,
        help="let market time follow the wall clock this many times faster",
    )
    args = parser.parse_args(argv)
    start = datetime.fromisoformat(args.start.replace("Z", "+00:00"))
    start = start if start.tzinfo else start.replace(tzinfo=UTC)
    stub = BinanceStub(args.data, start, host=args.host, port=args.port, speed=args.speed)
    print(f"binance stub listening on {stub.url}", flush=True)
    stub.serve_forever()


if __name__ == "__main__":
    main()
