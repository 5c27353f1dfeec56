"""Safe wrappers of the callbacks that decide trades: stops, exits, entries, stakes, prices.

Each wrapper calls the strategy only when it overrides the callback (and the enabling setting
is on where the spec requires one), validates the answer and clamps it where the spec says so;
anything unusable falls back to the documented default (see CallbackGuard).
"""

from __future__ import annotations

import inspect
import logging
from datetime import datetime
from typing import Any

from tradewind.domain.enums import TradingMode
from tradewind.domain.trade import Trade
from tradewind.strategy.callback_guard import FAILED, CallbackGuard
from tradewind.strategy.signals import finite_number
from tradewind.strategy.trade_view import TradeView

log = logging.getLogger(__name__)

CUSTOM_TAG_MAX_LENGTH = 255


class StrategyCallbacks(CallbackGuard):
    """The guarded callback surface of one strategy instance."""

    # -- exits and stops -----------------------------------------------------------------------
    def custom_stoploss(
        self,
        *,
        pair: str,
        trade: Trade | TradeView,
        current_time: datetime,
        current_rate: float,
        current_profit: float,
        after_fill: bool = False,
    ) -> float | None:
        """New stop distance below (long) the current rate as a negative ratio; None = keep.

        Called only with `use_custom_stoploss`; after a fill only if the strategy's signature
        names `after_fill` explicitly.
        """
        if not (self.settings.use_custom_stoploss and self.overrides("custom_stoploss")):
            return None
        if (
            after_fill
            and "after_fill" not in inspect.signature(self.strategy.custom_stoploss).parameters
        ):
            return None
        result = self._call(
            "custom_stoploss",
            pair,
            pair=pair,
            trade=self._view(trade),
            current_time=current_time,
            current_rate=current_rate,
            current_profit=current_profit,
            after_fill=after_fill,
        )
        if result is FAILED or result is None:
            return None
        number = finite_number(result)
        if number is None and not isinstance(result, float):
            self._report(pair, "custom_stoploss", f"returned {result!r} instead of a ratio")
        # The sign is irrelevant to Freqtrade strategies (helpers return positive distances).
        return None if number is None else -abs(number)

    def custom_exit(
        self,
        *,
        pair: str,
        trade: Trade | TradeView,
        current_time: datetime,
        current_rate: float,
        current_profit: float,
    ) -> str | None:
        """The exit reason when the strategy wants out now, else None (needs use_exit_signal)."""
        if not self.settings.use_exit_signal:
            return None
        if self.overrides("custom_exit"):
            name = "custom_exit"
        elif callable(getattr(self.strategy, "custom_sell", None)):
            name = "custom_sell"  # seed-era name
        else:
            return None
        result = self._call(
            name,
            pair,
            pair=pair,
            trade=self._view(trade),
            current_time=current_time,
            current_rate=current_rate,
            current_profit=current_profit,
        )
        if result is FAILED or (
            not isinstance(result, str | bool) and finite_number(result) is None
        ):
            return None
        if isinstance(result, str):
            if len(result) > CUSTOM_TAG_MAX_LENGTH:
                log.warning(
                    "%s: exit reason longer than %d characters was trimmed",
                    pair,
                    CUSTOM_TAG_MAX_LENGTH,
                )
            return result[:CUSTOM_TAG_MAX_LENGTH] or None
        return "custom_exit" if result else None

    def confirm_trade_exit(
        self,
        *,
        pair: str,
        trade: Trade | TradeView,
        order_type: str,
        amount: float,
        rate: float,
        time_in_force: str,
        exit_reason: str,
        current_time: datetime,
    ) -> bool:
        """False when the strategy vetoes the exit (a None answer is a veto, as in Freqtrade)."""
        if not self.overrides("confirm_trade_exit"):
            return True
        result = self._call(
            "confirm_trade_exit",
            pair,
            pair=pair,
            trade=self._view(trade),
            order_type=order_type,
            amount=amount,
            rate=rate,
            time_in_force=time_in_force,
            exit_reason=exit_reason,
            current_time=current_time,
        )
        return True if result is FAILED else bool(result)

    def custom_roi(
        self,
        *,
        pair: str,
        trade: Trade | TradeView,
        current_time: datetime,
        trade_duration: int,
        entry_tag: str | None,
        side: str,
    ) -> float | None:
        """The strategy's ROI threshold for this trade (with use_custom_roi), else None."""
        if not (self.strategy.use_custom_roi and self.overrides("custom_roi")):
            return None
        result = self._call(
            "custom_roi",
            pair,
            pair=pair,
            trade=self._view(trade),
            current_time=current_time,
            trade_duration=trade_duration,
            entry_tag=entry_tag,
            side=side,
        )
        return None if result is FAILED else finite_number(result)

    # -- entries and prices --------------------------------------------------------------------
    def confirm_trade_entry(
        self,
        *,
        pair: str,
        order_type: str,
        amount: float,
        rate: float,
        time_in_force: str,
        current_time: datetime,
        entry_tag: str | None,
        side: str,
    ) -> bool:
        """False when the strategy vetoes the entry (a None answer is a veto, as in Freqtrade)."""
        if not self.overrides("confirm_trade_entry"):
            return True
        result = self._call(
            "confirm_trade_entry",
            pair,
            pair=pair,
            order_type=order_type,
            amount=amount,
            rate=rate,
            time_in_force=time_in_force,
            current_time=current_time,
            entry_tag=entry_tag,
            side=side,
        )
        return True if result is FAILED else bool(result)

    def custom_stake_amount(
        self,
        *,
        pair: str,
        current_time: datetime,
        current_rate: float,
        proposed_stake: float,
        min_stake: float | None,
        max_stake: float,
        leverage: float,
        entry_tag: str | None,
        side: str,
    ) -> float:
        """Stake for a new trade clamped to [min_stake, max_stake]; 0 means "no trade"."""
        stake = proposed_stake
        if self.overrides("custom_stake_amount"):
            result = self._call(
                "custom_stake_amount",
                pair,
                pair=pair,
                current_time=current_time,
                current_rate=current_rate,
                proposed_stake=proposed_stake,
                min_stake=min_stake,
                max_stake=max_stake,
                leverage=leverage,
                entry_tag=entry_tag,
                side=side,
            )
            stake = self._number("custom_stake_amount", pair, result, proposed_stake)
        if stake <= 0:
            return 0.0
        return min(max(stake, min_stake or 0.0), max_stake)

    def leverage(
        self,
        *,
        pair: str,
        current_time: datetime,
        current_rate: float,
        proposed_leverage: float,
        max_leverage: float,
        entry_tag: str | None,
        side: str,
    ) -> float:
        """Leverage in [1, max_leverage]; always 1.0 outside futures."""
        if self.trading_mode != TradingMode.FUTURES or not self.overrides("leverage"):
            return 1.0
        result = self._call(
            "leverage",
            pair,
            pair=pair,
            current_time=current_time,
            current_rate=current_rate,
            proposed_leverage=proposed_leverage,
            max_leverage=max_leverage,
            entry_tag=entry_tag,
            side=side,
        )
        value = self._number("leverage", pair, result, 1.0)
        return min(max(value, 1.0), max(max_leverage, 1.0))

    def _clamped_price(self, name: str, pair: str, result: Any, proposed: float) -> float:
        price = self._number(name, pair, result, proposed)
        if price <= 0:
            self._report(pair, name, f"returned a non-positive price {price}")
            return proposed
        low, high = proposed * (1 - self._price_ratio), proposed * (1 + self._price_ratio)
        return min(max(price, low), high)

    def custom_entry_price(
        self,
        *,
        pair: str,
        trade: Trade | TradeView | None,
        current_time: datetime,
        proposed_rate: float,
        entry_tag: str | None,
        side: str,
    ) -> float:
        """Entry limit price, at most custom_price_max_distance_ratio from `proposed_rate`."""
        if not self.overrides("custom_entry_price"):
            return proposed_rate
        result = self._call(
            "custom_entry_price",
            pair,
            pair=pair,
            trade=None if trade is None else self._view(trade),
            current_time=current_time,
            proposed_rate=proposed_rate,
            entry_tag=entry_tag,
            side=side,
        )
        return self._clamped_price("custom_entry_price", pair, result, proposed_rate)

    def custom_exit_price(
        self,
        *,
        pair: str,
        trade: Trade | TradeView,
        current_time: datetime,
        proposed_rate: float,
        current_profit: float,
        exit_tag: str | None,
    ) -> float:
        """Exit limit price, at most custom_price_max_distance_ratio from `proposed_rate`."""
        if not self.overrides("custom_exit_price"):
            return proposed_rate
        result = self._call(
            "custom_exit_price",
            pair,
            pair=pair,
            trade=self._view(trade),
            current_time=current_time,
            proposed_rate=proposed_rate,
            current_profit=current_profit,
            exit_tag=exit_tag,
        )
        return self._clamped_price("custom_exit_price", pair, result, proposed_rate)

    # -- position adjustment -----------------------------------------------------------------
    def adjust_trade_position(
        self,
        *,
        trade: Trade | TradeView,
        current_time: datetime,
        current_rate: float,
        current_profit: float,
        min_stake: float | None,
        max_stake: float,
        current_entry_rate: float,
        current_exit_rate: float,
        current_entry_profit: float,
        current_exit_profit: float,
    ) -> tuple[float | None, str | None]:
        """(stake change, order tag): positive adds, negative exits partly, None does nothing.

        Needs position_adjustment_enable; additions beyond max_entry_position_adjustment are
        dropped.
        """
        if not (
            self.settings.position_adjustment_enable and self.overrides("adjust_trade_position")
        ):
            return None, None
        view = self._view(trade)
        result = self._call(
            "adjust_trade_position",
            view.pair,
            trade=view,
            current_time=current_time,
            current_rate=current_rate,
            current_profit=current_profit,
            min_stake=min_stake,
            max_stake=max_stake,
            current_entry_rate=current_entry_rate,
            current_exit_rate=current_exit_rate,
            current_entry_profit=current_entry_profit,
            current_exit_profit=current_exit_profit,
        )
        stake, tag = self._parse_adjustment(view.pair, result)
        limit = self.settings.max_entry_position_adjustment
        if stake is not None and stake > 0 and -1 < limit < view.nr_of_successful_entries:
            return None, None
        return stake, tag

    def _parse_adjustment(self, pair: str, result: Any) -> tuple[float | None, str | None]:
        if result is FAILED or result is None:
            return None, None
        amount, tag = (
            result if isinstance(result, tuple | list) and len(result) == 2 else (result, None)
        )
        if amount is None:
            return None, None
        stake = finite_number(amount)
        if stake is None:
            self._report(pair, "adjust_trade_position", f"returned {result!r}")
            return None, None
        return (stake or None), tag if isinstance(tag, str) else None
