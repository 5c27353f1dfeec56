"""LeaderStrategy: RSI / Bollinger / TEMA signals, broadcast to followers (external signals)."""

from __future__ import annotations

from typing import Any

import talib.abstract as ta
from pandas import DataFrame

from tradewind.strategy import IntParameter, IStrategy, qtpylib


class LeaderStrategy(IStrategy):
    """Buys when RSI recovers above `buy_rsi` below the Bollinger middle band with TEMA rising;
    sells when RSI climbs above `sell_rsi` above the middle band with TEMA falling."""

    INTERFACE_VERSION = 3
    timeframe = "5m"
    startup_candle_count = 30

    minimal_roi = {"0": 0.05, "30": 0.03, "60": 0.015, "120": 0.0}
    stoploss = -0.10
    trailing_stop = False

    buy_rsi = IntParameter(10, 40, default=30, space="buy")
    sell_rsi = IntParameter(60, 90, default=70, space="sell")

    plot_config = {
        "main_plot": {
            "tema": {"color": "orange"},
            "bb_upperband": {"color": "grey"},
            "bb_middleband": {"color": "red"},
            "bb_lowerband": {"color": "grey", "fill_to": "bb_upperband"},
        },
        "subplots": {"RSI": {"rsi": {"color": "blue"}}},
    }

    def populate_indicators(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe)
        bands = qtpylib.bollinger_bands(qtpylib.typical_price(dataframe), window=20, stds=2)
        dataframe["bb_lowerband"] = bands["lower"]
        dataframe["bb_middleband"] = bands["mid"]
        dataframe["bb_upperband"] = bands["upper"]
        dataframe["tema"] = ta.TEMA(dataframe, timeperiod=9)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_above(dataframe["rsi"], self.buy_rsi.value)
            & (dataframe["tema"] <= dataframe["bb_middleband"])
            & (dataframe["tema"] > dataframe["tema"].shift(1))
            & (dataframe["volume"] > 0),
            ["enter_long", "enter_tag"],
        ] = (1, "rsi_recovery")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_above(dataframe["rsi"], self.sell_rsi.value)
            & (dataframe["tema"] > dataframe["bb_middleband"])
            & (dataframe["tema"] < dataframe["tema"].shift(1))
            & (dataframe["volume"] > 0),
            ["exit_long", "exit_tag"],
        ] = (1, "rsi_overbought")
        return dataframe
