"""Order-related sections: entry/exit pricing, order types, time in force, unfilled timeouts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, ClassVar

from pydantic import Field

from tradewind.config.models.base import ConfigModel
from tradewind.config.models.fields import (
    Flag,
    OrderKind,
    PriceSide,
    Ratio,
    StoplossPriceType,
    TimeInForce,
    TimeoutUnit,
    number,
    one_of,
    whole,
)


class DepthOfMarketConfig(ConfigModel):
    """`entry_pricing.check_depth_of_market`: refuse entries when the book is too thin."""

    section = "entry_pricing.check_depth_of_market"

    enabled: Flag = False
    bids_to_ask_delta: Annotated[float, number(ge=0)] = 0.0


class ExitPricingConfig(ConfigModel):
    """How the price of exit orders is chosen (`exit_pricing`)."""

    section = "exit_pricing"
    renamed_keys: ClassVar[Mapping[str, str]] = {
        "ask_last_balance": "price_last_balance",
        "bid_last_balance": "price_last_balance",
    }

    price_side: Annotated[PriceSide, one_of(PriceSide)] = "same"
    use_order_book: Flag = False
    order_book_top: Annotated[int, whole(ge=1, le=50)] = 1
    price_last_balance: Ratio = 0.0
    """Interpolate from the chosen side toward `last` when the side price is worse than last."""


class EntryPricingConfig(ExitPricingConfig):
    """How the price of entry orders is chosen (`entry_pricing`)."""

    section = "entry_pricing"

    check_depth_of_market: DepthOfMarketConfig = Field(default_factory=DepthOfMarketConfig)


class OrderTypesConfig(ConfigModel):
    """`order_types`: limit or market per purpose, and stoploss-on-exchange settings."""

    section = "order_types"
    renamed_keys: ClassVar[Mapping[str, str]] = {
        "buy": "entry",
        "sell": "exit",
        "forcebuy": "force_entry",
        "forcesell": "force_exit",
        "emergencysell": "emergency_exit",
    }

    entry: Annotated[OrderKind, one_of(OrderKind)]
    exit: Annotated[OrderKind, one_of(OrderKind)]
    stoploss: Annotated[OrderKind, one_of(OrderKind)]
    stoploss_on_exchange: Flag
    force_entry: Annotated[OrderKind, one_of(OrderKind)] | None = None
    force_exit: Annotated[OrderKind, one_of(OrderKind)] | None = None
    emergency_exit: Annotated[OrderKind, one_of(OrderKind)] | None = None
    """None means the built-in default, "market"."""
    stoploss_price_type: Annotated[StoplossPriceType, one_of(StoplossPriceType)] | None = None
    stoploss_on_exchange_interval: Annotated[int, whole(ge=0)] | None = None
    stoploss_on_exchange_limit_ratio: Annotated[float, number(ge=0)] | None = None


class OrderTimeInForceConfig(ConfigModel):
    """`order_time_in_force`: GTC, FOK, IOC or PO per side (any case, stored upper-case)."""

    section = "order_time_in_force"
    renamed_keys: ClassVar[Mapping[str, str]] = {"buy": "entry", "sell": "exit"}

    entry: Annotated[TimeInForce, one_of(TimeInForce, normalise=str.upper)] = "GTC"
    exit: Annotated[TimeInForce, one_of(TimeInForce, normalise=str.upper)] = "GTC"


class UnfilledTimeoutConfig(ConfigModel):
    """`unfilledtimeout`: cancel entry/exit orders left unfilled this long."""

    section = "unfilledtimeout"
    renamed_keys: ClassVar[Mapping[str, str]] = {"buy": "entry", "sell": "exit"}

    entry: Annotated[int | float, number(ge=1, keep_int=True)] | None = None
    exit: Annotated[int | float, number(ge=1, keep_int=True)] | None = None
    unit: Annotated[TimeoutUnit, one_of(TimeoutUnit)] = "minutes"
    exit_timeout_count: Annotated[int | float, number(ge=0, keep_int=True)] = 0
    """Emergency-exit after this many exit timeouts (0: never)."""
