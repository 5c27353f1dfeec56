"""Building the ccxt client: the only place that imports ccxt, and only when called."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tradewind.errors import ConfigError

# ccxt's credential names → the config keys a user sets them with
_CONFIG_KEYS = {
    "apiKey": "exchange.key (or exchange.api_key)",
    "secret": "exchange.secret",
    "password": "exchange.password",
    "uid": "exchange.uid",
    "accountId": "exchange.account_id",
    "walletAddress": "exchange.wallet_address",
    "privateKey": "exchange.private_key",
}


@dataclass(frozen=True)
class Credentials:
    """API credentials; never shown by repr (they end up in logs otherwise)."""

    api_key: str | None = field(default=None, repr=False)
    secret: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    uid: str | None = field(default=None, repr=False)
    account_id: str | None = field(default=None, repr=False)
    wallet_address: str | None = field(default=None, repr=False)
    private_key: str | None = field(default=None, repr=False)

    def as_ccxt(self) -> dict[str, str]:
        """ccxt's constructor keys for the credentials that are set."""
        values = {
            "apiKey": self.api_key,
            "secret": self.secret,
            "password": self.password,
            "uid": self.uid,
            "accountId": self.account_id,
            "walletAddress": self.wallet_address,
            "privateKey": self.private_key,
        }
        return {name: value for name, value in values.items() if value}


_CREDENTIAL_KEYS = ("apiKey", "secret", "password", "uid", "accountId", "walletAddress",
                    "privateKey", "token", "login", "twofa")  # fmt: skip


def client_config(
    quirk_options: Mapping[str, Any], user: Mapping[str, Any], credentials: Credentials | None
) -> dict[str, Any]:
    """ccxt constructor options: quirks first, the user's on top; credentials only for live."""
    config = {k: v for k, v in user.items() if credentials is not None or k not in _CREDENTIAL_KEYS}
    config["options"] = merged_options(quirk_options, user.get("options") or {})
    if credentials is not None:
        config.update(credentials.as_ccxt())
    return config


def merged_options(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """`override` deep-merged onto `base` (nested objects key by key, as Freqtrade's config)."""
    merged = dict(base)
    for key, value in override.items():
        below = merged.get(key)
        if isinstance(value, Mapping) and isinstance(below, Mapping):
            merged[key] = merged_options(below, value)
        else:
            merged[key] = value
    return merged


def missing_credentials(required: Mapping[str, Any], credentials: Credentials) -> list[str]:
    """Config keys of the credentials the exchange requires but `credentials` lacks."""
    present = credentials.as_ccxt()
    return [
        _CONFIG_KEYS.get(name, f"exchange.{name}")
        for name, needed in required.items()
        if needed and name in _CONFIG_KEYS and name not in present
    ]


def create_client(exchange_id: str, config: Mapping[str, Any]) -> Any:
    """A `ccxt.async_support` client of `exchange_id` built from `config`.

    ccxt is imported here rather than at module level: the bot must not load it (a large
    package) unless a real exchange is configured.
    """
    import ccxt.async_support as ccxt_async

    if exchange_id not in ccxt_async.exchanges:
        raise ConfigError(f"exchange.name: ccxt does not support an exchange '{exchange_id}'")
    return getattr(ccxt_async, exchange_id)(dict(config))


def ccxt_base_error() -> type[Exception]:
    """ccxt's root exception class (the adapter translates everything below it)."""
    import ccxt.async_support as ccxt_async

    error: type[Exception] = ccxt_async.BaseError
    return error
