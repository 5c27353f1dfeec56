"""The paper broker: the fill model shared by the simulated exchange and ccxt dry-run.

Fill rules (all money Decimal, fees in quote currency = cost × rate):

* Market orders fill at once as taker, walking a synthetic book from the touch (ask for a buy,
  bid for a sell), so the average price gets worse with size.
* A limit order that is marketable when placed (buy price >= ask, sell price <= bid) fills at
  once as taker over the book levels up to its limit; whatever the book cannot give rests.
* A resting limit order fills at its limit price as maker only when the price traded since the
  last check went strictly THROUGH it (buy: low < price, sell: high > price). Merely touching
  the price is not enough: a real order would queue behind others at that level, and the
  strict rule errs on the side of fewer fills.
* Per check a resting order fills at most `fill_share` of the base volume traded in the checked
  interval, so big orders fill over several candles.
* A stop-limit sell rests untriggered until the price trades at or below its stop; the market
  was at the stop then, so it fills there as taker (its limit lies below). What that check
  cannot fill rests as a limit sell at its limit price. Like Binance, the broker refuses a stop
  the last price has already reached ("would trigger immediately").

Orders are matched lazily: whenever one is fetched or cancelled, the traded range from its last
check up to now is applied first, so no background task is needed.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Protocol

from tradewind.domain.clock import Clock
from tradewind.domain.money import ZERO, round_price, round_to_step, to_decimal
from tradewind.domain.order import Order, OrderUpdate
from tradewind.errors import OrderNotFound, OrderRejected, PairNotTradable
from tradewind.exchange.paper_book import BUY, SELL, BookShape, book_side, walk
from tradewind.exchange.paper_order import PaperOrder, PaperWallet, adopted_order
from tradewind.exchange.port import Balance, Market, OrderBook, Ticker

log = logging.getLogger(__name__)

_DEPTH_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class TradingRange:
    """Lowest and highest traded price and the base volume traded over an interval."""

    low: float
    high: float
    base_volume: float


class PriceFeed(Protocol):
    """Where the broker gets market prices."""

    async def ticker(self, pair: str) -> Ticker:
        """The current best bid/ask."""
        ...

    async def trading_range(
        self, pair: str, since: datetime, until: datetime
    ) -> TradingRange | None:
        """What traded in [since, until), or None when nothing is known about it."""
        ...


class PaperBroker:
    """Keeps paper orders in memory and fills them against a PriceFeed.

    fill_share: share of the interval's base volume a resting order may take per check.
    book_share: base amount at each level of the synthetic book, as a share of the volume
    traded in the last hour. balances: starting balances; when given, orders are checked
    against them (InsufficientFunds) and `balances()` reports them.
    """

    def __init__(
        self,
        feed: PriceFeed,
        clock: Clock,
        markets: Mapping[str, Market],
        *,
        fill_share: float = 0.25,
        book_share: float = 0.01,
        book_step: float = 0.0005,
        balances: Mapping[str, Decimal] | None = None,
    ) -> None:
        if not 0 < fill_share <= 1:
            raise ValueError("fill_share must be in (0, 1]")
        self._feed = feed
        self._clock = clock
        self._markets = dict(markets)
        self._fill_share = fill_share
        self._book_share = book_share
        self._book_step = book_step
        self._wallet = PaperWallet(balances) if balances is not None else None
        self._orders: dict[str, PaperOrder] = {}
        self._by_client_id: dict[str, str] = {}

    def update_markets(self, markets: Mapping[str, Market]) -> None:
        """Use new market rules (after the exchange reloaded its markets)."""
        self._markets = dict(markets)

    # -- placing ------------------------------------------------------------------------------
    async def create_order(  # noqa: PLR0917 (the Exchange port's signature)
        self,
        pair: str,
        side: str,
        order_type: str,
        amount: Decimal,
        price: Decimal | None,
        client_order_id: str,
    ) -> OrderUpdate:
        """Validate, round to the market's steps, then fill what is marketable at once."""
        market = self._market(pair)
        self._check_new_client_id(pair, client_order_id)
        side, order_type = _checked_kind(pair, side, order_type, price)
        now = self._clock.now()
        ticker = await self._feed.ticker(pair)
        touch = ticker.ask if side == BUY else ticker.bid
        amount = _on_grid(round_to_step(amount, market.amount_step), market.amount_step)
        if price is not None and order_type == "limit":
            price = _on_grid(round_price(price, market.price_step), market.price_step)
        else:
            price = None
        _check_minimums(market, amount, price or to_decimal(touch))
        order = PaperOrder(
            order_id=f"paper-{uuid.uuid4().hex[:20]}",
            client_order_id=client_order_id,
            pair=pair,
            base=market.base,
            quote=market.quote,
            side=side,
            order_type=order_type,
            amount=amount,
            price=price,
            created=now,
            checked_until=now,
        )
        shape = await self._book_shape(pair, now)
        fill = walk(
            touch,
            amount,
            shape,
            side=side,
            limit=price,
            price_step=market.price_step,
            amount_step=market.amount_step,
        )
        self._require_funds(order, market, fill.cost)
        self._register(order)
        self._fill(order, fill.amount, fill.cost, market.taker_fee, now)
        return order.snapshot()

    async def create_stoploss_order(
        self,
        pair: str,
        amount: Decimal,
        stop_price: Decimal,
        limit_price: Decimal,
        client_order_id: str,
    ) -> OrderUpdate:
        """Rest a stop-limit sell until the price trades at or below `stop_price` (`_match`)."""
        market = self._market(pair)
        self._check_new_client_id(pair, client_order_id)
        amount = _on_grid(round_to_step(amount, market.amount_step), market.amount_step)
        stop = _on_grid(round_price(stop_price, market.price_step), market.price_step)
        limit = _on_grid(round_price(limit_price, market.price_step), market.price_step)
        if not 0 < limit <= stop:
            raise OrderRejected(f"{pair}: a stop-limit sell needs 0 < limit <= stop, "
                                f"got limit {limit} and stop {stop}")  # fmt: skip
        _check_minimums(market, amount, limit)
        ticker = await self._feed.ticker(pair)
        if to_decimal(ticker.last) <= stop:
            raise OrderRejected(
                f"{pair}: stop price {stop} would trigger immediately (last {ticker.last})"
            )
        now = self._clock.now()
        order = PaperOrder(
            order_id=f"paper-{uuid.uuid4().hex[:20]}", client_order_id=client_order_id,
            pair=pair, base=market.base, quote=market.quote, side=SELL, order_type="limit",
            amount=amount, price=limit, created=now, checked_until=now, stop_price=stop,
        )  # fmt: skip
        self._require_funds(order, market, ZERO)
        self._register(order)
        return order.snapshot()

    def _check_new_client_id(self, pair: str, client_order_id: str) -> None:
        if client_order_id in self._by_client_id:
            raise OrderRejected(f"{pair}: duplicate client order id {client_order_id}")

    def _register(self, order: PaperOrder) -> None:
        self._orders[order.order_id] = order
        if order.client_order_id is not None:
            self._by_client_id[order.client_order_id] = order.order_id

    def _require_funds(self, order: PaperOrder, market: Market, taker_cost: Decimal) -> None:
        if self._wallet is None:
            return
        if order.side == SELL:
            needed, currency = order.amount, market.base
        else:
            resting = order.amount * order.price if order.price is not None else taker_cost
            needed = max(resting, taker_cost) * (1 + max(market.taker_fee, market.maker_fee))
            currency = market.quote
        rate = max(market.taker_fee, market.maker_fee)
        self._wallet.require(currency, needed, self._open_orders(), rate, order.pair)

    def _fill(
        self, order: PaperOrder, amount: Decimal, cost: Decimal, rate: Decimal, when: datetime
    ) -> None:
        if amount <= 0:
            return
        order.add_fill(amount, cost, rate, when)
        if self._wallet is not None:
            self._wallet.book_fill(order, amount, cost, cost * rate)

    # -- looking up ---------------------------------------------------------------------------
    async def fetch_order(self, order_id: str, pair: str) -> OrderUpdate:
        """The order after applying every fill up to now."""
        order = self._get(order_id, pair)
        await self._match(order)
        return order.snapshot()

    async def fetch_order_by_client_id(self, client_order_id: str, pair: str) -> OrderUpdate | None:
        """The order placed under `client_order_id`, or None if it was never placed."""
        order_id = self._by_client_id.get(client_order_id)
        if order_id is None or self._orders[order_id].pair != pair:
            return None
        return await self.fetch_order(order_id, pair)

    async def cancel_order(self, order_id: str, pair: str) -> OrderUpdate:
        """Apply the fills up to now, then cancel what is left; returns the final state."""
        order = self._get(order_id, pair)
        await self._match(order)
        order.cancel(self._clock.now())
        return order.snapshot()

    async def open_orders(self, pair: str | None = None) -> list[OrderUpdate]:
        """Every open order (of `pair`), matched up to now."""
        result = []
        for order in self._open_orders():
            if pair is None or order.pair == pair:
                await self._match(order)
                if order.is_open:
                    result.append(order.snapshot())
        return result

    def _get(self, order_id: str, pair: str) -> PaperOrder:
        order = self._orders.get(order_id)
        if order is None or order.pair != pair:
            raise OrderNotFound(f"{pair}: no paper order with id {order_id}")
        return order

    def _open_orders(self) -> list[PaperOrder]:
        return [order for order in self._orders.values() if order.is_open]

    def balances(self) -> dict[str, Balance]:
        """Paper balances (empty when the broker was built without starting balances)."""
        if self._wallet is None:
            return {}
        rate = max((m.maker_fee for m in self._markets.values()), default=ZERO)
        return self._wallet.balances(self._open_orders(), rate)

    # -- matching -----------------------------------------------------------------------------
    async def _match(self, order: PaperOrder) -> None:
        if not order.is_open:
            return
        now = self._clock.now()
        since = order.checked_until
        if now <= since:
            return
        # claim the interval before awaiting, so a concurrent check cannot fill it twice
        order.checked_until = now
        market = self._market(order.pair, for_lookup=True)
        if order.order_type == "market" or order.price is None:
            await self._fill_at_market(order, market, now)
            return
        traded = await self._feed.trading_range(order.pair, since, now)
        if traded is None or traded.base_volume <= 0:
            return
        cap = round_to_step(to_decimal(traded.base_volume * self._fill_share), market.amount_step)
        if order.awaits_trigger:
            self._trigger(order, market, traded, cap, now)
            return
        crossed = traded.low < order.price if order.side == BUY else traded.high > order.price
        if not crossed:
            return
        amount = min(order.remaining, cap)
        self._fill(order, amount, amount * order.price, market.maker_fee, now)

    def _trigger(
        self, order: PaperOrder, market: Market, traded: TradingRange, cap: Decimal, now: datetime
    ) -> None:
        """A stop the price reached fills at the stop (or the best price traded since, if the
        market never came back up to it) as taker, as long as that is not below its limit."""
        stop, limit = order.stop_price, order.price
        if stop is None or limit is None or traded.low > stop:
            return
        order.triggered = True
        price = min(stop, round_price(to_decimal(traded.high), market.price_step))
        if price >= limit:
            amount = min(order.remaining, cap)
            self._fill(order, amount, amount * price, market.taker_fee, now)

    async def _fill_at_market(self, order: PaperOrder, market: Market, now: datetime) -> None:
        """An adopted market order (its process died before it was booked) fills now."""
        ticker = await self._feed.ticker(order.pair)
        touch = ticker.ask if order.side == BUY else ticker.bid
        shape = await self._book_shape(order.pair, now)
        fill = walk(
            touch,
            order.remaining,
            shape,
            side=order.side,
            price_step=market.price_step,
            amount_step=market.amount_step,
        )
        self._fill(order, fill.amount, fill.cost, market.taker_fee, now)

    async def _book_shape(self, pair: str, now: datetime) -> BookShape:
        traded = await self._feed.trading_range(pair, now - _DEPTH_WINDOW, now)
        level = traded.base_volume * self._book_share if traded is not None else 0.0
        return BookShape(level_amount=level, step=self._book_step)

    async def order_book(self, pair: str, depth: int = 5) -> OrderBook:
        """The synthetic book the broker fills market orders against."""
        self._market(pair)
        ticker = await self._feed.ticker(pair)
        shape = await self._book_shape(pair, ticker.timestamp)
        if shape.level_amount <= 0:
            shape = BookShape(level_amount=1.0, step=self._book_step)
        return OrderBook(
            pair=pair,
            bids=book_side(ticker.bid, shape, side="bids", depth=depth),
            asks=book_side(ticker.ask, shape, side="asks", depth=depth),
            timestamp=ticker.timestamp,
        )

    # -- restart ------------------------------------------------------------------------------
    def adopt_open_orders(self, orders: Sequence[Order]) -> None:
        """Take over the bot's open orders after a restart (see `adopted_order`). Orders the
        exchange never acknowledged (no order id) are skipped: they were never placed, and the
        engine finds that out through `fetch_order_by_client_id`."""
        for order in orders:
            if not order.ft_is_open or order.order_id is None or order.order_id in self._orders:
                continue
            adopted = adopted_order(order, self._markets.get(order.ft_pair))
            if adopted is None:
                log.warning("cannot adopt %s order %s", order.order_type, order.order_id)
                continue
            self._register(adopted)

    def _market(self, pair: str, *, for_lookup: bool = False) -> Market:
        market = self._markets.get(pair)
        if market is None or (not market.active and not for_lookup):
            raise PairNotTradable(f"{pair} is not tradable on this exchange")
        return market


