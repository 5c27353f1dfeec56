"""Serving the API with uvicorn inside the bot's own event loop (auth-and-server.md §6, §9).

``api_service(context)`` returns the coroutine function the composition root runs next to the
engine (``app.extras["services"]``): it binds ``api_server.listen_ip_address:listen_port``,
serves until the stop event is set (or the task is cancelled, e.g. on ``reload_config``), then
shuts down gracefully: the listening socket closes at once, requests in flight may finish.

The server never installs signal handlers (the CLI owns SIGINT/SIGTERM), writes its log
through tradewind's handlers (``log_config=None``; the access log only with ``verbosity:
"info"``), sends no WebSocket pings (the message hub handles liveness) and negotiates
permessage-deflate.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Iterator

import uvicorn
from starlette.types import ASGIApp

from tradewind.api.app import create_app
from tradewind.config import ApiServerConfig, is_weak_jwt_secret
from tradewind.errors import ConfigError
from tradewind.logs import ACCESS_LOGGER
from tradewind.services.context import BotContext

__all__ = ["GRACEFUL_SHUTDOWN_SECONDS", "api_service", "bind_socket", "security_warnings"]

log = logging.getLogger(__name__)

GRACEFUL_SHUTDOWN_SECONDS = 5.0
DOCKER_ENV = ("FT_APP_ENV", "docker")


def security_warnings(api: ApiServerConfig, environ: dict[str, str] | None = None) -> list[str]:
    """The ``SECURITY WARNING`` lines for this ``api_server`` block (§9); never the secrets."""
    env = os.environ if environ is None else environ
    warnings: list[str] = []
    external = not ipaddress.ip_address(api.listen_ip_address).is_loopback
    if external and env.get(DOCKER_ENV[0]) != DOCKER_ENV[1]:
        warnings += [
            "SECURITY WARNING - Local REST server listening to external connections "
            f"({api.listen_ip_address}).",
            "SECURITY WARNING - This is insecure; please set listen_ip_address in "
            "api_server to a loopback address such as 127.0.0.1.",
        ]
    if not api.password:
        warnings.append(
            "SECURITY WARNING - No password for the REST API (api_server.password) is defined. "
            "Anyone who can reach the port controls the bot."
        )
    if is_weak_jwt_secret(api.jwt_secret_key):
        warnings.append(
            "SECURITY WARNING - api_server.jwt_secret_key seems to be a default or short value. "
            "Others may be able to forge login tokens; set 32+ random characters."
        )
    return warnings


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``; ``ConfigError`` naming the address if taken."""
    family = socket.AF_INET6 if ipaddress.ip_address(host).version == 6 else socket.AF_INET
    # proto IPPROTO_TCP, not 0: asyncio disables Nagle's algorithm (TCP_NODELAY) only on
    # sockets that say they are TCP, and accepted connections inherit the proto. With proto 0
    # every response waited ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        shown = f"[{host}]" if family == socket.AF_INET6 else host
        raise ConfigError(
            f"api_server: cannot listen on {shown}:{port}: {exc.strerror or exc} "
            "(is another bot or program using that port? change api_server.listen_port)"
        ) from exc
    sock.set_inheritable(True)
    return sock


class _EmbeddedServer(uvicorn.Server):
    """A uvicorn server that leaves the process's signal handling alone."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    def install_signal_handlers(self) -> None:  # older uvicorn versions
        return


def _uvicorn_config(app: ASGIApp, api: ApiServerConfig) -> uvicorn.Config:
    access_log = api.verbosity == "info"
    if access_log:
        # uvicorn disconnects this logger when a server runs without access log; a reload
        # may switch it back on.
        access = logging.getLogger(ACCESS_LOGGER)
        access.propagate = True
        access.setLevel(logging.INFO)
    return uvicorn.Config(
        app,
        host=api.listen_ip_address,
        port=api.listen_port,
        log_config=None,
        access_log=access_log,
        ws_ping_interval=None,
        ws_ping_timeout=None,
        ws_per_message_deflate=True,
        lifespan="off",
        timeout_graceful_shutdown=int(GRACEFUL_SHUTDOWN_SECONDS),
        server_header=False,
    )


def api_service(context: BotContext) -> Callable[[asyncio.Event], Awaitable[None]]:
    """The API server of ``context``'s bot as a coroutine function ``serve(stop)``."""
    api = context.config.api_server
    if api is None:
        raise ConfigError("api_server: the API is not configured")

    async def serve(stop: asyncio.Event) -> None:
        for warning in security_warnings(api):
            log.warning(warning)
        app = create_app(context)
        sock = bind_socket(api.listen_ip_address, api.listen_port)
        server = _EmbeddedServer(_uvicorn_config(app, api))
        log.info(
            "API server listening on http://%s:%d/",
            f"[{api.listen_ip_address}]" if ":" in api.listen_ip_address else api.listen_ip_address,
            api.listen_port,
        )
        serving = asyncio.create_task(server.serve(sockets=[sock]), name="api-server")
        stopping = asyncio.create_task(stop.wait(), name="api-server-stop")
        try:
            await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
            await _shut_down(server, serving)
            sock.close()

    return serve


async def _shut_down(server: uvicorn.Server, serving: asyncio.Task[None]) -> None:
    """Ask uvicorn to finish and wait for it, even while this task is being cancelled."""
    server.should_exit = True
    if serving.done():
        serving.result()  # re-raise a crash of the server itself
        return
    try:
        await asyncio.wait_for(asyncio.shield(serving), GRACEFUL_SHUTDOWN_SECONDS + 2)
    except asyncio.CancelledError:
        # Cancelled while waiting (reload_config): finish the shutdown, then let the
        # cancellation go on.
        server.force_exit = True
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await asyncio.wait_for(serving, GRACEFUL_SHUTDOWN_SECONDS)
        raise
    except TimeoutError:
        log.warning("API server did not stop within %.0f s; closing it.", GRACEFUL_SHUTDOWN_SECONDS)
        server.force_exit = True
        serving.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
