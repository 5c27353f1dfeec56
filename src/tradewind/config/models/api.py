"""The `api_server` section (auth-and-server.md §1)."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import BeforeValidator, Field, model_validator

from tradewind.config.models.base import ConfigModel
from tradewind.config.models.fields import (
    Flag,
    Text,
    Verbosity,
    invalid,
    one_of,
    whole,
)

DEFAULT_JWT_SECRET = "somethingRandomSomethingRandom123"  # noqa: S105 - public, hence weak
"""What Freqtrade's schema fills in when `jwt_secret_key` is missing (public, hence weak)."""

MIN_JWT_SECRET_LENGTH = 32


def is_weak_jwt_secret(secret: str) -> bool:
    """True for a JWT secret that should trigger a start-up warning: short or the public default."""
    return len(secret) < MIN_JWT_SECRET_LENGTH or secret == DEFAULT_JWT_SECRET


def _check_ip(value: Any) -> str:
    if not isinstance(value, str):
        raise invalid("must be a string holding an IP address")
    try:
        ipaddress.ip_address(value)
    except ValueError:
        raise ValueError(
            f"'{value}' is not an IP address (use a literal address such as 127.0.0.1, "
            "0.0.0.0 or ::1)"
        ) from None
    return value


def _check_origin(value: Any) -> str:
    if not isinstance(value, str):
        raise invalid("must be a string")
    problem = (
        f"'{value}' is not an origin (expected scheme://host[:port], no path or trailing slash)"
    )
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError for a bad port
    except ValueError:
        raise ValueError(problem) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(problem)
    if parts.path or parts.query or parts.fragment or value.endswith(("/", "?", "#")):
        raise ValueError(problem)
    if parts.username or parts.password or (port is None and value.endswith(":")):
        raise ValueError(problem)
    return value


def _check_origins(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise invalid("must be a list of origins")
    return value


def _check_ws_token(value: Any) -> str | list[str]:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise invalid("must be a string or a list of strings")


class ApiServerConfig(ConfigModel):
    """REST API, message WebSocket and UI server. Unknown keys in this block are tolerated."""

    section = "api_server"
    tolerate_unknown_keys = True

    enabled: Flag
    listen_ip_address: Annotated[str, BeforeValidator(_check_ip)]
    """A literal IPv4/IPv6 address; host names such as "localhost" are refused."""
    listen_port: Annotated[int, whole(ge=1024, le=65535)]
    username: Text
    password: Text
    """May be empty (the server warns about it)."""
    jwt_secret_key: Text = DEFAULT_JWT_SECRET
    """Short keys are accepted (decisions.md §2); see `is_weak_jwt_secret`."""
    ws_token: Annotated[str | list[str], BeforeValidator(_check_ws_token)] | None = None
    """Static token(s) accepted by the message WebSocket."""
    CORS_origins: Annotated[
        list[Annotated[str, BeforeValidator(_check_origin)]], BeforeValidator(_check_origins)
    ] = Field(default_factory=list)
    verbosity: Annotated[Verbosity, one_of(Verbosity)] = "error"
    """"info" enables the per-request access log."""
    enable_openapi: Flag = False
    enable_message_ws: Flag | None = None
    """Seed-era key, accepted and ignored: the message WebSocket is on whenever the API is."""
    readonly_username: Text | None = None
    """tradewind only: credentials limited to read-only endpoints."""
    readonly_password: Text | None = None

    @model_validator(mode="after")
    def _readonly_pair(self) -> ApiServerConfig:
        if (self.readonly_username is None) != (self.readonly_password is None):
            raise ValueError("readonly_username and readonly_password must be set together")
        if self.readonly_username is not None and self.readonly_username == self.username:
            raise ValueError("readonly_username must differ from username")
        return self

    def ws_tokens(self) -> list[str]:
        """The configured static WebSocket tokens as a list (empty when none)."""
        if self.ws_token is None:
            return []
        return [self.ws_token] if isinstance(self.ws_token, str) else list(self.ws_token)
