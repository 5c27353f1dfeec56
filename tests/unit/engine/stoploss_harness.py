"""An order manager and exit manager trading one pair on a paper exchange with a scripted
market: what the stoploss-on-exchange tests drive, tick by tick."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from tests.unit.exchange.test_paper_broker import MARKET, T0, FakeFeed, Segment
from tradewind.domain.clock import ManualClock
from tradewind.domain.events import EventBus, TradeEvent
from tradewind.domain.order import Order, OrderUpdate
from tradewind.domain.trade import Trade
from tradewind.engine.exit_rules import ExitRules
from tradewind.engine.exits import ExitManager, ExitSettings
from tradewind.engine.order_manager import EntryRequest, OrderManager, Timeouts
from tradewind.errors import ExchangeUnavailable, OrderRejected
from tradewind.exchange.paper import PaperBroker
from tradewind.exchange.port import Balance, Market, OrderBook, Ticker
from tradewind.persistence.database import Database
from tradewind.persistence.repositories import TradeRepository

PAIR = "ETH/USDT"
ORDER_TYPES: dict[str, object] = {
    "entry": "market",
    "exit": "market",
    "stoploss": "market",
    "stoploss_on_exchange": True,
    "stoploss_on_exchange_interval": 60,
}


class PaperExchange:
    """The Exchange port over a PaperBroker, with switches for the failures a test needs."""

    name = "paper"
    dry_run = True

    def __init__(self, feed: FakeFeed, clock: ManualClock, *, supports: bool = True) -> None:
        self.feed = feed
        self.broker = PaperBroker(feed, clock, {PAIR: MARKET})
        self.supports = supports
        self.refuse_stops = False
        self.lose_next_ack = False
        self.stop_calls = 0

    @property
    def markets(self) -> dict[str, Market]:
        return {PAIR: MARKET}

    @property
    def supports_stoploss_orders(self) -> bool:
        return self.supports

    async def load_markets(self, *, reload: bool = False) -> dict[str, Market]:
        return self.markets

    async def fetch_ohlcv(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the stoploss tests drive prices by ticker, never by candles")

    async def fetch_ticker(self, pair: str) -> Ticker:
        return await self.feed.ticker(pair)

    async def fetch_order_book(self, pair: str, depth: int = 5) -> OrderBook:
        return await self.broker.order_book(pair, depth)

    async def create_order(self, *args: Any) -> OrderUpdate:
        return await self.broker.create_order(*args)

    async def create_stoploss_order(
        self, pair: str, amount: Decimal, stop: Decimal, limit: Decimal, client_order_id: str
    ) -> OrderUpdate:
        self.stop_calls += 1
        if self.refuse_stops:
            raise OrderRejected(f"{pair}: no stop for you")
        update = await self.broker.create_stoploss_order(pair, amount, stop, limit,
                                                         client_order_id)  # fmt: skip
        if self.lose_next_ack:  # placed, but the answer never arrives (timeout, kill)
            self.lose_next_ack = False
            raise ExchangeUnavailable("the answer was lost")
        return update

    async def fetch_order(self, order_id: str, pair: str) -> OrderUpdate:
        return await self.broker.fetch_order(order_id, pair)

    async def fetch_order_by_client_id(self, client_order_id: str, pair: str) -> OrderUpdate | None:
        return await self.broker.fetch_order_by_client_id(client_order_id, pair)

    async def cancel_order(self, order_id: str, pair: str) -> OrderUpdate:
        return await self.broker.cancel_order(order_id, pair)

    async def fetch_balance(self) -> dict[str, Balance]:
        return self.broker.balances()

    def adopt_open_orders(self, orders: list[Order]) -> None:
        self.broker.adopt_open_orders(orders)

    def fee_rate(self, pair: str, *, taker: bool = True) -> Decimal:
        return Decimal("0.001")

    async def close(self) -> None:
        pass


class QuietStrategy:
    """A strategy without signals or callbacks: only the exit rules decide."""

    def custom_stoploss(self, **kwargs: Any) -> None:
        return None

    def latest_signals(self, *args: Any) -> None:
        return None

    def exit_signal(self, *args: Any, **kwargs: Any) -> tuple[bool, None]:
        return False, None

    def custom_exit(self, **kwargs: Any) -> None:
        return None

    def custom_exit_price(self, *, proposed_rate: float, **kwargs: Any) -> float:
        return proposed_rate

    def confirm_trade_exit(self, **kwargs: Any) -> bool:
        return True

    def order_filled(self, trade: Trade, order: Order, now: datetime) -> None:
        pass

    def check_entry_timeout(self, trade: Trade, order: Order, now: datetime) -> bool:
        return False

    def check_exit_timeout(self, trade: Trade, order: Order, now: datetime) -> bool:
        return False


class NoAnalysis:
    def get(self, pair: str) -> tuple[None, None]:
        return None, None


class BidPricing:
    def __init__(self, feed: FakeFeed) -> None:
        self.feed = feed

    async def exit_rate(self, pair: str) -> float:
        return self.feed.bid


@dataclass
class Bot:
    """The order and exit managers of one bot process over a database and an exchange."""

    clock: ManualClock
    exchange: PaperExchange
    session: Session
    orders: OrderManager
    exits: ExitManager
    events: list[TradeEvent] = field(default_factory=list)

    def trades(self) -> list[Trade]:
        return TradeRepository(self.session).open_trades()

    async def tick(self, seconds: float = 0) -> None:
        """Time passes, then the engine's steps: open orders, then exits (and stops)."""
        self.clock.advance(timedelta(seconds=seconds))
        now = self.clock.now()
        await self.orders.sync(self.trades(), now)
        await self.exits.run(self.trades(), now)

    async def enter(self, order_type: str = "market", rate: str = "100.1") -> Trade:
        request = EntryRequest(PAIR, Decimal(1), Decimal(rate), order_type, None, "USDT", "ETH",
                               Decimal("0.001"))  # fmt: skip
        trade = await self.orders.open_trade(request, self.clock.now())
        assert trade is not None
        return trade


