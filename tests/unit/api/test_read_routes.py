"""Every read route of the API against a bot with open, closed and locked pairs: shapes field by
field (rest-api.md), in wire order, with the spec's date and number flavours."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.botconfig import TEST_JWT_SECRET, TEST_PASSWORD, TEST_WS_TOKEN
from tests.spec_shapes import (
    BALANCE_KEYS,
    BALANCE_ROW_KEYS,
    DAY,
    HEALTH_KEYS,
    ISO_Z,
    LOCK_KEYS_LIST,
    NAIVE_TEXT,
    OFFSET_TEXT,
    OPEN_TRADE_KEYS,
    ORDER_KEYS,
    PAIR_HISTORY_KEYS,
    PERIOD_ROW_KEYS,
    PROFIT_KEYS,
    RAW_ORDER_KEYS,
    RAW_TRADE_KEYS,
    SHOW_CONFIG_KEYS,
    SYSINFO_KEYS,
    assert_keys,
    is_ms,
    is_number,
    is_s,
)
from tests.unit.api.harness import BotApi, populate, running_bot
from tradewind.api.app import create_app

V1 = "/api/v1"


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotApi]:
    with running_bot(tmp_path_factory.mktemp("read-api")) as bot:
        populate(bot)
        yield bot


def get(bot: BotApi, path: str) -> Any:
    return bot.ok("GET", V1 + path)


# -- info -------------------------------------------------------------------------------------
def test_ping_is_public_and_answers_head(bot: BotApi) -> None:
    response = bot.client.get(f"{V1}/ping")
    assert response.status_code == 200 and response.json() == {"status": "pong"}
    head = bot.client.head(f"{V1}/ping")
    assert head.status_code == 200 and head.content == b""


def test_openapi_docs_and_schema_are_served_only_when_enabled(bot: BotApi) -> None:
    context = bot.context
    assert context.config.api_server is not None and context.config.api_server.enable_openapi
    assert bot.client.get("/openapi.json").json()["paths"]
    api = context.config.api_server.model_copy(update={"enable_openapi": False})
    closed = replace(context, config=context.config.model_copy(update={"api_server": api}))
    client = TestClient(create_app(closed))
    for path in ("/docs", "/openapi.json"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")  # the UI's index


def test_version_is_the_bot_version(bot: BotApi) -> None:
    assert get(bot, "/version") == {"version": bot.context.version}


def test_show_config_lists_every_field_in_wire_order(bot: BotApi) -> None:
    body = get(bot, "/show_config")
    assert_keys(body, SHOW_CONFIG_KEYS)
    assert body["api_version"] == 2.5
    assert body["stake_amount"] == "0.05" and body["stake_currency"] == "BTC"
    assert body["stake_currency_decimals"] == 8
    assert body["max_open_trades"] == 5.0 and isinstance(body["max_open_trades"], float)
    assert body["state"] == "running" and body["runmode"] == "dry_run"
    assert body["dry_run"] is True and body["trading_mode"] == "spot"
    assert body["margin_mode"] == "" and body["short_allowed"] is False
    assert body["timeframe"] == "5m" and body["timeframe_ms"] == 300_000
    assert body["timeframe_min"] == 5
    assert body["strategy"] == "SampleStrategy" and body["strategy_version"] == "1.0"
    assert body["force_entry_enable"] is True and body["exchange"] == "simulated"
    assert all(isinstance(key, str) for key in body["minimal_roi"])
    assert set(body["order_types"]) >= {"entry", "exit", "stoploss", "stoploss_on_exchange"}
    assert body["stoploss_on_exchange"] is False
    assert set(body["unfilledtimeout"]) == {"entry", "exit", "unit", "exit_timeout_count"}
    assert body["entry_pricing"]["price_side"] and body["exit_pricing"]["price_side"]
    assert body["max_entry_position_adjustment"] == -1


def test_show_config_never_reveals_a_secret(bot: BotApi) -> None:
    text = bot.get(f"{V1}/show_config").text
    for secret in (TEST_PASSWORD, TEST_JWT_SECRET, TEST_WS_TOKEN):
        assert secret not in text


def test_logs_are_rows_of_date_ms_logger_level_message(bot: BotApi) -> None:
    buffer = bot.context.log_buffer
    logger = logging.getLogger("tradewind.test.api")
    logger.addHandler(buffer)
    logger.setLevel(logging.INFO)
    try:
        for number in range(3):
            logger.warning("record %d", number)
    finally:
        logger.removeHandler(buffer)
    body = get(bot, "/logs?limit=2")
    assert_keys(body, ["log_count", "logs"])
    assert body["log_count"] == 2 == len(body["logs"])
    date, ms, name, level, message = body["logs"][-1]
    assert NAIVE_TEXT.match(date) and isinstance(ms, float) and ms > 1e12
    assert (name, level, message) == ("tradewind.test.api", "WARNING", "record 2")
    assert get(bot, "/logs")["log_count"] >= 3


def test_sysinfo_samples_every_cpu(bot: BotApi) -> None:
    body = get(bot, "/sysinfo")
    assert_keys(body, SYSINFO_KEYS)
    assert len(body["cpu_pct"]) == len(body["cpu_load"]) >= 1
    assert list(body["cpu_load"][0]) == ["cpu", "pct"]
    assert list(body["cpu_load_avg"]) == ["1m", "5m", "15m"]
    assert isinstance(body["cpu_count"], int) and 0 <= body["ram_pct"] <= 100


def test_health_reports_iso_z_times_and_epoch_seconds(bot: BotApi) -> None:
    body = get(bot, "/health")
    assert_keys(body, HEALTH_KEYS)
    for name in ("last_process", "bot_start", "bot_startup"):
        assert ISO_Z.match(body[name]), body[name]
        assert is_s(body[f"{name}_ts"])


# -- trades -----------------------------------------------------------------------------------
def test_status_lists_open_trades_in_model_form(bot: BotApi) -> None:
    body = get(bot, "/status")
    assert [trade["pair"] for trade in body] == ["ETH/BTC", "LTC/BTC", "ADA/BTC"]
    assert [trade["trade_id"] for trade in body] == sorted(t["trade_id"] for t in body)
    for trade in body:
        assert_keys(trade, OPEN_TRADE_KEYS)
        assert trade["is_open"] is True and trade["close_profit"] is None
        assert NAIVE_TEXT.match(trade["open_date"]) and is_ms(trade["open_timestamp"])
        assert trade["timeframe"] == 5 and trade["enter_tag"] == "force_entry"
        assert is_number(trade["current_rate"]) and is_number(trade["profit_abs"])
        assert trade["orders"], trade
        for order in trade["orders"]:
            assert_keys(order, ORDER_KEYS)


def test_trades_pages_closed_trades_in_raw_form(bot: BotApi) -> None:
    body = get(bot, "/trades")
    assert_keys(body, ["trades", "trades_count", "offset", "total_trades"])
    assert body["total_trades"] == body["trades_count"] == len(body["trades"]) == 1
    trade = body["trades"][0]
    assert_keys(trade, RAW_TRADE_KEYS)
    assert trade["pair"] == "XLM/BTC" and trade["is_open"] is False
    assert trade["exit_reason"] == "force_exit" and NAIVE_TEXT.match(trade["close_date"])
    assert is_ms(trade["close_timestamp"]) and isinstance(trade["trade_duration_s"], int)
    for order in trade["orders"]:
        assert_keys(order, RAW_ORDER_KEYS)


def test_trades_paging_keeps_total_trades_and_echoes_offset(bot: BotApi) -> None:
    body = get(bot, "/trades?limit=1&offset=1&order_by_id=false")
    assert (body["trades"], body["trades_count"], body["offset"], body["total_trades"]) == (
        [],
        0,
        1,
        1,
    )
    assert get(bot, "/trades?limit=5000")["trades_count"] == 1


def test_trade_by_id_serves_open_and_closed_trades(bot: BotApi) -> None:
    closed_id = get(bot, "/trades")["trades"][0]["trade_id"]
    closed = get(bot, f"/trade/{closed_id}")
    assert_keys(closed, OPEN_TRADE_KEYS)
    assert closed["is_open"] is False and closed["total_profit_ratio"] is None
    open_id = get(bot, "/status")[0]["trade_id"]
    assert get(bot, f"/trade/{open_id}")["trade_id"] == open_id


def test_custom_data_not_found_answers_404_with_detail(bot: BotApi) -> None:
    open_id = get(bot, "/status")[0]["trade_id"]
    response = bot.get(f"{V1}/trades/{open_id}/custom-data")
    assert response.status_code == 404
    assert response.json() == {"detail": f"No custom-data found for Trade ID: {open_id}."}
    response = bot.get(f"{V1}/trades/open/custom-data?limit=10")
    assert response.status_code == 404
    assert response.json() == {"detail": "No custom-data found for any open trades."}


def test_count_counts_open_trades_against_the_limit(bot: BotApi) -> None:
    body = get(bot, "/count")
    assert_keys(body, ["current", "max", "total_stake"])
    assert body["current"] == 3 and body["max"] == 5 and body["total_stake"] > 0


# -- statistics ---------------------------------------------------------------------------------
def test_balance_lists_wallet_currencies(bot: BotApi) -> None:
    body = get(bot, "/balance")
    assert_keys(body, BALANCE_KEYS)
    assert body["stake"] == "BTC" and body["note"] == "Simulated balances"
    currencies = {row["currency"] for row in body["currencies"]}
    assert {"BTC", "ETH", "LTC", "ADA"} <= currencies
    for row in body["currencies"]:
        assert_keys(row, BALANCE_ROW_KEYS)


def test_profit_has_every_field(bot: BotApi) -> None:
    body = get(bot, "/profit")
    assert_keys(body, PROFIT_KEYS)
    assert body["trade_count"] == 4 and body["closed_trade_count"] == 1
    assert body["best_pair"] == "XLM/BTC"
    assert NAIVE_TEXT.match(body["first_trade_date"]) and is_ms(body["first_trade_timestamp"])


def test_profit_all_has_all_and_no_direction_split_in_spot(bot: BotApi) -> None:
    body = get(bot, "/profit_all")
    assert_keys(body, ["all", "long", "short"])
    assert_keys(body["all"], PROFIT_KEYS)
    assert body["long"] is None and body["short"] is None


def test_performance_and_tag_groupings(bot: BotApi) -> None:
    (performance,) = get(bot, "/performance")
    assert_keys(
        performance, ["profit_ratio", "profit_pct", "profit_abs", "count", "pair", "profit"]
    )
    assert performance["pair"] == "XLM/BTC" and performance["count"] == 1
    group = ["profit_ratio", "profit_pct", "profit_abs", "count"]
    (entry,) = get(bot, "/entries")
    assert_keys(entry, [*group, "enter_tag"])
    assert entry["enter_tag"] == "force_entry"
    (exit_,) = get(bot, "/exits?pair=XLM/BTC")
    assert_keys(exit_, [*group, "exit_reason"])
    (mix,) = get(bot, "/mix_tags")
    assert_keys(mix, [*group, "mix_tag"])
    assert mix["mix_tag"] == "force_entry force_exit"
    assert get(bot, "/entries?pair=ETH/BTC") == []


@pytest.mark.parametrize(("unit", "default"), [("daily", 7), ("weekly", 4), ("monthly", 3)])
def test_period_breakdowns_have_one_row_per_period(bot: BotApi, unit: str, default: int) -> None:
    body = get(bot, f"/{unit}")
    assert_keys(body, ["data", "fiat_display_currency", "stake_currency"])
    assert len(body["data"]) == default and body["stake_currency"] == "BTC"
    for row in body["data"]:
        assert_keys(row, PERIOD_ROW_KEYS)
        assert DAY.match(row["date"])
    assert len(get(bot, f"/{unit}?timescale=2")["data"]) == 2


def test_stats_groups_exit_reasons(bot: BotApi) -> None:
    body = get(bot, "/stats")
    assert_keys(body, ["exit_reasons", "durations"])
    assert set(body["exit_reasons"]) == {"force_exit"}
    assert_keys(body["exit_reasons"]["force_exit"], ["wins", "losses", "draws"])
    assert_keys(body["durations"], ["wins", "draws", "losses"])


def test_historic_balance_has_its_columns(bot: BotApi) -> None:
    body = get(bot, "/historic_balance")
    assert_keys(body, ["columns", "length", "data", "capture_start_ts"])
    assert body["columns"] == ["date", "__date_ts", "total_quote"]
    assert body["length"] == len(body["data"])


# -- pairs and locks ----------------------------------------------------------------------------
def test_whitelist_lists_the_active_pairs(bot: BotApi) -> None:
    body = get(bot, "/whitelist")
    assert_keys(body, ["whitelist", "length", "method"])
    assert body["length"] == len(body["whitelist"]) == 10
    assert body["method"] == ["StaticPairList"]


def test_blacklist_shape(bot: BotApi) -> None:
    body = get(bot, "/blacklist")
    assert_keys(body, ["blacklist", "blacklist_expanded", "errors", "length", "method"])
    assert body["errors"] == {} and body["length"] == len(body["blacklist"])


def test_locks_list_active_locks_with_ms_timestamps(bot: BotApi) -> None:
    body = get(bot, "/locks")
    assert_keys(body, ["lock_count", "locks"])
    locks = {lock["pair"]: lock for lock in body["locks"]}
    lock = locks["TRX/BTC"]
    assert_keys(lock, LOCK_KEYS_LIST)
    assert lock["lock_end_time"] == "2030-01-01 00:05:00"  # next 5m boundary after until
    assert lock["lock_end_timestamp"] == 1_893_456_300_000
    assert NAIVE_TEXT.match(lock["lock_time"]) and is_ms(lock["lock_timestamp"])
    assert (lock["side"], lock["reason"], lock["active"]) == ("*", "test lock", True)
    assert body["lock_count"] == len(body["locks"])


# -- candles and strategies -----------------------------------------------------------------------
def _check_history(body: dict[str, Any]) -> None:
    assert_keys(body, PAIR_HISTORY_KEYS)
    columns = body["columns"]
    assert columns[:6] == ["date", "open", "high", "low", "close", "volume"]
    assert "__date_ts" in columns and body["length"] == len(body["data"])
    row = body["data"][-1]
    assert len(row) == len(columns)
    assert ISO_Z.match(row[0]) and is_ms(row[columns.index("__date_ts")])
    assert ISO_Z.match(body["last_analyzed"]) and is_s(body["last_analyzed_ts"])
    assert OFFSET_TEXT.match(body["data_start"]) and OFFSET_TEXT.match(body["data_stop"])
    assert body["data_start_ts"] <= body["data_stop_ts"]
    assert body["buy_signals"] == body["enter_long_signals"]
    assert body["sell_signals"] == body["exit_long_signals"]


def test_pair_candles_serves_the_analyzed_dataframe(bot: BotApi) -> None:
    body = get(bot, "/pair_candles?pair=ETH/BTC&timeframe=5m&limit=50")
    _check_history(body)
    assert body["length"] == 50 and body["strategy"] == "SampleStrategy"
    columns = body["columns"]
    assert columns[-3:] == ["__date_ts", "_enter_long_signal_close", "_exit_long_signal_close"]
    assert {"rsi", "enter_long", "exit_long", "enter_tag"} <= set(columns)
    assert set(body["all_columns"]) == set(columns) - {
        "__date_ts",
        "_enter_long_signal_close",
        "_exit_long_signal_close",
    }
    closes = [row[columns.index("_enter_long_signal_close")] for row in body["data"]]
    fired = [row[columns.index("enter_long")] == 1 for row in body["data"]]
    assert sum(fired) == body["enter_long_signals"]
    assert all((close is not None) == hit for close, hit in zip(closes, fired, strict=True))


def test_pair_candles_post_filters_columns(bot: BotApi) -> None:
    body = bot.ok(
        "POST",
        f"{V1}/pair_candles",
        json={"pair": "ETH/BTC", "timeframe": "5m", "columns": ["rsi"], "limit": 3},
    )
    _check_history(body)
    assert body["columns"] == [
        "date",
        "open",
        "high",
        "low",
        "close",
        "volume",
        "rsi",
        "enter_long",
        "exit_long",
        "__date_ts",
        "_enter_long_signal_close",
        "_exit_long_signal_close",
    ]
    assert "bb_lowerband" in body["all_columns"] and body["length"] == 3


def test_pair_candles_of_a_pair_never_analyzed_is_the_empty_shape(bot: BotApi) -> None:
    body = get(bot, "/pair_candles?pair=NOPE/BTC&timeframe=5m")
    assert_keys(body, PAIR_HISTORY_KEYS)
    assert body["columns"] == body["all_columns"] == body["data"] == []
    assert body["last_analyzed"] == "1970-01-01T00:00:00Z" and body["last_analyzed_ts"] == 0
    assert (body["data_start"], body["data_stop"], body["data_start_ts"]) == ("", "", 0)


def test_pair_candles_repeated_polls_share_one_answer(bot: BotApi) -> None:
    service = bot.app.state.services.candles
    request = {"pair": "LTC/BTC", "timeframe": "5m", "columns": ["rsi"]}
    first = bot.ok("POST", f"{V1}/pair_candles", json=request)
    size = len(service._cache)
    assert bot.ok("POST", f"{V1}/pair_candles", json=request) == first
    assert len(service._cache) == size


def test_pair_history_analyzes_data_on_disk_with_a_separate_strategy(bot: BotApi) -> None:
    live = bot.context.strategy
    body = get(
        bot,
        "/pair_history?pair=ETH/BTC&timeframe=5m&timerange=20180112-20180113"
        "&strategy=SampleStrategy&freqaimodel=None",
    )
    _check_history(body)
    assert body["length"] == 288  # one day of 5m candles, warm-up candles trimmed
    assert body["data_start"] == "2018-01-12 00:00:00+00:00"
    assert body["data_stop"] == "2018-01-12 23:55:00+00:00"
    assert bot.context.strategy is live


def test_pair_history_without_data_is_a_502_with_detail(bot: BotApi) -> None:
    response = bot.get(
        f"{V1}/pair_history?pair=ETH/BTC&timeframe=5m&timerange=20240101-&strategy=SampleStrategy"
    )
    assert response.status_code == 502
    assert response.json() == {"detail": "No data for ETH/BTC, 5m in 20240101- found."}


def test_plot_config_of_the_running_and_of_a_named_strategy(bot: BotApi) -> None:
    body = get(bot, "/plot_config")
    assert set(body) == {"main_plot", "subplots"}
    named = get(bot, "/plot_config?strategy=LeaderStrategy")
    assert named == {} or "subplots" in named
    response = bot.get(f"{V1}/plot_config?strategy=NoSuchStrategy")
    assert response.status_code == 502 and "NoSuchStrategy" in response.json()["detail"]


def test_strategies_lists_class_names_sorted(bot: BotApi) -> None:
    body = get(bot, "/strategies")
    assert body["strategies"] == sorted(body["strategies"])
    assert "SampleStrategy" in body["strategies"]


def test_strategy_serves_code_and_parameters_of_the_running_one(bot: BotApi) -> None:
    body = get(bot, "/strategy/SampleStrategy")
    assert_keys(body, ["strategy", "timeframe", "params", "code"])
    assert body["timeframe"] == "5m" and "class SampleStrategy" in body["code"]
    for param in body["params"]:
        assert list(param)[:5] == ["param_type", "name", "space", "load", "optimize"]
    other = bot.get(f"{V1}/strategy/LeaderStrategy")
    assert other.status_code == 404
    assert other.json() == {
        "detail": "Only the currently active strategy is available in trade mode"
    }


def test_available_pairs_reads_the_data_directory(bot: BotApi) -> None:
    body = get(bot, "/available_pairs?timeframe=&stake_currency=")
    assert_keys(body, ["length", "pairs", "pair_interval"])
    assert "ETH/BTC" in body["pairs"] and body["length"] == len(body["pairs"])
    assert ["ETH/BTC", "5m", "spot"] in body["pair_interval"]
    assert get(bot, "/available_pairs?timeframe=1h")["pairs"] == []
    assert get(bot, "/available_pairs?stake_currency=USDT")["length"] == 0


def test_markets_filter_by_base_and_quote(bot: BotApi) -> None:
    body = get(bot, "/markets?quote=BTC&base=ETH")
    assert_keys(body, ["markets", "exchange_id"])
    assert list(body["markets"]) == ["ETH/BTC"] and body["exchange_id"] == "simulated"
    assert_keys(body["markets"]["ETH/BTC"], ["symbol", "base", "quote", "spot", "swap", "active"])


def test_edge_is_not_enabled(bot: BotApi) -> None:
    response = bot.get(f"{V1}/edge")
    assert response.status_code == 502
    assert response.json() == {"error": "Error querying /api/v1/edge: Edge is not enabled."}


def test_pairlists_available_is_webserver_only(bot: BotApi) -> None:
    response = bot.get(f"{V1}/pairlists/available")
    assert response.status_code == 503
    assert response.json() == {"detail": "Bot is not in the correct state."}
