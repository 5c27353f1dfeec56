"""Raw trade and order dicts of ``GET /trades`` (rest-api.md §5.0.1, §5.0.2).

``GET /trades`` has no response model: it emits these dicts as they are, so their key order
*is* the wire order. Build them with :func:`raw_order` / :func:`raw_trade` /
:func:`trade_list_response`, which take keyword arguments checked by mypy against the
TypedDicts and return dicts in the declared order, whatever order the caller used. Dates must
already be strings (flavour a, ``schemas.dates.naive_text``), timestamps epoch ms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict, TypeVar, Unpack, cast

from orjson import Fragment

__all__ = [
    "RAW_ORDER_KEYS",
    "RAW_TRADE_KEYS",
    "TRADE_LIST_KEYS",
    "RawOrderDict",
    "RawTradeDict",
    "TradeResponse",
    "raw_order",
    "raw_trade",
    "trade_list_response",
]


class RawOrderDict(TypedDict):
    """An order in raw form: 21 keys in this order."""

    amount: float
    safe_price: float
    ft_order_side: str
    order_filled_timestamp: int | None
    ft_is_entry: bool
    ft_order_tag: str | None
    cost: float
    pair: str
    order_id: str
    status: str | None
    average: float
    filled: float | None
    is_open: bool
    order_date: str | None
    order_timestamp: int | None
    order_filled_date: str | None
    order_type: str
    price: float | None
    remaining: float | None
    ft_fee_base: float | None
    funding_fee: float | None


class RawTradeDict(TypedDict):
    """A closed or open trade in raw form, keys in wire order (``timeframe`` in minutes)."""

    trade_id: int
    pair: str
    base_currency: str
    quote_currency: str
    is_open: bool
    exchange: str
    amount: float
    amount_requested: float | None
    stake_amount: float
    max_stake_amount: float | None
    strategy: str
    enter_tag: str | None
    timeframe: int
    fee_open: float | None
    fee_open_cost: float | None
    fee_open_currency: str | None
    fee_close: float | None
    fee_close_cost: float | None
    fee_close_currency: str | None
    open_date: str
    open_timestamp: int
    open_fill_date: str | None
    open_fill_timestamp: int | None
    open_rate: float
    open_rate_requested: float | None
    open_trade_value: float
    close_date: str | None
    close_timestamp: int | None
    realized_profit: float
    realized_profit_ratio: float | None
    close_rate: float | None
    close_rate_requested: float | None
    close_profit: float | None
    close_profit_pct: float | None
    close_profit_abs: float | None
    trade_duration_s: int | None
    trade_duration: int | None
    profit_ratio: float | None
    profit_pct: float | None
    profit_abs: float | None
    exit_reason: str | None
    exit_order_status: str | None
    stop_loss_abs: float | None
    stop_loss_ratio: float | None
    stop_loss_pct: float | None
    stoploss_last_update: str | None
    stoploss_last_update_timestamp: int | None
    initial_stop_loss_abs: float | None
    initial_stop_loss_ratio: float | None
    initial_stop_loss_pct: float | None
    min_rate: float | None
    max_rate: float | None
    leverage: float
    interest_rate: float
    liquidation_price: float | None
    is_short: bool
    trading_mode: str
    funding_fees: float | None
    amount_precision: float | None
    price_precision: float | None
    precision_mode: int | None
    precision_mode_price: int | None
    contract_size: float | None
    nr_of_successful_entries: int
    nr_of_successful_exits: int
    has_open_orders: bool
    orders: list[RawOrderDict]


class TradeResponse(TypedDict):
    """``GET /trades``: one page of closed trades plus the paging numbers."""

    trades: list[RawTradeDict] | list[Fragment]
    """Raw trade dicts, or the same already encoded (see ``schemas.json.fragment``)."""
    trades_count: int
    offset: int
    total_trades: int


RAW_ORDER_KEYS: tuple[str, ...] = tuple(RawOrderDict.__annotations__)
RAW_TRADE_KEYS: tuple[str, ...] = tuple(RawTradeDict.__annotations__)
TRADE_LIST_KEYS: tuple[str, ...] = tuple(TradeResponse.__annotations__)

_D = TypeVar("_D")


def _in_order(fields: Mapping[str, Any], keys: tuple[str, ...], result_type: type[_D]) -> _D:
    """``fields`` re-keyed in ``keys`` order; refuses missing or unknown keys."""
    missing = [key for key in keys if key not in fields]
    unknown = [key for key in fields if key not in keys]
    if missing or unknown:
        raise ValueError(f"{result_type.__name__}: missing {missing}, unknown {unknown}")
    return cast(_D, {key: fields[key] for key in keys})


def raw_order(**fields: Unpack[RawOrderDict]) -> RawOrderDict:
    """A raw order dict in wire order."""
    return _in_order(fields, RAW_ORDER_KEYS, RawOrderDict)


def raw_trade(**fields: Unpack[RawTradeDict]) -> RawTradeDict:
    """A raw trade dict in wire order (its ``orders`` should come from :func:`raw_order`)."""
    return _in_order(fields, RAW_TRADE_KEYS, RawTradeDict)


def trade_list_response(
    trades: list[RawTradeDict] | list[Fragment], *, offset: int, total_trades: int
) -> TradeResponse:
    """The ``GET /trades`` body; ``trades_count`` is the length of this page."""
    return {
        "trades": trades,
        "trades_count": len(trades),
        "offset": offset,
        "total_trades": total_trades,
    }
