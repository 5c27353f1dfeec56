from datetime import UTC, datetime, timedelta

import pytest

from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import RunMode
from tradewind.strategy.data_provider import EPOCH, DataProvider

from .builders import START, DictAnalyzed, DictCandles, DictProducers, candles


class _Market:
    def market(self, pair):
        return {"symbol": pair}

    def ticker(self, pair):
        raise RuntimeError("no ticker yet")

    def orderbook(self, pair, maximum):
        return {"bids": [[1.0, 2.0]], "asks": [[1.1, 3.0]]}


def _dp(runmode=RunMode.DRY_RUN, **kwargs) -> DataProvider:
    kwargs.setdefault("candles", DictCandles({("ETH/BTC", "5m", "spot"): candles(rows=5)}))
    kwargs.setdefault("analyzed", DictAnalyzed())
    return DataProvider(runmode=runmode, timeframe="5m", **kwargs)


def test_pair_dataframe_is_a_copy_of_the_cached_candles():
    source = candles(rows=5)
    dp = _dp(candles=DictCandles({("ETH/BTC", "5m", "spot"): source}))
    frame = dp.get_pair_dataframe("ETH/BTC")
    frame["close"] = 0.0
    assert (source["close"] != 0).all()
    assert dp.ohlcv("ETH/BTC", copy=False)["close"].equals(source["close"])


def test_unknown_pairs_give_an_empty_frame():
    assert _dp().get_pair_dataframe("XRP/BTC", "1h").empty


def test_ohlcv_is_empty_outside_live_and_dry_run():
    assert _dp(RunMode.BACKTEST).ohlcv("ETH/BTC").empty
    assert not _dp(RunMode.LIVE).ohlcv("ETH/BTC").empty


def test_outside_live_modes_pair_dataframe_falls_back_to_historic_data():
    historic = candles(rows=3)
    dp = _dp(RunMode.BACKTEST, candles=DictCandles(), historic=lambda pair, tf, ct: historic)
    assert len(dp.get_pair_dataframe("ETH/BTC")) == 3
    assert len(dp.historic_ohlcv("ETH/BTC", "5m")) == 3
    assert _dp().historic_ohlcv("ETH/BTC", "5m").empty


def test_analyzed_dataframe_defaults_to_empty_and_epoch():
    frame, when = _dp().get_analyzed_dataframe("ETH/BTC", "5m")
    assert frame.empty
    assert when == datetime(1970, 1, 1, tzinfo=UTC) == EPOCH


def test_analyzed_dataframe_is_a_copy_with_its_time():
    analyzed = candles(rows=4)
    dp = _dp(analyzed=DictAnalyzed({("ETH/BTC", "5m", "spot"): (analyzed, START)}))
    frame, when = dp.get_analyzed_dataframe("ETH/BTC", "5m")
    frame.loc[0, "close"] = -1
    assert when == START
    assert analyzed.loc[0, "close"] != -1


def test_producer_df_without_producers_is_empty_with_epoch():
    frame, when = _dp().get_producer_df("ETH/BTC")
    assert frame.empty and when == EPOCH
    assert _dp().get_producer_pairs() == []


def test_get_external_df_is_the_same_method_as_get_producer_df():
    assert DataProvider.get_external_df is DataProvider.get_producer_df
    producers = DictProducers()
    leader = candles(rows=3)
    producers.frames[("ETH/BTC", "5m", "spot", "default")] = (leader, START)
    producers.pairs["default"] = ["ETH/BTC"]
    dp = _dp(producers=producers)
    frame, when = dp.get_external_df("ETH/BTC")
    assert when == START and len(frame) == 3
    frame.loc[0, "close"] = -1
    assert leader.loc[0, "close"] != -1
    pairs = dp.get_producer_pairs()
    pairs.append("X")
    assert producers.pairs["default"] == ["ETH/BTC"]
    assert dp.get_producer_df("ETH/BTC", producer_name="other")[0].empty


def test_futures_mode_defaults_to_the_futures_candle_type():
    frames = {("ETH/BTC:BTC", "5m", "futures"): candles(rows=2)}
    dp = DataProvider(
        candles=DictCandles(frames),
        analyzed=DictAnalyzed(),
        runmode=RunMode.DRY_RUN,
        timeframe="5m",
        trading_mode="futures",
    )
    assert len(dp.get_pair_dataframe("ETH/BTC:BTC")) == 2


def test_current_whitelist_is_a_copy_and_needs_a_pairlist():
    whitelist = ["ETH/BTC"]
    dp = _dp(whitelist=lambda: whitelist)
    dp.current_whitelist().append("LTC/BTC")
    assert whitelist == ["ETH/BTC"]
    with pytest.raises(RuntimeError, match="pairlist"):
        _dp().current_whitelist()


def test_runmode_and_available_pairs():
    dp = _dp(RunMode.DRY_RUN, available_pairs=lambda: [("ETH/BTC", "5m", "spot")])
    assert dp.runmode == "dry_run" and dp.runmode is RunMode.DRY_RUN
    assert dp.available_pairs == [("ETH/BTC", "5m", "spot")]
    assert _dp().available_pairs == []


def test_market_ticker_and_orderbook_use_the_cached_lookup():
    dp = _dp(market_info=_Market())
    assert dp.market("ETH/BTC") == {"symbol": "ETH/BTC"}
    assert dp.ticker("ETH/BTC") == {}
    assert dp.orderbook("ETH/BTC", 1)["bids"] == [[1.0, 2.0]]
    assert _dp().market("ETH/BTC") is None
    assert _dp().orderbook("ETH/BTC", 5) == {"bids": [], "asks": []}


def test_send_msg_sends_identical_messages_once_per_candle():
    sent: list[str] = []
    clock = ManualClock(START + timedelta(minutes=1))
    dp = _dp(send_msg=sent.append, clock=clock)
    dp.send_msg("hello")
    dp.send_msg("hello")
    dp.send_msg("other")
    dp.send_msg("hello", always_send=True)
    clock.advance(timedelta(minutes=5))
    dp.send_msg("hello")
    assert sent == ["hello", "other", "hello", "hello"]


def test_send_msg_is_silent_outside_live_modes():
    sent: list[str] = []
    _dp(RunMode.BACKTEST, send_msg=sent.append).send_msg("x", always_send=True)
    assert sent == []