def market(
    clock: ManualClock | None = None, *, supports: bool = True
) -> tuple[PaperExchange, ManualClock]:
    """A paper exchange quoting 99.9 / 100.1 with a quiet hour of trading behind it."""
    clock = clock or ManualClock(T0)
    feed = FakeFeed(clock)
    feed.tape.append(Segment(T0 - timedelta(hours=1), T0, 99.5, 100.5, 1000.0))
    return PaperExchange(feed, clock, supports=supports), clock


def move(exchange: PaperExchange, clock: ManualClock, low: float, high: float, last: float,
         seconds: float = 30) -> None:  # fmt: skip
    """The market trades between low and high for `seconds`, ending around `last`."""
    start = clock.now()
    clock.advance(timedelta(seconds=seconds))
    exchange.feed.tape.append(Segment(start, clock.now(), low, high, 1000.0))
    exchange.feed.bid, exchange.feed.ask = last - 0.1, last + 0.1


def bot(
    exchange: PaperExchange,
    clock: ManualClock,
    database: Database,
    rules: ExitRules | None = None,
    **order_types: object,
) -> Bot:
    """A bot process: a fresh session and managers (a second call is a restart)."""
    session = database.new_session()
    events = EventBus()
    strategy = QuietStrategy()
    orders = OrderManager(exchange=exchange, session=session, events=events, clock=clock,  # type: ignore[arg-type]
                          callbacks=strategy, timeouts=Timeouts(exit=timedelta(minutes=10)),
                          strategy_name="Quiet", timeframe_minutes=5)  # fmt: skip
    settings = ExitSettings(rules or ExitRules(stoploss=-0.05), "5m",
                            {**ORDER_TYPES, **order_types})  # fmt: skip
    exits = ExitManager(runner=strategy, analyzer=NoAnalysis(), pricing=BidPricing(exchange.feed),  # type: ignore[arg-type]
                        orders=orders, exchange=exchange, settings=settings)  # type: ignore[arg-type]  # fmt: skip
    made = Bot(clock, exchange, session, orders, exits)
    events.subscribe(lambda e: made.events.append(e) if isinstance(e, TradeEvent) else None)
    return made


def new_database() -> Database:
    database = Database("sqlite://")
    database.migrate()
    return database
