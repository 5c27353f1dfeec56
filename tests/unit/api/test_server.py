"""The embedded uvicorn server: start-up warnings, binding, serving inside the caller's event loop
and stopping on the stop event or on cancellation (auth-and-server.md §6, §9)."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.botconfig import TEST_JWT_SECRET, TEST_PASSWORD, bot_config
from tradewind.api.server import api_service, bind_socket, security_warnings
from tradewind.cli.webserver import webserver_context
from tradewind.config import ApiServerConfig, BotConfig, load_config
from tradewind.domain.enums import RunMode
from tradewind.errors import ConfigError
from tradewind.logs import LogBuffer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def api_block(**overrides: Any) -> ApiServerConfig:
    values: dict[str, Any] = {
        "enabled": True,
        "listen_ip_address": "127.0.0.1",
        "listen_port": 8080,
        "username": "user",
        "password": TEST_PASSWORD,
        "jwt_secret_key": TEST_JWT_SECRET,
    }
    return ApiServerConfig.model_validate(values | overrides)


def webserver_config(tmp_path: Path, port: int) -> BotConfig:
    config = bot_config(tmp_path, api_server={"listen_port": port})
    return load_config(None, base=config, runmode=RunMode.WEBSERVER).config


def test_a_loopback_server_with_strong_secrets_warns_about_nothing() -> None:
    assert security_warnings(api_block(), environ={}) == []


def test_listening_on_all_interfaces_warns_twice_unless_in_the_docker_image() -> None:
    warnings = security_warnings(api_block(listen_ip_address="0.0.0.0"), environ={})
    assert len(warnings) == 2 and all(w.startswith("SECURITY WARNING") for w in warnings)
    docker = {"FT_APP_ENV": "docker"}
    assert security_warnings(api_block(listen_ip_address="0.0.0.0"), environ=docker) == []
    assert security_warnings(api_block(listen_ip_address="::1"), environ={}) == []


def test_empty_password_and_weak_jwt_secret_warn_without_showing_them() -> None:
    warnings = security_warnings(
        api_block(password="", jwt_secret_key="somethingrandom"), environ={}
    )
    assert len(warnings) == 2
    assert "password" in warnings[0] and "jwt_secret_key" in warnings[1]
    assert not any("somethingrandom" in warning for warning in warnings)


def test_the_listening_socket_is_tcp_so_asyncio_disables_nagle() -> None:
    # with proto 0, accepted connections kept Nagle's algorithm: ~40 ms per response
    with bind_socket("127.0.0.1", free_port()) as sock:
        assert sock.proto == socket.IPPROTO_TCP


def test_a_port_in_use_is_a_config_error_naming_the_address() -> None:
    port = free_port()
    with bind_socket("127.0.0.1", port), pytest.raises(ConfigError) as error:
        bind_socket("127.0.0.1", port)
    assert f"127.0.0.1:{port}" in str(error.value)


async def _wait_for_ping(url: str) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                return await client.get(url)
            except httpx.TransportError:
                await asyncio.sleep(0.02)
    raise AssertionError(f"{url} never answered")


def test_serves_in_the_callers_loop_and_stops_on_the_stop_event(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    port = free_port()
    context = webserver_context(webserver_config(tmp_path, port), LogBuffer())

    async def scenario() -> None:
        handler_before = signal.getsignal(signal.SIGINT)  # asyncio.run's own
        stop = asyncio.Event()
        serving = asyncio.create_task(api_service(context)(stop))
        response = await _wait_for_ping(f"http://127.0.0.1:{port}/api/v1/ping")
        assert response.json() == {"status": "pong"}
        assert "server" not in response.headers
        assert signal.getsignal(signal.SIGINT) is handler_before  # the CLI owns signals
        stop.set()
        await asyncio.wait_for(serving, 10)

    with caplog.at_level(logging.INFO):
        asyncio.run(scenario())
    bind_socket("127.0.0.1", port).close()  # the port is free again
    assert f"API server listening on http://127.0.0.1:{port}/" in caplog.text


def test_cancellation_shuts_the_server_down_and_frees_the_port(tmp_path: Path) -> None:
    port = free_port()
    context = webserver_context(webserver_config(tmp_path, port), LogBuffer())

    async def scenario() -> None:
        serving = asyncio.create_task(api_service(context)(asyncio.Event()))
        await _wait_for_ping(f"http://127.0.0.1:{port}/api/v1/ping")
        serving.cancel()
        with pytest.raises(asyncio.CancelledError):
            await asyncio.wait_for(serving, 10)
        bind_socket("127.0.0.1", port).close()

    asyncio.run(scenario())


def test_a_taken_port_ends_the_service_with_the_config_error(tmp_path: Path) -> None:
    port = free_port()
    context = webserver_context(webserver_config(tmp_path, port), LogBuffer())

    async def scenario() -> None:
        with bind_socket("127.0.0.1", port), pytest.raises(ConfigError, match=str(port)):
            await api_service(context)(asyncio.Event())

    asyncio.run(scenario())
