"""The stub's account: balances, orders and trades, matched against the replayed price path.

Fill rules: a market order fills at once at the ask (buy) or bid (sell); a limit order that is
marketable when placed fills at once at the touch; a resting limit order fills at its price when
the path trades strictly through it (buy: low < price, sell: high > price) while time advances.
A STOP_LOSS_LIMIT order rests untriggered until the path trades at or beyond its stopPrice (sell:
at or below, buy: at or above); the path is continuous, so it passed the stop price itself,
where the order's limit (beyond the stop) was marketable: it fills there as taker, and what is
left rests as a limit order at its price. Every fill pays 0.1% of its quote value in the quote
asset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from tests.stubs.binance_stub.replay import Listing, Span, SymbolRules

FEE_RATE = Decimal("0.001")
ZERO = Decimal(0)


class StubError(Exception):
    """A Binance error answer: HTTP status plus {"code", "msg"}."""

    def __init__(self, status: int, code: int, msg: str) -> None:
        super().__init__(msg)
        self.status = status
        self.code = code
        self.msg = msg


def unknown_order() -> StubError:
    return StubError(400, -2013, "Order does not exist.")


@dataclass
class StubTrade:
    trade_id: int
    order_id: int
    symbol: str
    price: Decimal
    qty: Decimal
    commission: Decimal
    commission_asset: str
    time_ms: int
    is_buyer: bool
    is_maker: bool


@dataclass
class StubOrder:
    order_id: int
    client_order_id: str
    symbol: str
    base: str
    quote_asset: str
    side: str  # BUY / SELL
    type: str  # LIMIT / MARKET / STOP_LOSS_LIMIT
    price: Decimal | None
    qty: Decimal
    time_ms: int
    checked_ms: int
    update_ms: int
    status: str = "NEW"
    executed: Decimal = ZERO
    quote: Decimal = ZERO
    trades: list[StubTrade] = field(default_factory=list)
    stop_price: Decimal | None = None
    triggered: bool = False

    @property
    def awaits_trigger(self) -> bool:
        return self.stop_price is not None and not self.triggered

    @property
    def remaining(self) -> Decimal:
        return self.qty - self.executed

    @property
    def is_open(self) -> bool:
        return self.status in ("NEW", "PARTIALLY_FILLED")

    @property
    def fee(self) -> Decimal:
        return sum((trade.commission for trade in self.trades), ZERO)


@dataclass(frozen=True)
class OrderRequest:
    symbol: str
    side: str
    type: str
    qty: Decimal
    price: Decimal | None
    client_order_id: str
    stop_price: Decimal | None = None


_PRICED = ("LIMIT", "STOP_LOSS_LIMIT")


class Account:
    """Balances (totals; open orders lock part of them), orders by id and by client id."""

    def __init__(self, balances: dict[str, Decimal]) -> None:
        self.balances = dict(balances)
        self.orders: dict[int, StubOrder] = {}
        self._by_client: dict[tuple[str, str], int] = {}
        self._next_order = 1000
        self._next_trade = 5000

    # -- balances ---------------------------------------------------------------------------
    def locked(self) -> dict[str, Decimal]:
        held: dict[str, Decimal] = {}
        for order in self.orders.values():
            if not order.is_open:
                continue
            if order.side == "BUY":
                value = order.remaining * (order.price or ZERO) * (1 + FEE_RATE)
                held[order.quote_asset] = held.get(order.quote_asset, ZERO) + value
            else:
                held[order.base] = held.get(order.base, ZERO) + order.remaining
        return held

    def free(self, asset: str) -> Decimal:
        return self.balances.get(asset, ZERO) - self.locked().get(asset, ZERO)

    # -- placing ----------------------------------------------------------------------------
    def place(
        self,
        listing: Listing,
        request: OrderRequest,
        touch: tuple[Decimal, Decimal],
        now_ms: int,
        partial: Callable[[], float | None],
    ) -> StubOrder:
        """Validate like Binance's filters, then fill what is marketable at once."""
        rules = listing.rules
        bid, ask = touch
        touch_price = ask if request.side == "BUY" else bid
        reference = request.price if request.type in _PRICED and request.price else touch_price
        _check_filters(rules, request, reference)
        key = (request.symbol, request.client_order_id)
        previous = self._by_client.get(key)
        if previous is not None and self.orders[previous].is_open:
            raise StubError(400, -2010, "Duplicate order sent.")
        self._check_funds(rules, request, reference)
        self._next_order += 1
        order = StubOrder(
            order_id=self._next_order,
            client_order_id=request.client_order_id,
            symbol=request.symbol,
            base=rules.base,
            quote_asset=rules.quote,
            side=request.side,
            type=request.type,
            price=request.price if request.type in _PRICED else None,
            qty=request.qty,
            time_ms=now_ms,
            checked_ms=now_ms,
            update_ms=now_ms,
            stop_price=request.stop_price,
        )
        self.orders[order.order_id] = order
        self._by_client[key] = order.order_id
        crosses = ask <= reference if request.side == "BUY" else bid >= reference
        marketable = request.type == "MARKET" or (request.type == "LIMIT" and crosses)
        if marketable:
            self._fill(order, rules, touch_price, partial(), now_ms, maker=False)
            if order.type == "MARKET" and order.is_open:
                order.status = "EXPIRED"  # Binance expires the unfilled rest of a market order
        return order

    def _check_funds(self, rules: SymbolRules, request: OrderRequest, reference: Decimal) -> None:
        if request.side == "BUY":
            needed, asset = request.qty * reference * (1 + FEE_RATE), rules.quote
        else:
            needed, asset = request.qty, rules.base
        if needed > self.free(asset):
            raise StubError(400, -2010, "Account has insufficient balance for requested action.")

    # -- matching ---------------------------------------------------------------------------
    def match(
        self, listings: dict[str, Listing], now_ms: int, partial: Callable[[], float | None]
    ) -> None:
        """Trigger the stops the path reached and fill the resting limit orders it traded
        through since their last check."""
        for order in list(self.orders.values()):
            if not order.is_open or order.type not in _PRICED or now_ms <= order.checked_ms:
                continue
            listing = listings[order.symbol]
            span = listing.series.span(order.checked_ms, now_ms)
            order.checked_ms = now_ms
            if span is None or order.price is None:
                continue
            if order.awaits_trigger:
                self._trigger(order, listing.rules, span, partial(), now_ms)
                continue
            price = float(order.price)
            crossed = span.low < price if order.side == "BUY" else span.high > price
            if crossed:
                self._fill(order, listing.rules, order.price, partial(), now_ms, maker=True)

    def _trigger(
        self, order: StubOrder, rules: SymbolRules, span: Span, share: float | None, now_ms: int
    ) -> None:
        stop = order.stop_price
        assert stop is not None
        reached = span.low <= stop if order.side == "SELL" else span.high >= stop
        if reached:
            order.triggered = True
            self._fill(order, rules, stop, share, now_ms, maker=False)

    def _fill(
        self,
        order: StubOrder,
        rules: SymbolRules,
        price: Decimal,
        share: float | None,
        now_ms: int,
        *,
        maker: bool,
    ) -> None:
        qty = order.remaining
        if share is not None:
            part = (qty * Decimal(str(share))).quantize(rules.step, rounding="ROUND_DOWN")
            qty = part if part > 0 else qty
        quote_qty = qty * price
        commission = quote_qty * FEE_RATE
        self._next_trade += 1
        trade = StubTrade(
            self._next_trade,
            order.order_id,
            order.symbol,
            price,
            qty,
            commission,
            rules.quote,
            now_ms,
            order.side == "BUY",
            maker,
        )
        order.trades.append(trade)
        order.executed += qty
        order.quote += quote_qty
        order.update_ms = now_ms
        order.status = "FILLED" if order.remaining <= 0 else "PARTIALLY_FILLED"
        sign = 1 if order.side == "BUY" else -1
        self.balances[rules.base] = self.balances.get(rules.base, ZERO) + sign * qty
        quote_change = -sign * quote_qty - commission
        self.balances[rules.quote] = self.balances.get(rules.quote, ZERO) + quote_change

    # -- looking up -------------------------------------------------------------------------
    def find(self, symbol: str, order_id: str | None, client_order_id: str | None) -> StubOrder:
        if order_id is not None:
            try:
                order = self.orders.get(int(order_id))
            except ValueError:
                order = None
        elif client_order_id is not None:
            found = self._by_client.get((symbol, client_order_id))
            order = None if found is None else self.orders[found]
        else:
            raise StubError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent.")
        if order is None or order.symbol != symbol:
            raise unknown_order()
        return order

    def cancel(self, order: StubOrder, now_ms: int) -> StubOrder:
        if not order.is_open:
            raise StubError(400, -2011, "Unknown order sent.")
        order.status = "CANCELED"
        order.update_ms = now_ms
        return order


def _check_filters(rules: SymbolRules, request: OrderRequest, reference: Decimal) -> None:
    if request.qty < rules.min_qty or request.qty % rules.step != 0:
        raise StubError(400, -1013, "Filter failure: LOT_SIZE")
    prices = [request.price]
    if request.type == "STOP_LOSS_LIMIT":
        prices.append(request.stop_price)
    if request.type in _PRICED and any(p is None or p <= 0 or p % rules.tick for p in prices):
        raise StubError(400, -1013, "Filter failure: PRICE_FILTER")
    if request.qty * reference < rules.min_notional:
        raise StubError(400, -1013, "Filter failure: NOTIONAL")
