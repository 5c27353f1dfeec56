"""When to exit a trade: exit signal / custom exit, stoploss, ROI table, trailing stoploss.

Pure rules over a trade and the current rate; the strategy's callbacks are evaluated by the
caller and passed in as values, so every rule is testable on its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from tradewind.domain.enums import ExitType
from tradewind.domain.trade import Trade


@dataclass(frozen=True)
class ExitRules:
    """The effective exit settings (config over strategy over defaults)."""

    minimal_roi: tuple[tuple[int, float], ...] = ()
    stoploss: float = -0.10
    trailing_stop: bool = False
    trailing_stop_positive: float | None = None
    trailing_stop_positive_offset: float = 0.0
    trailing_only_offset_is_reached: bool = False
    use_custom_stoploss: bool = False
    use_exit_signal: bool = True
    exit_profit_only: bool = False
    exit_profit_offset: float = 0.0
    ignore_roi_if_entry_signal: bool = False


@dataclass(frozen=True)
class ExitCheck:
    """A reason to exit now. `exit_type` picks the order type (stoploss vs exit)."""

    exit_type: ExitType
    reason: str

    @property
    def is_stoploss(self) -> bool:
        return self.exit_type in (ExitType.STOP_LOSS, ExitType.TRAILING_STOP_LOSS)


def roi_threshold(rules: ExitRules, trade_minutes: float) -> float | None:
    """The ROI ratio in force after `trade_minutes`: the entry with the largest key ≤ age."""
    threshold = None
    for minutes, ratio in rules.minimal_roi:
        if minutes <= trade_minutes:
            threshold = ratio
        else:
            break
    return threshold


def update_stoploss(
    trade: Trade,
    rules: ExitRules,
    *,
    rate: float,
    profit: float,
    now: datetime,
    custom_stop: float | None = None,
) -> None:
    """Tighten the trade's stop from the custom stoploss and the trailing rules."""
    if not trade.initial_stop_loss:
        trade.adjust_stop_loss(float(trade.open_rate), rules.stoploss, when=now, initial=True)
    if custom_stop is not None and math.isfinite(custom_stop) and custom_stop < 0:
        # The hard stoploss is a floor: a custom stop may never be looser than it.
        bounded = max(custom_stop, rules.stoploss) if rules.stoploss < 0 else custom_stop
        trade.adjust_stop_loss(rate, bounded, when=now)
    if not rules.trailing_stop:
        return
    offset = rules.trailing_stop_positive_offset
    if rules.trailing_only_offset_is_reached and profit < offset:
        return
    distance = rules.stoploss
    if rules.trailing_stop_positive is not None and profit > offset:
        distance = -abs(rules.trailing_stop_positive)
    trade.adjust_stop_loss(rate, distance, when=now)


def stoploss_hit(trade: Trade, rules: ExitRules, rate: float) -> ExitCheck | None:
    if not trade.stop_loss or rate > trade.stop_loss:
        return None
    trailing = trade.is_stop_loss_trailing and (rules.trailing_stop or rules.use_custom_stoploss)
    exit_type = ExitType.TRAILING_STOP_LOSS if trailing else ExitType.STOP_LOSS
    return ExitCheck(exit_type, exit_type.value)


def evaluate(
    trade: Trade,
    rules: ExitRules,
    *,
    rate: float,
    profit: float,
    now: datetime,
    enter_signal: bool,
    exit_signal: bool,
    exit_tag: str | None,
    custom_exit: str | None,
    bot_stoploss: bool = True,
) -> ExitCheck | None:
    """The first applicable exit in the order: signal/custom → stoploss → ROI → trailing.

    `bot_stoploss` False: a stop order on the exchange sells at the stop, the bot does not.
    """
    checks: list[ExitCheck] = []
    signal = _signal_exit(
        rules,
        profit=profit,
        enter_signal=enter_signal,
        exit_signal=exit_signal,
        exit_tag=exit_tag,
        custom_exit=custom_exit,
    )
    if signal is not None:
        checks.append(signal)
    stop = stoploss_hit(trade, rules, rate) if bot_stoploss else None
    if stop is not None and stop.exit_type == ExitType.STOP_LOSS:
        checks.append(stop)
    minutes = (now - trade.open_date).total_seconds() / 60
    threshold = roi_threshold(rules, minutes)
    roi_blocked = rules.ignore_roi_if_entry_signal and enter_signal
    if threshold is not None and profit > threshold and not roi_blocked:
        checks.append(ExitCheck(ExitType.ROI, ExitType.ROI.value))
    if stop is not None and stop.exit_type == ExitType.TRAILING_STOP_LOSS:
        checks.append(stop)
    return checks[0] if checks else None


def _signal_exit(
    rules: ExitRules,
    *,
    profit: float,
    enter_signal: bool,
    exit_signal: bool,
    exit_tag: str | None,
    custom_exit: str | None,
) -> ExitCheck | None:
    if not rules.use_exit_signal:
        return None
    if rules.exit_profit_only and profit <= rules.exit_profit_offset:
        return None
    if exit_signal and not enter_signal:
        return ExitCheck(ExitType.EXIT_SIGNAL, exit_tag or ExitType.EXIT_SIGNAL.value)
    if custom_exit:
        return ExitCheck(ExitType.CUSTOM_EXIT, custom_exit[:255])
    return None
