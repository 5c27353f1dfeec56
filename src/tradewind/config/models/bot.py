"""`BotConfig`: the root of the configuration, attribute names = Freqtrade key names.

Keys a strategy may override default to None ("not set"); the strategy resolver assigns the
effective values afterwards (assignment is not validated, so dicts are accepted there too).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from tradewind.config.models.api import ApiServerConfig
from tradewind.config.models.base import TRADE_MODES, ConfigModel, context_runmode
from tradewind.config.models.consumer import ExternalMessageConsumerConfig
from tradewind.config.models.exchange import ExchangeConfig
from tradewind.config.models.fields import (
    DataFormat,
    Flag,
    MarginMode,
    Name,
    Ratio,
    Text,
    TextList,
    Unlimitable,
    invalid,
    is_number,
    number,
    one_of,
    whole,
)
from tradewind.config.models.pairlists import PairlistConfig, check_pairlists, default_pairlists
from tradewind.config.models.pricing import (
    EntryPricingConfig,
    ExitPricingConfig,
    OrderTimeInForceConfig,
    OrderTypesConfig,
    UnfilledTimeoutConfig,
)
from tradewind.config.models.process import EdgeConfig, InternalsConfig
from tradewind.config.models.rules import Problem, consistency_problems, is_unlimited_trades
from tradewind.domain.enums import BotState, TradingMode
from tradewind.domain.timeframes import is_valid_timeframe

RULES_BROKEN = "tw_rules"
"""Error type carrying several (key path, message) problems in its context."""

DRY_RUN_DB_URL = "sqlite:///tradesv3.dryrun.sqlite"
LIVE_DB_URL = "sqlite:///tradesv3.sqlite"

FIAT_CURRENCIES = (
    "AUD",
    "BRL",
    "CAD",
    "CHF",
    "CLP",
    "CNY",
    "CZK",
    "DKK",
    "EUR",
    "GBP",
    "HKD",
    "HUF",
    "IDR",
    "ILS",
    "INR",
    "JPY",
    "KRW",
    "MXN",
    "MYR",
    "NOK",
    "NZD",
    "PHP",
    "PKR",
    "PLN",
    "RUB",
    "UAH",
    "SEK",
    "SGD",
    "THB",
    "TRY",
    "TWD",
    "ZAR",
    "USD",
    "BTC",
    "ETH",
    "XRP",
    "LTC",
    "BCH",
    "BNB",
    "",
)
"""Accepted `fiat_display_currency` values ("" = none)."""

StakeAmount = int | float | Literal["unlimited"]


def _check_stake_amount(value: Any) -> StakeAmount:
    if value == "unlimited" or (is_number(value) and value >= 0.0001):
        return value  # type: ignore[no-any-return]
    raise invalid('must be a number >= 0.0001 or "unlimited"')


def _check_wallet(value: Any) -> float | dict[str, float]:
    if is_number(value) and value >= 0:
        return float(value)
    if (
        isinstance(value, dict)
        and value
        and all(isinstance(key, str) and key.isalnum() for key in value)
        and all(is_number(amount) and amount >= 0 for amount in value.values())
    ):
        return {key: float(amount) for key, amount in value.items()}
    raise invalid('must be a number >= 0 or an object such as {"USDT": 1000, "BTC": 0.1}')


def _check_roi(value: Any) -> dict[str, float]:
    if not isinstance(value, dict):
        raise invalid('must be an object {"<minutes>": ratio}')
    for key, ratio in value.items():
        try:
            minutes = float(key)
        except ValueError:
            minutes = -1.0
        if not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"key '{key}' is not a number of minutes >= 0")
        if not is_number(ratio):
            raise ValueError(f"value of key '{key}' must be a number")
    return {key: float(ratio) for key, ratio in value.items()}


def _check_timeframe(value: Any) -> str:
    if not isinstance(value, str) or not is_valid_timeframe(value):
        raise invalid("must be a timeframe such as 1m, 5m, 1h, 1d")
    return value


def _check_initial_state(value: Any) -> BotState:
    if value not in ("running", "paused", "stopped"):
        raise invalid('must be one of "running", "paused", "stopped"')
    return BotState(value)


def _check_trading_mode(value: Any) -> TradingMode:
    if value not in ("spot", "margin", "futures"):
        raise invalid('must be one of "spot", "margin", "futures"')
    return TradingMode(value)


def _check_fiat(value: Any) -> str:
    if value not in FIAT_CURRENCIES:
        raise invalid('must be a currency code such as "USD" or "EUR", or ""')
    return str(value)


def _check_db_url(value: Any) -> str:
    if not isinstance(value, str) or "://" not in value:
        raise invalid("must be a database URL such as sqlite:///tradesv3.dryrun.sqlite")
    if value == "sqlite:///":
        raise ValueError(
            "'sqlite:///' names no database file (use sqlite:///<file> or sqlite:// for memory)"
        )
    return value


Timeframe = Annotated[str, BeforeValidator(_check_timeframe)]


class BotConfig(ConfigModel):
    """The whole bot configuration (config.md); see the section models for the nested keys."""

    renamed_keys: ClassVar[Mapping[str, str]] = {
        "forcebuy_enable": "force_entry_enable",
        "use_sell_signal": "use_exit_signal",
        "sell_profit_only": "exit_profit_only",
        "sell_profit_offset": "exit_profit_offset",
        "ignore_roi_if_buy_signal": "ignore_roi_if_entry_signal",
        "bid_strategy": "entry_pricing",
        "ask_strategy": "exit_pricing",
    }

    # --- strategy-overridable: None = not set in the config --------------------------------
    max_open_trades: Unlimitable | None = None
    """-1 = unlimited (see `max_open_trades_limit`)."""
    timeframe: Timeframe | None = None
    minimal_roi: Annotated[dict[str, float], BeforeValidator(_check_roi)] | None = None
    stoploss: Annotated[float, number(ge=-1, lt=0)] | None = None
    trailing_stop: Flag | None = None
    trailing_stop_positive: Annotated[float, number(ge=0, le=1)] | None = None
    trailing_stop_positive_offset: Annotated[float, number(ge=0, le=1)] | None = None
    trailing_only_offset_is_reached: Flag | None = None
    use_custom_stoploss: Flag | None = None
    process_only_new_candles: Flag | None = None
    order_types: OrderTypesConfig | None = None
    order_time_in_force: OrderTimeInForceConfig | None = None
    startup_candle_count: Annotated[int, whole(ge=0)] | None = None
    unfilledtimeout: UnfilledTimeoutConfig | None = None
    use_exit_signal: Flag | None = None
    exit_profit_only: Flag | None = None
    exit_profit_offset: Annotated[float, number()] | None = None
    ignore_roi_if_entry_signal: Flag | None = None
    disable_dataframe_checks: Flag | None = None
    ignore_buying_expired_candle_after: Annotated[int, whole(ge=0)] | None = None
    position_adjustment_enable: Flag | None = None
    max_entry_position_adjustment: Unlimitable | None = None

    # --- money and trading ------------------------------------------------------------------
    stake_currency: Name
    stake_amount: Annotated[StakeAmount, BeforeValidator(_check_stake_amount)]
    """Kept as written (100 stays int, 100.0 float) so it renders back identically."""
    tradable_balance_ratio: Ratio = 0.99
    available_capital: Annotated[float, number(ge=0)] | None = None
    amend_last_stake_amount: Flag = False
    last_stake_amount_min_ratio: Ratio = 0.5
    amount_reserve_percent: Annotated[float, number(ge=0, le=0.5)] = 0.05
    fiat_display_currency: Annotated[str, BeforeValidator(_check_fiat)] | None = None
    dry_run: Flag = True
    """Required (explicitly written) when loading for the trade command."""
    dry_run_wallet: Annotated[float | dict[str, float], BeforeValidator(_check_wallet)] = 1000.0
    cancel_open_orders_on_exit: Flag = False
    custom_price_max_distance_ratio: Ratio = 0.02
    trading_mode: Annotated[TradingMode, BeforeValidator(_check_trading_mode)] = TradingMode.SPOT
    margin_mode: Annotated[MarginMode, one_of(MarginMode)] = ""
    force_entry_enable: Flag = False
    initial_state: Annotated[BotState, BeforeValidator(_check_initial_state)] = BotState.STOPPED
    bot_name: Text = "tradewind"
    fee: Annotated[float, number(ge=0, le=0.1)] | None = None

    # --- sections ---------------------------------------------------------------------------
    exchange: ExchangeConfig
    entry_pricing: EntryPricingConfig = Field(default_factory=EntryPricingConfig)
    exit_pricing: ExitPricingConfig = Field(default_factory=ExitPricingConfig)
    pairlists: list[PairlistConfig] = Field(default_factory=default_pairlists)
    edge: EdgeConfig | None = None
    api_server: ApiServerConfig | None = None
    external_message_consumer: ExternalMessageConsumerConfig = Field(
        default_factory=ExternalMessageConsumerConfig
    )
    internals: InternalsConfig = Field(default_factory=InternalsConfig)

    # --- process, storage and paths ---------------------------------------------------------
    db_url: Annotated[str, BeforeValidator(_check_db_url)] | None = None
    strategy: Name | None = None
    strategy_path: Text | None = None
    recursive_strategy_search: Flag = False
    user_data_dir: Text | None = None
    datadir: Text | None = None
    dataformat_ohlcv: Annotated[DataFormat, one_of(DataFormat)] = "feather"
    dataformat_trades: Annotated[DataFormat, one_of(DataFormat)] = "feather"
    add_config_files: TextList = Field(default_factory=list)
    logfile: Text | None = None

    @field_validator("pairlists")
    @classmethod
    def _pairlists(cls, pairlists: list[PairlistConfig]) -> list[PairlistConfig]:
        return check_pairlists(pairlists)

    @model_validator(mode="after")
    def _cross_key_rules(self, info: ValidationInfo) -> BotConfig:
        problems = consistency_problems(self)
        if context_runmode(info) in TRADE_MODES:
            problems.extend(self._trade_mode_problems())
        if problems:
            raise PydanticCustomError(
                RULES_BROKEN,
                "{summary}",
                {"summary": "; ".join(p[1] for p in problems), "problems": problems},
            )
        return self

    def _trade_mode_problems(self) -> list[Problem]:
        problems: list[Problem] = []
        if "dry_run" not in self.model_fields_set:
            hint = "true: simulated orders, false: real trades"
            problems.append((("dry_run",), f"required key is missing ({hint})"))
        if self.pairlists[0].method == "StaticPairList" and not self.exchange.pair_whitelist:
            problems.append(
                (("exchange", "pair_whitelist"), "must list at least one pair for StaticPairList")
            )
        return problems

    # --- derived values ---------------------------------------------------------------------
    @property
    def is_stake_unlimited(self) -> bool:
        """True when `stake_amount` is "unlimited"."""
        return self.stake_amount == "unlimited"

    def stake_amount_text(self) -> str:
        """`stake_amount` as show_config reports it: "unlimited", "100", "100.0", "0.05"."""
        return str(self.stake_amount)

    def max_open_trades_limit(self) -> float:
        """The slot limit: +inf when unlimited (-1) or not set, else the number."""
        value = self.max_open_trades
        if value is None or is_unlimited_trades(value):
            return math.inf
        return float(value)

    def effective_db_url(self) -> str:
        """The database URL to open; a dry-run never opens the live default database."""
        if self.db_url is None:
            return DRY_RUN_DB_URL if self.dry_run else LIVE_DB_URL
        if self.dry_run and self.db_url == LIVE_DB_URL:
            return DRY_RUN_DB_URL
        return self.db_url

    def effective_user_data_dir(self) -> Path:
        """`user_data_dir` as an absolute path (default `<CWD>/user_data`)."""
        base = Path(self.user_data_dir).expanduser() if self.user_data_dir else Path("user_data")
        return base.absolute()

    def effective_datadir(self) -> Path:
        """`datadir` as an absolute path (default `<user_data_dir>/data/<exchange name>`)."""
        if self.datadir:
            return Path(self.datadir).expanduser().absolute()
        return self.effective_user_data_dir() / "data" / self.exchange.name.lower()

    def dry_run_wallet_amount(self, currency: str) -> float:
        """Starting simulated balance of `currency` (a plain number seeds the stake currency)."""
        wallet = self.dry_run_wallet
        if isinstance(wallet, dict):
            return float(wallet.get(currency, 0.0))
        return float(wallet) if currency == self.stake_currency else 0.0
