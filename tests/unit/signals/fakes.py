"""In-memory stand-ins for the hub's collaborators."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import numpy as np
import orjson
import pandas as pd

from tradewind.signals.hub import ClientGone, HubSource

T0 = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


class FakeChannel:
    """A connection whose peer is the test: `incoming` frames in, `sent` texts out."""

    def __init__(self, *, stuck: bool = False) -> None:
        self.incoming: asyncio.Queue[str | bytes | None] = asyncio.Queue()
        self.sent: list[str] = []
        self.closed: tuple[int, str] | None = None
        self.stuck = stuck
        self.arrived = asyncio.Event()

    async def send(self, text: str) -> None:
        if self.closed is not None:
            raise ClientGone("closed")
        if self.stuck:
            await asyncio.Event().wait()  # a peer that never reads: the send never completes
        self.sent.append(text)
        self.arrived.set()

    async def receive(self) -> str | bytes | None:
        return await self.incoming.get()

    async def close(self, code: int, reason: str) -> None:
        self.closed = (code, reason)

    def request(self, payload: object) -> None:
        self.incoming.put_nowait(orjson.dumps(payload).decode())

    def messages(self) -> list[dict[str, object]]:
        return [orjson.loads(text) for text in self.sent]

    async def wait_for(self, count: int, within: float = 2.0) -> list[dict[str, object]]:
        async with asyncio.timeout(within):
            while len(self.sent) < count:
                self.arrived.clear()
                await self.arrived.wait()
        return self.messages()

    async def wait_closed(self, within: float = 2.0) -> tuple[int, str]:
        async with asyncio.timeout(within):
            while self.closed is None:  # noqa: ASYNC110 - a bounded poll
                await asyncio.sleep(0.005)
        return self.closed


def analyzed_frame(rows: int = 20) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.date_range(T0, periods=rows, freq="5min", tz="UTC"),
            "close": np.arange(rows, dtype=float),
        }
    )


class FakeBot:
    """Whitelist and analysed frames as the hub reads them."""

    def __init__(self, pairs: list[str], analyzed: dict[str, pd.DataFrame]) -> None:
        self.pairs = pairs
        self.frames = analyzed

    def source(self) -> HubSource:
        return HubSource(
            whitelist=lambda: list(self.pairs),
            analyzed=lambda pair, tf, ct: (self.frames[pair], T0) if pair in self.frames else None,
            timeframe="5m",
        )
