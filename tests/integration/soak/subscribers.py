"""N message-WebSocket subscribers in one process, subscribed to every message type.

    python -m tests.integration.soak.subscribers WS_URL COUNT SECONDS

Each connects (permessage-deflate offered, as browsers do), subscribes to everything, reads
until SECONDS have passed, and reports as one JSON line on stdout: messages by type, seconds
from the start to its last message, and whether it was still connected at the end. They run
in their own process so that reading 20 streams does not slow the latency sampler.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections import Counter
from typing import Any

import orjson
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed
from websockets.protocol import State

from tradewind.schemas.ws import WSMessageType

EVERYTHING = [member.value for member in WSMessageType]


async def subscriber(url: str, began: float, stop_at: float) -> dict[str, Any]:
    kinds: Counter[str] = Counter()
    report: dict[str, Any] = {"types": kinds, "last": None, "closed": None, "connected": False}
    try:
        async with connect(url, open_timeout=20, max_size=None) as websocket:
            await websocket.send(orjson.dumps({"type": "subscribe", "data": EVERYTHING}).decode())
            while (left := stop_at - time.monotonic()) > 0:
                try:
                    message = await asyncio.wait_for(websocket.recv(), timeout=left)
                except TimeoutError:
                    break
                kinds[orjson.loads(message)["type"]] += 1
                report["last"] = time.monotonic() - began
            report["connected"] = websocket.state is State.OPEN
    except (ConnectionClosed, OSError) as exc:
        report["closed"] = repr(exc)
    return report


async def main(url: str, count: int, seconds: float) -> list[dict[str, Any]]:
    began = time.monotonic()
    return await asyncio.gather(*(subscriber(url, began, began + seconds) for _ in range(count)))


if __name__ == "__main__":
    target, number, duration = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    sys.stdout.write(orjson.dumps(asyncio.run(main(target, number, duration))).decode() + "\n")
