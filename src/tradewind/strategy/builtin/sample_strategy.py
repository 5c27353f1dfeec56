"""SampleStrategy: a mean-reversion example on 5m candles (RSI, Bollinger bands, TEMA)."""

from __future__ import annotations

from typing import Any

import talib.abstract as ta
from pandas import DataFrame

from tradewind.strategy import DecimalParameter, IntParameter, IStrategy, qtpylib


class SampleStrategy(IStrategy):
    """Buys oversold dips near the lower Bollinger band once RSI turns up and TEMA rises; sells
    when RSI is overbought above the middle band and TEMA turns down. ROI, a 10 % stoploss and a
    trailing stop (armed after +2 %) close the trades the exit signal does not."""

    INTERFACE_VERSION = 3
    timeframe = "5m"
    can_short = False
    # RSI and the bands settle within ~50 candles; TEMA(9) needs 25; keep a safe margin.
    startup_candle_count = 100

    minimal_roi = {"0": 0.06, "60": 0.035, "180": 0.02, "480": 0.0}
    stoploss = -0.10
    trailing_stop = True
    trailing_stop_positive = 0.01
    trailing_stop_positive_offset = 0.02
    trailing_only_offset_is_reached = True

    process_only_new_candles = True
    use_exit_signal = True
    exit_profit_only = False
    ignore_roi_if_entry_signal = False

    buy_rsi = IntParameter(20, 45, default=35, space="buy")
    buy_bb_ratio = DecimalParameter(0.0, 0.5, default=0.25, decimals=2, space="buy")
    sell_rsi = IntParameter(55, 85, default=62, space="sell")

    order_types = {
        "entry": "limit",
        "exit": "limit",
        "stoploss": "market",
        "stoploss_on_exchange": False,
    }
    order_time_in_force = {"entry": "GTC", "exit": "GTC"}

    plot_config = {
        "main_plot": {
            "tema": {"color": "orange"},
            "bb_upperband": {"color": "grey"},
            "bb_middleband": {"color": "red"},
            "bb_lowerband": {
                "color": "grey",
                "fill_to": "bb_upperband",
                "fill_label": "Bollinger band",
                "fill_color": "rgba(128,128,128,0.1)",
            },
        },
        "subplots": {
            "RSI": {"rsi": {"color": "blue"}},
            "Bollinger %B": {"bb_percent": {"color": "purple", "type": "line"}},
        },
    }

    def version(self) -> str | None:
        return "1.0"

    def populate_indicators(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe["rsi"] = ta.RSI(dataframe, timeperiod=14)
        bands = qtpylib.bollinger_bands(qtpylib.typical_price(dataframe), window=20, stds=2)
        dataframe["bb_lowerband"] = bands["lower"]
        dataframe["bb_middleband"] = bands["mid"]
        dataframe["bb_upperband"] = bands["upper"]
        width = dataframe["bb_upperband"] - dataframe["bb_lowerband"]
        dataframe["bb_percent"] = (dataframe["close"] - dataframe["bb_lowerband"]) / width
        dataframe["tema"] = ta.TEMA(dataframe, timeperiod=9)
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_above(dataframe["rsi"], self.buy_rsi.value)
            & (dataframe["bb_percent"] < self.buy_bb_ratio.value + 0.25)
            & (dataframe["tema"] <= dataframe["bb_middleband"])
            & (dataframe["tema"] > dataframe["tema"].shift(1))
            & (dataframe["volume"] > 0),
            ["enter_long", "enter_tag"],
        ] = (1, "rsi_dip")
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[
            (dataframe["rsi"] > self.sell_rsi.value)
            & (dataframe["tema"] < dataframe["tema"].shift(1))
            & (dataframe["volume"] > 0),
            ["exit_long", "exit_tag"],
        ] = (1, "rsi_overbought")
        return dataframe
