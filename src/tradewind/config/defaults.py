"""Built-in configurations: the embedded default of a bare `tradewind trade`, and new-config text.

`EMBEDDED_DEFAULT` deliberately omits `api_server.password`, `jwt_secret_key` and `ws_token`:
the CLI generates them once (`generate_api_secrets`), persists them in the user's data
directory and fills them in before loading, so restarts keep working logins. Loading the
embedded default without them fails ("api_server.password: required key is missing").
"""

from __future__ import annotations

import copy
import json
import secrets
from dataclasses import dataclass, field
from typing import Any, Final

from pydantic import ValidationError

from tradewind.config.jsonc import parse_jsonc
from tradewind.config.models.bot import DRY_RUN_DB_URL, BotConfig
from tradewind.config.models.exchange import SIMULATED_EXCHANGE
from tradewind.config.problems import problems_from
from tradewind.errors import ConfigError

SAMPLE_PAIRS: Final = (
    "ADA/BTC",
    "DASH/BTC",
    "ETC/BTC",
    "ETH/BTC",
    "LTC/BTC",
    "NXT/BTC",
    "TRX/BTC",
    "XLM/BTC",
    "XMR/BTC",
    "ZEC/BTC",
)
"""The pairs of the packaged sample market data."""

DEFAULT_API_USERNAME: Final = "tradewind"

EMBEDDED_DEFAULT: Final[dict[str, Any]] = {
    "bot_name": "tradewind",
    "dry_run": True,
    "dry_run_wallet": 1,
    "stake_currency": "BTC",
    "stake_amount": 0.05,
    "max_open_trades": 5,
    "timeframe": "5m",
    "strategy": "SampleStrategy",
    "initial_state": "running",
    "force_entry_enable": True,
    "db_url": DRY_RUN_DB_URL,
    "exchange": {
        "name": SIMULATED_EXCHANGE,
        "pair_whitelist": list(SAMPLE_PAIRS),
        "pair_blacklist": [],
        "simulation": {"speed": 150, "source": "auto"},
    },
    "pairlists": [{"method": "StaticPairList"}],
    "internals": {"process_throttle_secs": 1},
    "api_server": {
        "enabled": True,
        "listen_ip_address": "127.0.0.1",
        "listen_port": 8080,
        "username": DEFAULT_API_USERNAME,
        "verbosity": "error",
        "enable_openapi": True,
        "CORS_origins": [],
    },
}
"""The config of `tradewind trade` without --config and without ./config.json (see module doc).
Treat as read-only; `embedded_default()` returns a copy to fill in."""


def embedded_default() -> dict[str, Any]:
    """A fresh, mutable deep copy of `EMBEDDED_DEFAULT`."""
    return copy.deepcopy(EMBEDDED_DEFAULT)


@dataclass(frozen=True)
class ApiSecrets:
    """Freshly generated credentials for the `api_server` block."""

    password: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    jwt_secret_key: str = field(default_factory=lambda: secrets.token_hex(32))
    """64 hex characters."""
    ws_token: str = field(default_factory=lambda: secrets.token_urlsafe(25))

    def as_config(self) -> dict[str, str]:
        """The three keys as they go into `api_server`."""
        return {
            "password": self.password,
            "jwt_secret_key": self.jwt_secret_key,
            "ws_token": self.ws_token,
        }


def generate_api_secrets() -> ApiSecrets:
    """New random API password, JWT secret and WebSocket token."""
    return ApiSecrets()


@dataclass(frozen=True)
class NewConfigOptions:
    """What `tradewind new-config` asks for; secrets are generated afresh per instance."""

    exchange: str = SIMULATED_EXCHANGE
    stake_currency: str = "BTC"
    stake_amount: float | str = 0.05
    pairs: tuple[str, ...] = SAMPLE_PAIRS
    max_open_trades: int = 5
    timeframe: str = "5m"
    strategy: str = "SampleStrategy"
    dry_run_wallet: float | None = None
    """None: 1 for BTC, 10 for ETH, else 1000 units of the stake currency."""
    simulation_speed: float = 150.0
    bot_name: str = "tradewind"
    listen_ip_address: str = "127.0.0.1"
    listen_port: int = 8080
    username: str = DEFAULT_API_USERNAME
    api_secrets: ApiSecrets = field(default_factory=generate_api_secrets)

    def wallet(self) -> float:
        """The starting dry-run balance to write."""
        if self.dry_run_wallet is not None:
            return self.dry_run_wallet
        return {"BTC": 1.0, "ETH": 10.0}.get(self.stake_currency.upper(), 1000.0)


