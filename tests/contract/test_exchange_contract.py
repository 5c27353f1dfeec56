"""One contract for every Exchange implementation.

Each fixture parameter yields an `ExchangeHarness`: an exchange plus the means to move its
market time. SimulatedExchange runs on a ManualClock; a ccxt adapter against a stub server
joins the same parametrization later and must pass the same tests.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

import pytest

from tests.stubs.ccxt_harness import start_setup
from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import OrderStatus
from tradewind.domain.money import to_decimal
from tradewind.domain.timeframes import timeframe_to_prev_date
from tradewind.errors import OrderNotFound, OrderRejected, PairNotTradable
from tradewind.exchange.port import Exchange
from tradewind.exchange.simulated import SimulatedExchange, packaged_data_dir

T = TypeVar("T")
START = datetime(2024, 3, 1, tzinfo=UTC)


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


@dataclass
class ExchangeHarness:
    exchange: Exchange
    pair: str  # a liquid pair the harness's market has
    now: Callable[[], datetime]
    advance: Callable[[timedelta], None]  # move market time forward


def _simulated() -> ExchangeHarness:
    clock = ManualClock(START + timedelta(minutes=2, seconds=17))
    exchange = SimulatedExchange(
        ["ETH/BTC", "ADA/BTC", "SOL/USDT"],
        clock,
        START,
        source_dirs=[packaged_data_dir()],
        seed=42,
        balances={"BTC": Decimal(10)},
    )
    return ExchangeHarness(exchange, "ETH/BTC", clock.now, clock.advance)


def _ccxt(*, dry_run: bool) -> ExchangeHarness:
    """tradewind's ccxt adapter (real ccxt code) against the in-process Binance stub."""
    setup = start_setup(dry_run=dry_run)
    return ExchangeHarness(setup.exchange, "ETH/BTC", setup.clock.now, setup.advance)


HARNESSES: dict[str, Callable[[], ExchangeHarness]] = {
    "simulated": _simulated,
    "ccxt-dry-run": lambda: _ccxt(dry_run=True),
    "ccxt-live": lambda: _ccxt(dry_run=False),
}


@pytest.fixture(params=sorted(HARNESSES))
def harness(request: pytest.FixtureRequest) -> Iterator[ExchangeHarness]:
    made = HARNESSES[request.param]()
    run(made.exchange.load_markets())
    yield made
    run(made.exchange.close())


def stake_amount(harness: ExchangeHarness, price: float, multiple: int = 3) -> Decimal:
    """An amount worth a few times the pair's minimum order."""
    market = harness.exchange.markets[harness.pair]
    assert market.min_cost is not None
    return to_decimal(float(market.min_cost) * multiple / price)


def test_markets_load_with_precision_and_minimums(harness: ExchangeHarness) -> None:
    markets = harness.exchange.markets
    assert harness.pair in markets
    for symbol, market in markets.items():
        assert market.symbol == symbol
        assert market.base and market.quote
        assert market.amount_step is not None and market.amount_step > 0
        assert market.price_step is not None and market.price_step > 0
        assert market.min_cost is not None or market.min_amount is not None
        assert 0 <= market.taker_fee < Decimal("0.01")
        assert harness.exchange.fee_rate(symbol) == market.taker_fee


def test_candles_are_ascending_closed_then_forming_and_never_in_the_future(
    harness: ExchangeHarness,
) -> None:
    frame = run(harness.exchange.fetch_ohlcv(harness.pair, "5m", limit=50))
    assert list(frame.columns) == ["date", "open", "high", "low", "close", "volume"]
    assert 1 < len(frame) <= 50
    assert str(frame["date"].dt.tz) == "UTC"
    assert frame["date"].is_monotonic_increasing and frame["date"].is_unique
    assert frame["date"].iloc[-1] <= harness.now()
    assert frame["date"].iloc[-1] == timeframe_to_prev_date("5m", harness.now())  # forming
    assert (frame["date"].diff().iloc[1:] == timedelta(minutes=5)).all()
    assert (frame["high"] >= frame["low"]).all()


def test_candles_since_a_date_start_there(harness: ExchangeHarness) -> None:
    since = timeframe_to_prev_date("5m", harness.now()) - timedelta(minutes=50)
    frame = run(harness.exchange.fetch_ohlcv(harness.pair, "5m", since=since, limit=5))
    assert frame["date"].iloc[0] == since
    assert len(frame) == 5


def test_ticker_has_bid_below_ask(harness: ExchangeHarness) -> None:
    ticker = run(harness.exchange.fetch_ticker(harness.pair))
    assert ticker.pair == harness.pair
    assert 0 < ticker.bid < ticker.ask
    assert ticker.bid <= ticker.last <= ticker.ask


