"""FollowerStrategy: trades on the indicators a LeaderStrategy bot broadcasts (external signals)."""

from __future__ import annotations

from typing import Any

from pandas import DataFrame

from tradewind.strategy import IntParameter, IStrategy, merge_informative_pair, qtpylib


class FollowerStrategy(IStrategy):
    """Computes no indicators of its own: merges the leader's analysed dataframe (columns
    suffixed `_default`) and applies the leader's entry/exit conditions to them."""

    INTERFACE_VERSION = 3
    timeframe = "5m"
    # Leader data can arrive at any moment, not only when a new candle closes.
    process_only_new_candles = False
    startup_candle_count = 0

    minimal_roi = {"0": 0.05, "30": 0.03, "60": 0.015, "120": 0.0}
    stoploss = -0.10

    buy_rsi = IntParameter(10, 40, default=30, space="buy")
    sell_rsi = IntParameter(60, 90, default=70, space="sell")

    _columns_to_expect = ["rsi_default", "tema_default", "bb_middleband_default"]

    def populate_indicators(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        pair = metadata["pair"]
        leader_dataframe, _ = self.dp.get_external_df(pair)
        if not leader_dataframe.empty:
            return merge_informative_pair(
                dataframe,
                leader_dataframe,
                self.timeframe,
                self.timeframe,
                append_timeframe=False,
                suffix="default",
            )
        dataframe[self._columns_to_expect] = 0
        return dataframe

    def populate_entry_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_above(dataframe["rsi_default"], self.buy_rsi.value)
            & (dataframe["tema_default"] <= dataframe["bb_middleband_default"])
            & (dataframe["tema_default"] > dataframe["tema_default"].shift(1))
            & (dataframe["volume"] > 0),
            "enter_long",
        ] = 1
        return dataframe

    def populate_exit_trend(self, dataframe: DataFrame, metadata: dict[str, Any]) -> DataFrame:
        dataframe.loc[
            qtpylib.crossed_above(dataframe["rsi_default"], self.sell_rsi.value)
            & (dataframe["tema_default"] > dataframe["bb_middleband_default"])
            & (dataframe["tema_default"] < dataframe["tema_default"].shift(1))
            & (dataframe["volume"] > 0),
            "exit_long",
        ] = 1
        return dataframe
