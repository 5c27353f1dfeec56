"""Secret handling: which keys hold secrets, a masked copy for show-config, values to redact."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel

MASK = "***"

SECRET_KEY_NAMES: tuple[str, ...] = (
    "key",
    "api_key",
    "apiKey",
    "secret",
    "password",
    "uid",
    "account_id",
    "accountId",
    "wallet_address",
    "walletAddress",
    "private_key",
    "privateKey",
    "jwt_secret_key",
    "ws_token",
    "token",
    "chat_id",
    "webhook_url",
    "readonly_password",
)
"""Config keys whose values are secrets, wherever they appear (exchange, api_server, ccxt options,
producers, Telegram …). Matching ignores case and underscores, so "apiKey" ≡ "api_key"."""

_NORMALISED = frozenset(name.replace("_", "").lower() for name in SECRET_KEY_NAMES)


def is_secret_key(name: str | int) -> bool:
    """True when a config key of this name holds a secret."""
    return isinstance(name, str) and name.replace("_", "").lower() in _NORMALISED


def mask_url_password(url: str) -> str:
    """A database URL with its password replaced by "***" ("postgresql://u:***@host/db")."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return url
    if not password:
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:{MASK}@{hostinfo}"))


def _url_password(url: str) -> str | None:
    try:
        return urlsplit(url).password
    except ValueError:
        return None


def _as_dict(config: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(config, BaseModel):
        return config.model_dump(mode="json", warnings=False)
    return dict(config)


def _mask(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            key: (MASK if is_secret_key(key) and item not in (None, "") else _mask(item))
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_mask(item) for item in value]
    return value


def masked_config_dict(config: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    """A JSON-able copy of the config with every secret replaced by "***".

    Empty or null secrets stay visible as they are (they reveal only that nothing is set);
    a password inside `db_url` is masked too.
    """
    masked: dict[str, Any] = _mask(_as_dict(config))
    if isinstance(masked.get("db_url"), str):
        masked["db_url"] = mask_url_password(masked["db_url"])
    return masked


def _collect(value: Any, found: list[str], secret: bool = False) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _collect(item, found, secret or is_secret_key(key))
    elif isinstance(value, list):
        for item in value:
            _collect(item, found, secret)
    elif secret and isinstance(value, str) and value:
        found.append(value)


def secret_values(config: BaseModel | Mapping[str, Any]) -> list[str]:
    """Every non-empty secret string in the config (for the log redactor), without duplicates."""
    data = _as_dict(config)
    found: list[str] = []
    _collect(data, found)
    db_url = data.get("db_url")
    if isinstance(db_url, str) and (password := _url_password(db_url)):
        found.append(password)
    return list(dict.fromkeys(found))
