"""Where the CLI connects and with which credentials.

Precedence, lowest first: defaults (``http://127.0.0.1:8080``), ``--config`` files (later files
override earlier ones; only ``api_server.listen_ip_address``/``listen_port``/``username``/
``password`` are read), environment (``TRADEWIND_API_URL``, ``TRADEWIND_API_USERNAME``,
``TRADEWIND_API_PASSWORD``), then ``--url``/``--username``/``--password``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .jsonc import load_file

__all__ = ["ENV_PASSWORD", "ENV_URL", "ENV_USERNAME", "ConnectionSettings", "resolve"]

ENV_URL = "TRADEWIND_API_URL"
ENV_USERNAME = "TRADEWIND_API_USERNAME"
ENV_PASSWORD = "TRADEWIND_API_PASSWORD"  # noqa: S105 - the variable's name, not a secret

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
# a server listening on every interface is reached through the loopback one
_CONNECT_TO = {"0.0.0.0": "127.0.0.1", "::": "::1"}  # noqa: S104


@dataclass(frozen=True)
class ConnectionSettings:
    """The base URL and Basic credentials the client uses."""

    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def _url_for(host: str, port: int | str) -> str:
    host = _CONNECT_TO.get(host, host)
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _api_server_section(paths: Sequence[str]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in paths:
        document = load_file(path)
        section = document.get("api_server") if isinstance(document, dict) else None
        if isinstance(section, dict):
            merged.update(section)
    return merged


def resolve(
    *,
    config_paths: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    url: str | None = None,
    username: str | None = None,
    password: str | None = None,
) -> ConnectionSettings:
    """Combine config files, environment and explicit values (see the module docstring)."""
    section = _api_server_section(config_paths)
    environment = env or {}
    resolved_url = _url_for(
        str(section.get("listen_ip_address") or DEFAULT_HOST),
        section.get("listen_port") or DEFAULT_PORT,
    )
    return ConnectionSettings(
        url=url or environment.get(ENV_URL) or resolved_url,
        username=_first(username, environment.get(ENV_USERNAME), section.get("username")),
        password=_first(password, environment.get(ENV_PASSWORD), section.get("password")),
    )


def _first(*values: object) -> str | None:
    for value in values:
        if value is not None:
            return str(value)
    return None
