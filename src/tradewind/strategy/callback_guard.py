"""The guard every strategy callback goes through, and the callbacks that decide nothing.

A callback is called with keyword arguments; an exception or an unusable answer is logged once
per pair and callback and the documented default is used instead. The trade-deciding callbacks
live in callbacks.py on top of this class.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

import pandas as pd

from tradewind.domain.enums import TradingMode
from tradewind.domain.order import Order
from tradewind.domain.trade import Trade
from tradewind.strategy.interface import IStrategy
from tradewind.strategy.settings import StrategySettings
from tradewind.strategy.signals import finite_number
from tradewind.strategy.trade_view import CustomDataStore, InMemoryCustomData, OrderView, TradeView

log = logging.getLogger(__name__)

FAILED: Any = object()  # marks a callback that raised


class CallbackGuard:
    """Calls strategy callbacks safely; hosts the notification-style callbacks."""

    def __init__(
        self,
        strategy: IStrategy,
        settings: StrategySettings,
        *,
        trading_mode: str = TradingMode.SPOT,
        custom_price_max_distance_ratio: float = 0.02,
        custom_data: CustomDataStore | None = None,
    ) -> None:
        self.strategy = strategy
        self.settings = settings
        self.trading_mode = str(trading_mode)
        self._price_ratio = custom_price_max_distance_ratio
        self._custom_data = custom_data if custom_data is not None else InMemoryCustomData()
        self._reported: set[tuple[str, str]] = set()

    # -- plumbing ------------------------------------------------------------------------------
    def overrides(self, name: str) -> bool:
        """True when the strategy class replaces IStrategy's method `name`."""
        return getattr(type(self.strategy), name, None) is not getattr(IStrategy, name, None)

    def _report(self, pair: str, name: str, problem: str, exc: BaseException | None = None) -> None:
        key = (pair, name)
        if key in self._reported:
            log.debug("%s (%s): %s", name, pair, problem)
            return
        self._reported.add(key)
        log.error(
            "Strategy %s.%s for %s: %s; using the default (reported once)",
            type(self.strategy).__name__,
            name,
            pair,
            problem,
            exc_info=exc,
        )

    def _call(self, name: str, pair: str, /, **kwargs: Any) -> Any:
        try:
            return getattr(self.strategy, name)(**kwargs)
        except Exception as exc:  # user code: any failure means "use the default"
            self._report(pair, name, f"raised {type(exc).__name__}: {exc}", exc)
            return FAILED

    def _number(self, name: str, pair: str, result: Any, default: float) -> float:
        if result is FAILED:
            return default
        number = finite_number(result)
        if number is None:
            self._report(pair, name, f"returned {result!r} instead of a finite number")
            return default
        return number

    def _view(self, trade: Trade | TradeView) -> TradeView:
        return trade if isinstance(trade, TradeView) else TradeView(trade, self._custom_data)

    @staticmethod
    def _order(order: Order | OrderView) -> OrderView:
        return order if isinstance(order, OrderView) else OrderView(order)

    # -- lifecycle -----------------------------------------------------------------------------
    def bot_start(self) -> None:
        """Call `bot_start()` once after loading."""
        self._call("bot_start", "*")

    def bot_loop_start(self, current_time: datetime) -> None:
        """Call `bot_loop_start(current_time=…)` at the start of every iteration."""
        if self.overrides("bot_loop_start"):
            self._call("bot_loop_start", "*", current_time=current_time)

    # -- orders and position adjustment --------------------------------------------------------
    def _check_timeout(
        self,
        name: str,
        pair: str,
        trade: Trade | TradeView,
        order: Order | OrderView,
        now: datetime,
    ) -> bool:
        if not self.overrides(name):
            return False
        result = self._call(
            name,
            pair,
            pair=pair,
            trade=self._view(trade),
            order=self._order(order),
            current_time=now,
        )
        return False if result is FAILED else bool(result)

    def check_entry_timeout(
        self,
        *,
        pair: str,
        trade: Trade | TradeView,
        order: Order | OrderView,
        current_time: datetime,
    ) -> bool:
        """True when the strategy wants the open entry order cancelled."""
        return self._check_timeout("check_entry_timeout", pair, trade, order, current_time)

    def check_exit_timeout(
        self,
        *,
        pair: str,
        trade: Trade | TradeView,
        order: Order | OrderView,
        current_time: datetime,
    ) -> bool:
        """True when the strategy wants the open exit order cancelled."""
        return self._check_timeout("check_exit_timeout", pair, trade, order, current_time)

    def order_filled(
        self,
        *,
        pair: str,
        trade: Trade | TradeView,
        order: Order | OrderView,
        current_time: datetime,
    ) -> None:
        """Tell the strategy an order filled."""
        if self.overrides("order_filled"):
            self._call(
                "order_filled",
                pair,
                pair=pair,
                trade=self._view(trade),
                order=self._order(order),
                current_time=current_time,
            )

    # -- charts --------------------------------------------------------------------------------
    def plot_annotations(
        self, *, pair: str, start_date: datetime, end_date: datetime, dataframe: pd.DataFrame
    ) -> list[dict[str, Any]]:
        """Chart annotations for /pair_candles ([] on error or a malformed answer)."""
        if not self.overrides("plot_annotations"):
            return []
        result = self._call(
            "plot_annotations",
            pair,
            pair=pair,
            start_date=start_date,
            end_date=end_date,
            dataframe=dataframe,
        )
        if result is FAILED:
            return []
        if not isinstance(result, list) or not all(isinstance(item, dict) for item in result):
            self._report(pair, "plot_annotations", "did not return a list of dicts")
            return []
        return result
