"""A message hub behind a real uvicorn server on loopback, and a byte-counting TCP proxy."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from types import SimpleNamespace
from typing import Any, cast

import uvicorn
from fastapi import FastAPI

from tradewind.api.auth import ApiAuth, AuthSettings
from tradewind.api.ws import websocket_router
from tradewind.domain.events import Event, EventBus
from tradewind.services.context import BotContext
from tradewind.signals.hub import HubLimits, HubSource, MessageHub

SECRET = "a-test-jwt-secret-that-is-long-enough-0123456789"
WS_TOKENS = ["first-token", "second-token"]


class HubServer:
    """uvicorn (permessage-deflate on, no server pings) serving only the message WebSocket."""

    def __init__(
        self,
        source: HubSource,
        *,
        limits: HubLimits | None = None,
        ws_max_size: int = 16 * 2**20,
        trading: bool = True,
    ) -> None:
        self.events = EventBus()
        self.hub = MessageHub(source, limits=limits)
        self.hub.attach(self.events)
        self.auth = ApiAuth(
            AuthSettings(username="u", password="p", jwt_secret_key=SECRET, ws_token=WS_TOKENS)
        )
        app = FastAPI()
        # webserver mode (no trading bot) has no hub
        context = cast(BotContext, SimpleNamespace(hub=self.hub if trading else None))
        app.include_router(websocket_router(context, self.auth))
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind(("127.0.0.1", 0))
        self.port: int = self._socket.getsockname()[1]
        config = uvicorn.Config(
            app,
            ws_per_message_deflate=True,
            ws_ping_interval=None,
            ws_max_size=ws_max_size,
            log_level="warning",
            lifespan="off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._run, daemon=True, name="hub-server")
        self.loop: asyncio.AbstractEventLoop | None = None

    def _run(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.loop.run_until_complete(self._server.serve(sockets=[self._socket]))

    def __enter__(self) -> HubServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started and time.monotonic() < deadline:
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(10)

    def url(self, token: str | None = WS_TOKENS[0]) -> str:
        query = f"?token={token}" if token is not None else ""
        return f"ws://127.0.0.1:{self.port}/api/v1/message/ws{query}"

    def publish(self, event: Event) -> None:
        """Publish on the server's loop, as the engine would."""
        assert self.loop is not None
        self.loop.call_soon_threadsafe(self.events.publish, event)

    def run(self, coro: Any, timeout: float = 10) -> Any:
        assert self.loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)


class CountingProxy:
    """A TCP forwarder to `port` that counts the bytes flowing back to the client."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.downstream = 0
        self.port = 0
        self._server: asyncio.Server | None = None

    async def start(self) -> CountingProxy:
        self._server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target)

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter, down: bool) -> None:
            try:
                while data := await src.read(65536):
                    if down:
                        self.downstream += len(data)
                    dst.write(data)
                    await dst.drain()
            except (ConnectionError, asyncio.CancelledError):
                pass
            finally:
                dst.close()

        await asyncio.gather(pipe(reader, up_writer, False), pipe(up_reader, writer, True))
