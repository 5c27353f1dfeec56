"""Info endpoints: ping, version, show_config, logs, sysinfo, health, ui_version (§2–§3)."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from tradewind.schemas.dates import UtcDatetime

__all__ = [
    "CpuLoad",
    "CpuLoadAvg",
    "Health",
    "LogRecord",
    "Logs",
    "OrderTypes",
    "Ping",
    "ShowConfig",
    "SysInfo",
    "UiVersion",
    "UnfilledTimeout",
    "Version",
]


def _omit_none(value: object) -> bool:
    return value is None


class Ping(BaseModel):
    """``GET /ping``: ``{"status": "pong"}``."""

    status: str = "pong"


class Version(BaseModel):
    """``GET /version``: the bot software version string."""

    version: str


class UiVersion(BaseModel):
    """``GET /ui_version``: installed UI version or ``"not_installed"``."""

    version: str


def _stake_amount_text(value: object) -> object:
    """Numbers become their Python text (``100`` → ``"100"``, ``100.0`` → ``"100.0"``)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


StakeAmountText = Annotated[str, BeforeValidator(_stake_amount_text)]


class UnfilledTimeout(BaseModel):
    """``show_config.unfilledtimeout``: every key present, possibly null."""

    entry: int | None = None
    exit: int | None = None
    unit: str | None = None
    exit_timeout_count: int | None = None


class OrderTypes(BaseModel):
    """``show_config.order_types``; the optional keys are emitted only when set."""

    entry: str
    exit: str
    emergency_exit: str | None = Field(default=None, exclude_if=_omit_none)
    force_exit: str | None = Field(default=None, exclude_if=_omit_none)
    force_entry: str | None = Field(default=None, exclude_if=_omit_none)
    stoploss: str
    stoploss_on_exchange: bool = False
    stoploss_on_exchange_interval: int | None = Field(default=None, exclude_if=_omit_none)


class ShowConfig(BaseModel):
    """``GET /show_config`` (§3.2), fields in wire order.

    ``proxy_coin`` is omitted from the output unless set (futures only); every other field is
    required so the output never silently loses one, whether or not the route uses
    ``response_model_exclude_unset``.
    """

    version: str
    strategy_version: str | None
    api_version: float
    dry_run: bool
    trading_mode: str
    margin_mode: str
    short_allowed: bool
    stake_currency: str
    proxy_coin: str | None = Field(default=None, exclude_if=_omit_none)
    stake_amount: StakeAmountText
    available_capital: float | None
    stake_currency_decimals: int
    max_open_trades: float
    minimal_roi: dict[str, Any]
    stoploss: float | None
    stoploss_on_exchange: bool
    trailing_stop: bool | None
    trailing_stop_positive: float | None
    trailing_stop_positive_offset: float | None
    trailing_only_offset_is_reached: bool | None
    unfilledtimeout: UnfilledTimeout | None
    order_types: OrderTypes | None
    use_custom_stoploss: bool | None
    timeframe: str | None
    timeframe_ms: int
    timeframe_min: int
    exchange: str
    demo_trading: bool
    strategy: str | None
    force_entry_enable: bool
    exit_pricing: dict[str, Any]
    entry_pricing: dict[str, Any]
    bot_name: str
    state: str
    runmode: str
    position_adjustment_enable: bool
    max_entry_position_adjustment: int


LogRecord = tuple[str, float, str, str, str]
"""One log row: ``[date (a), epoch ms with fraction, logger name, level, message]``."""


class Logs(BaseModel):
    """``GET /logs``: the newest ``limit`` records, oldest first."""

    log_count: int
    logs: list[LogRecord]


class CpuLoad(BaseModel):
    """One CPU's load in ``sysinfo.cpu_load``."""

    cpu: int
    pct: float


class CpuLoadAvg(BaseModel):
    """``sysinfo.cpu_load_avg``; the wire keys are ``"1m"``, ``"5m"``, ``"15m"``."""

    model_config = ConfigDict(
        validate_by_name=True, validate_by_alias=True, serialize_by_alias=True
    )

    one_minute: float = Field(alias="1m")
    five_minutes: float = Field(alias="5m")
    fifteen_minutes: float = Field(alias="15m")


class SysInfo(BaseModel):
    """``GET /sysinfo``; ``cpu_pct`` is deprecated but still sent."""

    cpu_pct: list[float]
    cpu_load: list[CpuLoad]
    cpu_load_avg: CpuLoadAvg
    cpu_count: int
    cpu_avg: float
    ram_pct: float


class Health(BaseModel):
    """``GET /health``: datetimes emit ``...Z`` (flavour d), ``*_ts`` are epoch **seconds**."""

    last_process: UtcDatetime | None = None
    last_process_ts: int | None = None
    bot_start: UtcDatetime | None = None
    bot_start_ts: int | None = None
    bot_startup: UtcDatetime | None = None
    bot_startup_ts: int | None = None
