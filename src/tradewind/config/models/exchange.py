"""The `exchange` section and tradewind's `exchange.simulation` sub-section."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, field_validator

from tradewind.config.models.base import ConfigModel
from tradewind.config.models.fields import (
    Flag,
    JsonObject,
    Name,
    SimulationSource,
    Text,
    invalid,
    number,
    one_of,
    whole,
)

SIMULATED_EXCHANGE = "simulated"
"""`exchange.name` of tradewind's built-in simulated exchange."""


def _check_start(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise invalid("must be an ISO 8601 date-time such as 2018-01-10T00:00:00Z") from None
    else:
        raise invalid("must be an ISO 8601 date-time such as 2018-01-10T00:00:00Z")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class SimulationConfig(ConfigModel):
    """How the simulated exchange (`exchange.name == "simulated"`) produces its market."""

    section = "exchange.simulation"

    speed: Annotated[float, number(gt=0)] = 1.0
    """Market seconds per wall-clock second (150: a 5m candle every 2 s)."""
    seed: Annotated[int, whole()] = 42
    """Random seed of generated prices and partial fills."""
    source: Annotated[SimulationSource, one_of(SimulationSource)] = "auto"
    """auto: replay `<PAIR>-<tf>.feather` (datadir or packaged sample data), else generate."""
    warmup_candles: Annotated[int, whole(ge=0)] = 500
    """Candles of history available before the simulated "now"."""
    spread: Annotated[float, number(ge=0, le=0.05)] = 0.0005
    """Bid/ask spread as a ratio of the price."""
    fee: Annotated[float, number(ge=0, le=0.1)] = 0.001
    """Trading fee ratio charged on each fill."""
    partial_fill_share: Annotated[float, number(gt=0, le=1)] = 0.25
    """Largest share of the traded volume a resting limit order fills per price update."""
    start: Annotated[datetime, BeforeValidator(_check_start)] | None = None
    """Market time at start-up (UTC); None = the replay data's start, or now when generating."""


def _check_whitelist_entry(value: Any) -> str:
    if not isinstance(value, str):
        raise invalid("must be a string")
    if "/" not in value:
        raise ValueError(f"'{value}' is not a pair (expected BASE/QUOTE)")
    try:
        re.compile(value)
    except re.error:
        raise ValueError(f"'{value}' is not a pair or a valid regular expression") from None
    return value


def _check_blacklist_entry(value: Any) -> str:
    if not isinstance(value, str):
        raise invalid("must be a string")
    try:
        re.compile(value)
    except re.error:
        raise ValueError(f"'{value}' is not a pair or a valid regular expression") from None
    return value


WhitelistEntry = Annotated[str, BeforeValidator(_check_whitelist_entry)]
BlacklistEntry = Annotated[str, BeforeValidator(_check_blacklist_entry)]


def _check_list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise invalid("must be a list of pairs")
    return value


class ExchangeConfig(ConfigModel):
    """Which exchange to use, its credentials, the static pair lists and client options."""

    section = "exchange"

    name: Name
    """ccxt exchange id ("binance", …) or "simulated"; also names the data directory."""
    key: Text | None = None
    api_key: Text | None = None
    apiKey: Text | None = None  # ccxt's spelling, read by Freqtrade too
    secret: Text | None = None
    password: Text | None = None
    uid: Text | None = None
    account_id: Text | None = None
    wallet_address: Text | None = None
    private_key: Text | None = None
    pair_whitelist: Annotated[list[WhitelistEntry], BeforeValidator(_check_list)] = Field(
        default_factory=list
    )
    """Pairs (BASE/QUOTE) or regular expressions such as ".*/USDT"."""
    pair_blacklist: Annotated[list[BlacklistEntry], BeforeValidator(_check_list)] = Field(
        default_factory=list
    )
    """Pairs or regular expressions never traded."""
    ccxt_config: JsonObject = Field(default_factory=dict)
    ccxt_sync_config: JsonObject = Field(default_factory=dict)
    ccxt_async_config: JsonObject = Field(default_factory=dict)
    enable_ws: Flag = True
    markets_refresh_interval: Annotated[int, whole(ge=0)] = 60
    """Minutes between market reloads."""
    outdated_offset: Annotated[int, whole(ge=1)] = 5
    """Minutes: a last candle older than 2 × timeframe + offset is outdated."""
    unknown_fee_rate: Annotated[float, number(ge=0)] | None = None
    log_responses: Flag = False
    skip_open_order_update: Flag = False
    skip_pair_validation: Flag = False
    demo_trading: Flag = False
    simulation: SimulationConfig = Field(default_factory=SimulationConfig)
    """tradewind only: settings of the simulated exchange (used when name is "simulated")."""

    @field_validator("pair_whitelist", "pair_blacklist")
    @classmethod
    def _unique(cls, pairs: list[str]) -> list[str]:
        seen: set[str] = set()
        for pair in pairs:
            if pair in seen:
                raise ValueError(f"'{pair}' is listed twice")
            seen.add(pair)
        return pairs

    @property
    def is_simulated(self) -> bool:
        """True when this is tradewind's simulated exchange."""
        return self.name.lower() == SIMULATED_EXCHANGE

    def effective_api_key(self) -> str | None:
        """The API key by precedence `api_key` > `apiKey` > `key` (empty strings skipped)."""
        return self.api_key or self.apiKey or self.key or None
