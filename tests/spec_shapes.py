"""Key lists and value checks taken from the wire spec (rest-api.md), shared by the API tests.

Lists are in wire order where the spec gives one; ``assert_keys`` compares order too.
"""

from __future__ import annotations

import re
from typing import Any

ORDER_KEYS = [
    "pair",
    "order_id",
    "status",
    "remaining",
    "amount",
    "safe_price",
    "cost",
    "filled",
    "ft_order_side",
    "order_type",
    "is_open",
    "order_timestamp",
    "order_filled_timestamp",
    "ft_fee_base",
    "ft_order_tag",
]
"""§5.0.1, filtered form (15 keys)."""

RAW_ORDER_KEYS = [
    "amount",
    "safe_price",
    "ft_order_side",
    "order_filled_timestamp",
    "ft_is_entry",
    "ft_order_tag",
    "cost",
    "pair",
    "order_id",
    "status",
    "average",
    "filled",
    "is_open",
    "order_date",
    "order_timestamp",
    "order_filled_date",
    "order_type",
    "price",
    "remaining",
    "ft_fee_base",
    "funding_fee",
]
"""§5.0.1, raw form (21 keys)."""

TRADE_KEYS = [
    "trade_id",
    "pair",
    "base_currency",
    "quote_currency",
    "is_open",
    "is_short",
    "exchange",
    "amount",
    "amount_requested",
    "stake_amount",
    "max_stake_amount",
    "strategy",
    "enter_tag",
    "timeframe",
    "fee_open",
    "fee_open_cost",
    "fee_open_currency",
    "fee_close",
    "fee_close_cost",
    "fee_close_currency",
    "open_date",
    "open_timestamp",
    "open_fill_date",
    "open_fill_timestamp",
    "open_rate",
    "open_rate_requested",
    "open_trade_value",
    "close_date",
    "close_timestamp",
    "close_rate",
    "close_rate_requested",
    "close_profit",
    "close_profit_pct",
    "close_profit_abs",
    "profit_ratio",
    "profit_pct",
    "profit_abs",
    "profit_fiat",
    "realized_profit",
    "realized_profit_ratio",
    "exit_reason",
    "exit_order_status",
    "stop_loss_abs",
    "stop_loss_ratio",
    "stop_loss_pct",
    "stoploss_last_update",
    "stoploss_last_update_timestamp",
    "initial_stop_loss_abs",
    "initial_stop_loss_ratio",
    "initial_stop_loss_pct",
    "min_rate",
    "max_rate",
    "nr_of_successful_entries",
    "nr_of_successful_exits",
    "has_open_orders",
    "orders",
    "leverage",
    "interest_rate",
    "liquidation_price",
    "funding_fees",
    "trading_mode",
    "amount_precision",
    "price_precision",
    "precision_mode",
]
"""§5.0.3, model form (force-enter answer)."""

OPEN_TRADE_KEYS = [
    *TRADE_KEYS,
    "stoploss_current_dist",
    "stoploss_current_dist_pct",
    "stoploss_current_dist_ratio",
    "stoploss_entry_dist",
    "stoploss_entry_dist_ratio",
    "current_rate",
    "total_profit_abs",
    "total_profit_fiat",
    "total_profit_ratio",
]
"""§5.0.4: model form + 9 keys (/status, /trade/{id}, reload, cancel)."""

RAW_TRADE_KEYS = [
    "trade_id",
    "pair",
    "base_currency",
    "quote_currency",
    "is_open",
    "exchange",
    "amount",
    "amount_requested",
    "stake_amount",
    "max_stake_amount",
    "strategy",
    "enter_tag",
    "timeframe",
    "fee_open",
    "fee_open_cost",
    "fee_open_currency",
    "fee_close",
    "fee_close_cost",
    "fee_close_currency",
    "open_date",
    "open_timestamp",
    "open_fill_date",
    "open_fill_timestamp",
    "open_rate",
    "open_rate_requested",
    "open_trade_value",
    "close_date",
    "close_timestamp",
    "realized_profit",
    "realized_profit_ratio",
    "close_rate",
    "close_rate_requested",
    "close_profit",
    "close_profit_pct",
    "close_profit_abs",
    "trade_duration_s",
    "trade_duration",
    "profit_ratio",
    "profit_pct",
    "profit_abs",
    "exit_reason",
    "exit_order_status",
    "stop_loss_abs",
    "stop_loss_ratio",
    "stop_loss_pct",
    "stoploss_last_update",
    "stoploss_last_update_timestamp",
    "initial_stop_loss_abs",
    "initial_stop_loss_ratio",
    "initial_stop_loss_pct",
    "min_rate",
    "max_rate",
    "leverage",
    "interest_rate",
    "liquidation_price",
    "is_short",
    "trading_mode",
    "funding_fees",
    "amount_precision",
    "price_precision",
    "precision_mode",
    "precision_mode_price",
    "contract_size",
    "nr_of_successful_entries",
    "nr_of_successful_exits",
    "has_open_orders",
    "orders",
]
"""§5.0.2, raw form (``GET /trades``)."""