def test_order_book_is_sorted_best_first(harness: ExchangeHarness) -> None:
    book = run(harness.exchange.fetch_order_book(harness.pair, depth=5))
    bids = [price for price, _ in book.bids]
    asks = [price for price, _ in book.asks]
    assert bids and asks
    assert bids == sorted(bids, reverse=True)
    assert asks == sorted(asks)
    assert bids[0] < asks[0]
    assert all(amount > 0 for _, amount in book.bids + book.asks)


def test_market_buy_fills_at_once_with_a_fee(harness: ExchangeHarness) -> None:
    ticker = run(harness.exchange.fetch_ticker(harness.pair))
    amount = stake_amount(harness, ticker.ask)
    update = run(
        harness.exchange.create_order(harness.pair, "buy", "market", amount, None, "mkt-1")
    )
    assert update.status == OrderStatus.CLOSED
    assert update.filled == update.amount > 0
    assert update.average is not None
    assert update.average == pytest.approx(Decimal(str(ticker.ask)), rel=Decimal("0.002"))
    assert update.cost == pytest.approx(update.filled * update.average)
    assert update.fee_cost == update.cost * harness.exchange.fee_rate(harness.pair, taker=True)
    assert update.client_order_id == "mkt-1"


def test_resting_limit_buy_fills_only_after_the_price_trades_through_it(
    harness: ExchangeHarness,
) -> None:
    exchange = harness.exchange
    ticker = run(exchange.fetch_ticker(harness.pair))
    price = to_decimal(ticker.bid * 0.999)
    amount = stake_amount(harness, float(price))
    placed = run(exchange.create_order(harness.pair, "buy", "limit", amount, price, "lim-1"))
    assert placed.status == OrderStatus.OPEN
    assert placed.filled == 0
    assert placed.price is not None
    placed_at = harness.now()

    for _ in range(288):  # up to one day of market time
        harness.advance(timedelta(minutes=5))
        update = run(exchange.fetch_order(placed.order_id, harness.pair))
        if update.status == OrderStatus.CLOSED:
            break
    assert update.status == OrderStatus.CLOSED
    assert update.average == placed.price
    candles = run(exchange.fetch_ohlcv(harness.pair, "5m", since=placed_at - timedelta(minutes=5)))
    assert candles["low"].min() < float(placed.price)


def test_cancel_returns_the_final_state(harness: ExchangeHarness) -> None:
    exchange = harness.exchange
    ticker = run(exchange.fetch_ticker(harness.pair))
    price = to_decimal(ticker.bid * 0.5)
    amount = stake_amount(harness, float(price))
    placed = run(exchange.create_order(harness.pair, "buy", "limit", amount, price, "cx-1"))
    harness.advance(timedelta(minutes=5))

    canceled = run(exchange.cancel_order(placed.order_id, harness.pair))
    assert canceled.status == OrderStatus.CANCELED
    assert canceled.filled == 0
    assert run(exchange.fetch_order(placed.order_id, harness.pair)).status == OrderStatus.CANCELED

    filled = run(exchange.create_order(harness.pair, "buy", "market", amount / 2, None, "cx-2"))
    assert run(exchange.cancel_order(filled.order_id, harness.pair)).status == OrderStatus.CLOSED


def test_orders_are_found_by_client_id(harness: ExchangeHarness) -> None:
    exchange = harness.exchange
    ticker = run(exchange.fetch_ticker(harness.pair))
    price = to_decimal(ticker.bid * 0.9)
    amount = stake_amount(harness, float(price))
    placed = run(exchange.create_order(harness.pair, "buy", "limit", amount, price, "cid-1"))

    found = run(exchange.fetch_order_by_client_id("cid-1", harness.pair))
    assert found is not None
    assert found.order_id == placed.order_id
    assert run(exchange.fetch_order_by_client_id("never-sent", harness.pair)) is None
    with pytest.raises(OrderNotFound):
        run(exchange.fetch_order("no-such-order", harness.pair))


def test_below_minimum_orders_are_rejected_with_a_clear_message(harness: ExchangeHarness) -> None:
    ticker = run(harness.exchange.fetch_ticker(harness.pair))
    tiny = stake_amount(harness, ticker.ask, multiple=1) / 10
    with pytest.raises(OrderRejected, match="minimum") as caught:
        run(harness.exchange.create_order(harness.pair, "buy", "market", tiny, None, "tiny"))
    assert harness.pair in str(caught.value)


def test_unknown_pairs_raise_pair_not_tradable(harness: ExchangeHarness) -> None:
    with pytest.raises(PairNotTradable):
        run(harness.exchange.fetch_ticker("NOPE/NADA"))
    with pytest.raises(PairNotTradable):
        run(harness.exchange.fetch_ohlcv("NOPE/NADA", "5m"))
    with pytest.raises(PairNotTradable):
        run(harness.exchange.create_order("NOPE/NADA", "buy", "market", Decimal(1), None, "bad"))