def _checked_kind(pair: str, side: str, order_type: str, price: Decimal | None) -> tuple[str, str]:
    side, order_type = side.lower(), order_type.lower()
    if side not in (BUY, SELL):
        raise OrderRejected(f"{pair}: unknown order side '{side}' (expected buy or sell)")
    if order_type not in ("limit", "market"):
        raise OrderRejected(f"{pair}: unsupported order type '{order_type}'")
    if order_type == "limit" and (price is None or price <= 0):
        raise OrderRejected(f"{pair}: a limit order needs a positive price, got {price}")
    return side, order_type


def _check_minimums(market: Market, amount: Decimal, price: Decimal) -> None:
    pair = market.symbol
    if amount <= 0:
        raise OrderRejected(f"{pair}: amount rounds to 0 at the amount step {market.amount_step}")
    if market.min_amount is not None and amount < market.min_amount:
        raise OrderRejected(
            f"{pair}: amount {amount} is below the minimum amount {market.min_amount}"
        )
    cost = amount * price
    if market.min_cost is not None and cost < market.min_cost:
        raise OrderRejected(
            f"{pair}: order cost {cost.normalize()} (amount {amount} at {price}) is below the "
            f"minimum cost {market.min_cost} {market.quote}"
        )


def _on_grid(value: Decimal, step: Decimal | None) -> Decimal:
    """Show a rounded value with the step's decimals ("1000.00000", not "1E+3")."""
    if step is None or step <= 0:
        return value
    exponent = step.normalize().as_tuple().exponent
    if not isinstance(exponent, int):
        return value
    return value.quantize(Decimal(1).scaleb(min(exponent, 0)))