SHOW_CONFIG_FIELDS = [
    "version",
    "strategy_version",
    "api_version",
    "dry_run",
    "trading_mode",
    "margin_mode",
    "short_allowed",
    "stake_currency",
    "proxy_coin",
    "stake_amount",
    "available_capital",
    "stake_currency_decimals",
    "max_open_trades",
    "minimal_roi",
    "stoploss",
    "stoploss_on_exchange",
    "trailing_stop",
    "trailing_stop_positive",
    "trailing_stop_positive_offset",
    "trailing_only_offset_is_reached",
    "unfilledtimeout",
    "order_types",
    "use_custom_stoploss",
    "timeframe",
    "timeframe_ms",
    "timeframe_min",
    "exchange",
    "demo_trading",
    "strategy",
    "force_entry_enable",
    "exit_pricing",
    "entry_pricing",
    "bot_name",
    "state",
    "runmode",
    "position_adjustment_enable",
    "max_entry_position_adjustment",
]
"""§3.2: every field in wire order (the 2026.9 example plus ``proxy_coin``)."""
SHOW_CONFIG_KEYS = [key for key in SHOW_CONFIG_FIELDS if key != "proxy_coin"]
"""What /show_config sends: proxy_coin only appears when configured."""

PROFIT_KEYS = [
    "profit_closed_coin",
    "profit_closed_percent_mean",
    "profit_closed_ratio_mean",
    "profit_closed_percent_sum",
    "profit_closed_ratio_sum",
    "profit_closed_percent",
    "profit_closed_ratio",
    "profit_closed_fiat",
    "profit_all_coin",
    "profit_all_percent_mean",
    "profit_all_ratio_mean",
    "profit_all_percent_sum",
    "profit_all_ratio_sum",
    "profit_all_percent",
    "profit_all_ratio",
    "profit_all_fiat",
    "trade_count",
    "closed_trade_count",
    "first_trade_date",
    "first_trade_humanized",
    "first_trade_timestamp",
    "latest_trade_date",
    "latest_trade_humanized",
    "latest_trade_timestamp",
    "avg_duration",
    "best_pair",
    "best_rate",
    "best_pair_profit_ratio",
    "best_pair_profit_abs",
    "winning_trades",
    "losing_trades",
    "profit_factor",
    "winrate",
    "expectancy",
    "expectancy_ratio",
    "sharpe",
    "sortino",
    "sqn",
    "calmar",
    "cagr",
    "max_drawdown",
    "max_drawdown_abs",
    "max_drawdown_start",
    "max_drawdown_start_timestamp",
    "max_drawdown_end",
    "max_drawdown_end_timestamp",
    "current_drawdown",
    "current_drawdown_abs",
    "current_drawdown_high",
    "current_drawdown_start",
    "current_drawdown_start_timestamp",
    "trading_volume",
    "bot_start_timestamp",
    "bot_start_date",
]
"""§6.3."""

BALANCE_KEYS = [
    "currencies",
    "total",
    "total_bot",
    "symbol",
    "value",
    "value_bot",
    "stake",
    "note",
    "starting_capital",
    "starting_capital_ratio",
    "starting_capital_pct",
    "starting_capital_fiat",
    "starting_capital_fiat_ratio",
    "starting_capital_fiat_pct",
]
BALANCE_ROW_KEYS = [
    "currency",
    "free",
    "balance",
    "used",
    "bot_owned",
    "est_stake",
    "est_stake_bot",
    "stake",
    "side",
    "is_position",
    "position",
    "is_bot_managed",
]
"""§6.2."""

PAIR_HISTORY_KEYS = [
    "strategy",
    "pair",
    "timeframe",
    "timeframe_ms",
    "columns",
    "all_columns",
    "data",
    "annotations",
    "length",
    "buy_signals",
    "sell_signals",
    "enter_long_signals",
    "exit_long_signals",
    "enter_short_signals",
    "exit_short_signals",
    "last_analyzed",
    "last_analyzed_ts",
    "data_start_ts",
    "data_stop_ts",
    "data_start",
    "data_stop",
]
"""§10.0."""

LOCK_KEYS = "id active lock_end_time lock_end_timestamp lock_time lock_timestamp pair side reason"
LOCK_KEYS_LIST = LOCK_KEYS.split()
"""§8."""

PERIOD_ROW_KEYS = [
    "date",
    "abs_profit",
    "rel_profit",
    "starting_balance",
    "fiat_value",
    "trade_count",
]
SYSINFO_KEYS = ["cpu_pct", "cpu_load", "cpu_load_avg", "cpu_count", "cpu_avg", "ram_pct"]
HEALTH_KEYS = [
    "last_process",
    "last_process_ts",
    "bot_start",
    "bot_start_ts",
    "bot_startup",
    "bot_startup_ts",
]

NAIVE_TEXT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
"""Flavour (a)."""
ISO_Z = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")
"""Flavour (d)."""
OFFSET_TEXT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+00:00$")
"""Flavour (e)."""
DAY = re.compile(r"^\d{4}-\d\d-\d\d$")

EPOCH_MS_2010 = 1_262_304_000_000
EPOCH_S_2010 = 1_262_304_000


def assert_keys(body: dict[str, Any], expected: list[str]) -> None:
    """``body`` has exactly ``expected`` keys, in that order."""
    assert list(body) == list(expected), _diff(list(body), list(expected))


def _diff(got: list[str], expected: list[str]) -> str:
    missing = [key for key in expected if key not in got]
    extra = [key for key in got if key not in expected]
    return f"missing {missing}, extra {extra}, got order {got}"


def is_ms(value: Any) -> bool:
    """An integer epoch in milliseconds (after 2010)."""
    return isinstance(value, int) and not isinstance(value, bool) and value > EPOCH_MS_2010


def is_s(value: Any) -> bool:
    """An integer epoch in seconds (after 2010, before 2100)."""
    return isinstance(value, int) and EPOCH_S_2010 < value < 4_102_444_800


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
