"""The strategy interface (IStrategy), parameters, helpers, the loader and the DataProvider."""

from tradewind.domain.timeframes import (
    timeframe_to_minutes,
    timeframe_to_next_date,
    timeframe_to_prev_date,
)
from tradewind.strategy.data_provider import DataProvider
from tradewind.strategy.informative import (
    informative,
    merge_informative_pair,
    stoploss_from_absolute,
    stoploss_from_open,
)
from tradewind.strategy.interface import IStrategy
from tradewind.strategy.parameters import (
    BooleanParameter,
    CategoricalParameter,
    DecimalParameter,
    IntParameter,
    RealParameter,
)
from tradewind.strategy.trade_view import OrderView, TradeView

__all__ = [
    "BooleanParameter",
    "CategoricalParameter",
    "DataProvider",
    "DecimalParameter",
    "IStrategy",
    "IntParameter",
    "OrderView",
    "RealParameter",
    "TradeView",
    "informative",
    "merge_informative_pair",
    "stoploss_from_absolute",
    "stoploss_from_open",
    "timeframe_to_minutes",
    "timeframe_to_next_date",
    "timeframe_to_prev_date",
]
