from __future__ import annotations

import json
from typing import Any

from tradewind.config import BotConfig, masked_config_dict, secret_values
from tradewind.config.masking import is_secret_key, mask_url_password

SECRETS = (
    "exchange-key-1",
    "exchange-secret-1",
    "exchange-pass-1",
    "api-password-1",
    "jwt-secret-0123456789abcdef0123456789",
    "ws-token-1",
    "ws-token-2",
    "producer-token-1",
    "ccxt-secret-1",
    "db-password-1",
)


def full_config(minimal: dict[str, Any]) -> BotConfig:
    minimal["exchange"].update(
        key="exchange-key-1",
        secret="exchange-secret-1",
        password="exchange-pass-1",
        ccxt_config={"apiKey": "ccxt-secret-1", "enableRateLimit": True},
    )
    minimal["api_server"] = {
        "enabled": True,
        "listen_ip_address": "127.0.0.1",
        "listen_port": 8080,
        "username": "admin",
        "password": "api-password-1",
        "jwt_secret_key": "jwt-secret-0123456789abcdef0123456789",
        "ws_token": ["ws-token-1", "ws-token-2"],
    }
    minimal["external_message_consumer"] = {
        "enabled": True,
        "producers": [{"name": "default", "host": "h", "ws_token": "producer-token-1"}],
    }
    minimal["db_url"] = "postgresql+psycopg://bot:db-password-1@db.local:5432/trades"
    return BotConfig.model_validate(minimal)


def test_masked_config_hides_every_secret(minimal: dict[str, Any]) -> None:
    masked = masked_config_dict(full_config(minimal))
    text = json.dumps(masked)
    for secret in SECRETS:
        assert secret not in text
    assert masked["exchange"]["secret"] == "***"
    assert masked["exchange"]["ccxt_config"] == {"apiKey": "***", "enableRateLimit": True}
    assert masked["api_server"]["jwt_secret_key"] == "***"
    assert masked["api_server"]["ws_token"] == "***"
    assert masked["api_server"]["username"] == "admin"
    assert masked["external_message_consumer"]["producers"][0]["ws_token"] == "***"
    assert masked["db_url"] == "postgresql+psycopg://bot:***@db.local:5432/trades"
    assert masked["stake_currency"] == "USDT"


def test_unset_secrets_stay_visible_as_unset(minimal: dict[str, Any]) -> None:
    minimal["exchange"]["secret"] = ""
    masked = masked_config_dict(BotConfig.model_validate(minimal))
    assert masked["exchange"]["secret"] == ""
    assert masked["exchange"]["key"] is None


def test_masking_a_raw_mapping_leaves_it_untouched() -> None:
    raw = {"telegram": {"token": "123:abc", "chat_id": "42"}, "bot_name": "x"}
    assert masked_config_dict(raw) == {
        "telegram": {"token": "***", "chat_id": "***"},
        "bot_name": "x",
    }
    assert raw["telegram"]["token"] == "123:abc"


def test_secret_values_collects_everything_to_redact(minimal: dict[str, Any]) -> None:
    assert set(secret_values(full_config(minimal))) == set(SECRETS)


def test_secret_key_names_ignore_case_and_underscores() -> None:
    assert is_secret_key("apiKey")
    assert is_secret_key("API_KEY")
    assert is_secret_key("ws_token")
    assert not is_secret_key("sort_key")
    assert not is_secret_key("username")
    assert not is_secret_key(3)


def test_url_without_password_is_unchanged() -> None:
    assert mask_url_password("sqlite:///tradesv3.sqlite") == "sqlite:///tradesv3.sqlite"