def _j(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 1000 rather than 1000.0
    return json.dumps(value, ensure_ascii=False)


def _pair_lines(pairs: tuple[str, ...], indent: str) -> list[str]:
    rows = [", ".join(_j(pair) for pair in pairs[i : i + 5]) for i in range(0, len(pairs), 5)]
    if len(rows) <= 1:
        return [f'{indent}"pair_whitelist": [{rows[0] if rows else ""}],']
    body = [f"{indent}    {row}," for row in rows[:-1]] + [f"{indent}    {rows[-1]}"]
    return [f'{indent}"pair_whitelist": [', *body, f"{indent}],"]


def _exchange_block(options: NewConfigOptions) -> list[str]:
    lines = ['  "exchange": {', f'    "name": {_j(options.exchange)},']
    if options.exchange == SIMULATED_EXCHANGE:
        lines += [
            "    // The simulated exchange replays stored candles or generates a market.",
            "    // speed = market seconds per real second (150: one 5m candle every 2 s).",
            f'    "simulation": {{"speed": {_j(options.simulation_speed)}, "source": "auto"}},',
        ]
    else:
        lines += [
            "    // API credentials are only needed to trade for real (dry_run false).",
            '    "key": "",',
            '    "secret": "",',
            '    "ccxt_config": {},',
        ]
    lines += [
        "    // Pairs to trade (BASE/QUOTE, regular expressions allowed) and pairs never to trade.",
        *_pair_lines(options.pairs, "    "),
        '    "pair_blacklist": []',
        "  },",
    ]
    return lines


def _api_block(options: NewConfigOptions) -> list[str]:
    api = options.api_secrets
    return [
        "  // REST API, WebSocket and web UI. Keep the secrets below private.",
        '  "api_server": {',
        '    "enabled": true,',
        "    // 127.0.0.1: this machine only. Use 0.0.0.0 to listen on every interface.",
        f'    "listen_ip_address": {_j(options.listen_ip_address)},',
        f'    "listen_port": {_j(options.listen_port)},',
        '    "verbosity": "error",',
        '    "enable_openapi": false,',
        f'    "jwt_secret_key": {_j(api.jwt_secret_key)},',
        "    // Token for followers connecting to this bot's message WebSocket.",
        f'    "ws_token": {_j(api.ws_token)},',
        '    "CORS_origins": [],',
        f'    "username": {_j(options.username)},',
        f'    "password": {_j(api.password)}',
        "  },",
    ]


def render_new_config(options: NewConfigOptions | None = None) -> str:
    """The text of a commented, working JSONC config for `options` (fresh secrets by default).

    Raises ConfigError when the options would not make a valid config (e.g. a bad pair).
    """
    options = options or NewConfigOptions()
    throttle = 1 if options.exchange == SIMULATED_EXCHANGE else 5
    lines = [
        "// tradewind configuration, written by `tradewind new-config`.",
        "// Freqtrade-compatible keys; comments and trailing commas are allowed.",
        "{",
        f'  "bot_name": {_j(options.bot_name)},',
        "  // true: simulated orders and wallet. false trades real money!",
        '  "dry_run": true,',
        f'  "dry_run_wallet": {_j(options.wallet())},',
        f'  "stake_currency": {_j(options.stake_currency)},',
        '  // Stake per trade in the stake currency, or "unlimited" to split the balance.',
        f'  "stake_amount": {_j(options.stake_amount)},',
        f'  "max_open_trades": {_j(options.max_open_trades)},',
        f'  "timeframe": {_j(options.timeframe)},',
        f'  "strategy": {_j(options.strategy)},',
        "  // State after start-up: running, paused or stopped.",
        '  "initial_state": "running",',
        '  "force_entry_enable": true,',
        f'  "db_url": {_j(DRY_RUN_DB_URL)},',
        *_exchange_block(options),
        '  "entry_pricing": {"price_side": "same", "use_order_book": false},',
        '  "exit_pricing": {"price_side": "same", "use_order_book": false},',
        '  "pairlists": [{"method": "StaticPairList"}],',
        *_api_block(options),
        f'  "internals": {{"process_throttle_secs": {throttle}, "heartbeat_interval": 60}}',
        "}",
        "",
    ]
    text = "\n".join(lines)
    _check_rendered(text)
    return text


def _check_rendered(text: str) -> None:
    data, _ = parse_jsonc(text, "new config")
    try:
        BotConfig.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(f"{p.dotted}: {p.message}" for p in problems_from(exc))
        raise ConfigError(f"new config: {details}") from None
