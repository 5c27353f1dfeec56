"""CandleService: the PairHistory row construction (§10.0), the pair_candles cache, historic
analysis on a separate strategy instance (§10.2), plot_config and strategies (§10.3–§11.2)."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.botconfig import SHARED_OHLCV
from tests.unit.services.conftest import BotFactory
from tradewind.app import Application
from tradewind.cli.webserver import webserver_context
from tradewind.errors import InvalidRequest, NotFound
from tradewind.logs import LogBuffer
from tradewind.schemas.candles import PairCandlesRequest, PairHistoryRequest
from tradewind.schemas.json import dumps, loads
from tradewind.services.candles import EPOCH, CandleService, LoadFailed, frame_to_history

ANALYZED = datetime(2024, 1, 1, 0, 30, 7, tzinfo=UTC)


def analyzed_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "date": pd.date_range("2024-01-01", periods=4, freq="5min", tz="UTC"),
            "open": [1.0, 2.0, 3.0, 4.0],
            "high": [1.5, 2.5, 3.5, 4.5],
            "low": [0.5, 1.5, 2.5, 3.5],
            "close": [1.2, 2.2, 3.2, 4.2],
            "volume": [10.0, 20.0, 30.0, 40.0],
            "rsi": [np.nan, 30.0, 60.0, np.inf],
            "count": [1, 2, 3, 4],
            "enter_long": [0.0, 1.0, np.nan, 1.0],
            "enter_tag": ["", "a", None, "b"],
            "exit_long": [0, 0, 1, 0],
        }
    )


def wire(history: object) -> dict:
    return loads(dumps(history))


def test_rows_follow_the_frame_then_date_ts_then_signal_closes() -> None:
    history = frame_to_history(
        analyzed_frame(), strategy="S", pair="ETH/BTC", timeframe="5m", analyzed_at=ANALYZED
    )
    body = wire(history)
    assert body["columns"] == [
        *analyzed_frame().columns,
        "__date_ts",
        "_enter_long_signal_close",
        "_exit_long_signal_close",
    ]
    assert body["all_columns"] == list(analyzed_frame().columns)
    first, second, third, fourth = body["data"]
    assert first == [
        "2024-01-01T00:00:00Z",
        1.0,
        1.5,
        0.5,
        1.2,
        10.0,
        None,
        1,
        0.0,
        "",
        0,
        1704067200000,
        None,
        None,
    ]
    assert second[-2:] == [2.2, None] and third[-2:] == [None, 3.2]
    assert third[8] is None and third[9] is None  # NaN signal and missing tag: null
    assert fourth[6] is None  # +inf: null
    assert isinstance(first[7], int)
    assert (body["enter_long_signals"], body["exit_long_signals"]) == (2, 1)
    assert (body["buy_signals"], body["sell_signals"]) == (2, 1)
    assert (body["enter_short_signals"], body["exit_short_signals"]) == (0, 0)
    assert (
        body["last_analyzed"] == "2024-01-01T00:30:07Z" and body["last_analyzed_ts"] == 1704069007
    )
    assert body["data_start"] == "2024-01-01 00:00:00+00:00"
    assert body["data_stop"] == "2024-01-01 00:15:00+00:00"
    assert (body["data_start_ts"], body["data_stop_ts"]) == (1704067200000, 1704068100000)
    assert body["timeframe_ms"] == 300_000 and body["length"] == 4 and body["annotations"] == []


def test_column_filter_keeps_ohlcv_and_signals_in_frame_order_and_limit_takes_the_tail() -> None:
    history = frame_to_history(
        analyzed_frame(),
        strategy="S",
        pair="ETH/BTC",
        timeframe="5m",
        analyzed_at=ANALYZED,
        columns=["exit_long", "enter_tag", "unknown"],
        limit=2,
    )
    assert history.columns == [
        "date",
        "open",
        "high",
        "low",
        "close",
        "volume",
        "enter_long",
        "enter_tag",
        "exit_long",
        "__date_ts",
        "_enter_long_signal_close",
        "_exit_long_signal_close",
    ]
    assert history.length == 2 and history.data[0][0] == "2024-01-01T00:10:00Z"
    assert history.enter_long_signals == 1 and history.exit_long_signals == 1
    assert frame_to_history(
        analyzed_frame(), strategy="S", pair="P", timeframe="5m", analyzed_at=ANALYZED, columns=[]
    ).columns[6:9] == ["enter_long", "exit_long", "__date_ts"]


def test_an_empty_frame_gives_the_empty_shape() -> None:
    history = frame_to_history(
        pd.DataFrame(), strategy="S", pair="P", timeframe="5m", analyzed_at=EPOCH
    )
    body = wire(history)
    assert body["columns"] == body["all_columns"] == body["data"] == []
    assert body["last_analyzed"] == "1970-01-01T00:00:00Z" and body["last_analyzed_ts"] == 0
    assert body["data_start"] == body["data_stop"] == "" and body["data_stop_ts"] == 0


def analyzed_bot(bot: BotFactory) -> Application:
    app = bot(pairs=["ETH/BTC"])

    async def run() -> None:
        await app.engine.start_up()
        await app.engine.tick()

    asyncio.run(run())
    return app


def test_pair_candles_answers_are_cached_until_the_next_analysis(bot: BotFactory) -> None:
    app = analyzed_bot(bot)
    candles = CandleService(app.context())
    request = PairCandlesRequest(pair="ETH/BTC", timeframe="5m", columns=["rsi"])
    first = candles.pair_candles(request)
    assert first.length > 100 and "rsi" in first.columns
    assert candles.pair_candles(request.model_copy()) is first
    assert candles.pair_candles(PairCandlesRequest(pair="ETH/BTC", timeframe="5m")) is not first
    app.clock.advance(pd.Timedelta(minutes=5).to_pytimedelta())  # type: ignore[attr-defined]
    asyncio.run(app.engine.tick())
    assert candles.pair_candles(request) is not first


def test_pair_candles_needs_the_bot(bot: BotFactory) -> None:
    context = webserver_context(bot().config, LogBuffer())
    with pytest.raises(InvalidRequest):
        CandleService(context).pair_candles(PairCandlesRequest(pair="ETH/BTC", timeframe="5m"))


def history_request(**fields: object) -> PairHistoryRequest:
    values = {"pair": "ETH/BTC", "timeframe": "5m", "timerange": "20180112-20180113"}
    return PairHistoryRequest.model_validate(values | fields)


def test_pair_history_uses_a_separate_strategy_instance(bot: BotFactory) -> None:
    app = bot(datadir=str(SHARED_OHLCV))
    live = app.strategy
    live_timeframe = app.config.timeframe
    history = asyncio.run(
        CandleService(app.context()).pair_history(
            history_request(strategy="LeaderStrategy", columns=["rsi"])
        )
    )
    assert history.length == 288 and history.strategy == "LeaderStrategy"
    assert "rsi" in history.columns and history.data[0][0] == "2018-01-12T00:00:00Z"
    assert app.strategy is live and app.config.timeframe == live_timeframe
    assert app.settings.stoploss == live.stoploss  # the live instance kept its settings


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"strategy": "SampleStrategy", "timerange": "2024-"}, "time range"),
        ({"strategy": "SampleStrategy", "timerange": "20240101-"}, "No data for ETH/BTC"),
        ({"strategy": "NoSuchStrategy"}, "NoSuchStrategy"),
        ({"strategy": "SampleStrategy", "live_mode": True}, "live_mode"),
    ],
)
def test_pair_history_failures_are_load_failed(
    bot: BotFactory, fields: dict[str, object], message: str
) -> None:
    app = bot(datadir=str(SHARED_OHLCV))
    with pytest.raises(LoadFailed, match=message):
        asyncio.run(CandleService(app.context()).pair_history(history_request(**fields)))


def test_plot_config_strategies_and_strategy(bot: BotFactory, tmp_path: Path) -> None:
    app = bot()
    candles = CandleService(app.context())
    assert set(asyncio.run(candles.plot_config()).root) == {"main_plot", "subplots"}
    with pytest.raises(LoadFailed):
        asyncio.run(candles.plot_config("Missing"))
    names = asyncio.run(candles.strategies()).strategies
    assert names == sorted(names) and "SampleStrategy" in names
    current = asyncio.run(candles.strategy("SampleStrategy"))
    assert current.code == app.strategy.source_code and current.timeframe == "5m"
    with pytest.raises(NotFound, match="Only the currently active strategy"):
        asyncio.run(candles.strategy("LeaderStrategy"))
    with pytest.raises(InvalidRequest, match=r"Edge is not enabled\."):
        candles.edge()


def test_webserver_mode_loads_any_strategy(bot: BotFactory) -> None:
    candles = CandleService(webserver_context(bot().config, LogBuffer()))
    leader = asyncio.run(candles.strategy("LeaderStrategy"))
    assert leader.strategy == "LeaderStrategy" and "class LeaderStrategy" in leader.code
    with pytest.raises(NotFound, match="Strategy not found"):
        asyncio.run(candles.strategy("NoSuchStrategy"))
    with pytest.raises(InvalidRequest, match=r"Strategy is mandatory in webserver mode\."):
        asyncio.run(candles.plot_config())
