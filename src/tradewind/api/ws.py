"""The message WebSocket route: ``/api/v1/message/ws?token=…`` (websocket spec §1, auth §4).

The token is checked by ``ApiAuth.require_websocket`` before the handshake is accepted, so a
wrong or missing token gets HTTP 403 and no data. An accepted connection is handed to the
bot's :class:`~tradewind.signals.hub.MessageHub` through a small adapter. Compression
(permessage-deflate) is negotiated by the server (``ws_per_message_deflate``), not here.

No ``from __future__ import annotations`` here: FastAPI must see the real ``Depends`` object
bound to this app's ``ApiAuth`` when it inspects the route's signature.
"""

import contextlib
from typing import Annotated

from fastapi import APIRouter, Depends, WebSocket, WebSocketDisconnect, WebSocketException
from starlette import status

from tradewind.api.auth import ApiAuth
from tradewind.api.tokens import Principal
from tradewind.services.context import BotContext
from tradewind.signals.hub import ClientGone, MessageHub

__all__ = ["MESSAGE_WS_PATH", "StarletteChannel", "websocket_router"]

MESSAGE_WS_PATH = "/api/v1/message/ws"


class StarletteChannel:
    """A Starlette ``WebSocket`` as the hub's ``Channel``."""

    def __init__(self, websocket: WebSocket) -> None:
        self._websocket = websocket

    async def send(self, text: str) -> None:
        """Send one text frame; a vanished peer becomes ``ClientGone``."""
        try:
            await self._websocket.send_text(text)
        except (WebSocketDisconnect, RuntimeError, OSError) as exc:
            raise ClientGone(str(exc)) from exc

    async def receive(self) -> str | bytes | None:
        """The next text or binary frame; None once the peer disconnected."""
        try:
            message = await self._websocket.receive()
        except (WebSocketDisconnect, RuntimeError, OSError):
            return None
        if message["type"] == "websocket.disconnect":
            return None
        text = message.get("text")
        if text is not None:
            return str(text)
        data = message.get("bytes")
        return bytes(data) if data is not None else None

    async def close(self, code: int, reason: str) -> None:
        """Close with ``code``/``reason``; errors of an already closed socket are ignored."""
        with contextlib.suppress(Exception):
            await self._websocket.close(code=code, reason=reason)


def _peer(websocket: WebSocket) -> str:
    client = websocket.client
    return f"{client.host}:{client.port}" if client else "?"


def websocket_router(context: BotContext, auth: ApiAuth) -> APIRouter:
    """The router holding the message WebSocket of ``context``'s bot."""
    router = APIRouter(tags=["Message WebSocket"])

    async def message_ws(
        websocket: WebSocket,
        principal: Annotated[Principal, Depends(auth.require_websocket)],
    ) -> None:
        hub = context.hub
        if not isinstance(hub, MessageHub):  # webserver mode: no trading bot to stream
            raise WebSocketException(code=status.WS_1008_POLICY_VIOLATION)
        await websocket.accept()
        await hub.serve(StarletteChannel(websocket), _peer(websocket))

    router.add_api_websocket_route(MESSAGE_WS_PATH, message_ws)
    return router
