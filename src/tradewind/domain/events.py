"""Events the engine publishes, and the in-process bus that delivers them.

Subscribers (the message WebSocket, the leader broadcast, the log) are called synchronously
and must only enqueue work; a subscriber that raises is logged and never disturbs the engine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from tradewind.domain.enums import BotState

if TYPE_CHECKING:
    from tradewind.domain.order import Order
    from tradewind.domain.trade import Trade

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StateChanged:
    state: BotState
    status: str  # text for the "status" message, e.g. "running"


@dataclass(frozen=True)
class Notice:
    """A text notification: kind is "warning", "startup", "exception" or "status"."""

    kind: str
    status: str


@dataclass(frozen=True)
class TradeEvent:
    """An order of a trade was placed, filled or cancelled.

    kind: entry, entry_fill, entry_cancel, exit, exit_fill, exit_cancel.
    """

    kind: str
    trade: Trade
    order: Order
    current_rate: float | None = None
    reason: str | None = None
    sub_trade: bool = False
    at: datetime | None = None


@dataclass(frozen=True)
class PairAnalyzed:
    pair: str
    timeframe: str
    candle_type: str
    dataframe: Any  # pandas.DataFrame (domain stays free of pandas)
    analyzed_at: datetime
    new_candle: bool


@dataclass(frozen=True)
class WhitelistChanged:
    pairs: tuple[str, ...]


@dataclass(frozen=True)
class StrategyMessage:
    msg: str


@dataclass(frozen=True)
class TickCompleted:
    at: datetime
    duration_s: float


Event = (
    StateChanged
    | Notice
    | TradeEvent
    | PairAnalyzed
    | WhitelistChanged
    | StrategyMessage
    | TickCompleted
)
Handler = Callable[[Event], None]


@dataclass
class EventBus:
    """Synchronous publish/subscribe within one process."""

    _handlers: list[Handler] = field(default_factory=list)

    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Register `handler`; returns a function that unsubscribes it."""
        self._handlers.append(handler)

        def unsubscribe() -> None:
            if handler in self._handlers:
                self._handlers.remove(handler)

        return unsubscribe

    def publish(self, event: Event) -> None:
        for handler in list(self._handlers):
            try:
                handler(event)
            except Exception:  # a subscriber's bug must never stop the engine
                log.exception("event subscriber %r failed on %s", handler, type(event).__name__)
