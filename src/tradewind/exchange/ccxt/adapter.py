"""CcxtExchange: the Exchange port over a `ccxt.async_support` client (spot).

Public market data (markets, candles, tickers, order books) always comes from the exchange.
Orders go to the exchange in live mode; with `dry_run` they go to a PaperBroker fed by live
tickers and candles, and the ccxt client is built without credentials, so a dry-run bot cannot
make a private call even by mistake.

The client belongs to the event loop it first runs in (ccxt's aiohttp session does): use one
adapter per loop and close it in that loop.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

import pandas as pd

from tradewind.config.models.exchange import ExchangeConfig
from tradewind.domain.clock import Clock
from tradewind.domain.money import round_price, to_decimal
from tradewind.domain.order import Order, OrderUpdate
from tradewind.errors import (
    ConfigError,
    ExchangeError,
    ExchangeUnavailable,
    OrderNotFound,
    OrderRejected,
    PairNotTradable,
)
from tradewind.exchange.ccxt.calls import CcxtCalls
from tradewind.exchange.ccxt.candles import fetch_candles
from tradewind.exchange.ccxt.client import (
    Credentials,
    client_config,
    create_client,
    merged_options,
    missing_credentials,
)
from tradewind.exchange.ccxt.feed import LiveFeed, choose_feed_timeframe
from tradewind.exchange.ccxt.markets import from_ms, spot_markets, to_balances, to_ticker
from tradewind.exchange.ccxt.order_rules import (
    check_minimums,
    checked_kind,
    order_steps,
    rounded_order,
)
from tradewind.exchange.ccxt.orders import Fee, order_fee, to_update, trades_fee
from tradewind.exchange.ccxt.quirks import quirks_for
from tradewind.exchange.ccxt.throttle import RateGate, RetryPolicy
from tradewind.exchange.paper import PaperBroker
from tradewind.exchange.port import Balance, Market, OrderBook, Ticker

log = logging.getLogger(__name__)

_DEFAULT_PER_CALL = 500
_SCANS = (("fetchOpenOrders", "fetch_open_orders"), ("fetchClosedOrders", "fetch_closed_orders"),
          ("fetchCanceledOrders", "fetch_canceled_orders"))  # fmt: skip


class CcxtExchange:
    """A real exchange through ccxt (see the module docstring).

    exchange_id: ccxt id ("binance"). ccxt_config: extra client options (`ccxt_config` merged
    with `ccxt_async_config`), e.g. URL overrides or `timeout`. markets_refresh_minutes: markets
    older than this are reloaded on the next call (0: never). fee: the config's `fee` override.
    paper_balances: the dry-run wallet the paper broker funds orders from. feed_timeframe: the
    candles dry-run fills are judged on (the exchange's smallest timeframe when it lacks it).
    """

    def __init__(
        self,
        exchange_id: str,
        clock: Clock,
        *,
        dry_run: bool,
        credentials: Credentials | None = None,
        ccxt_config: Mapping[str, Any] | None = None,
        markets_refresh_minutes: int = 60,
        fee: Decimal | None = None,
        paper_balances: Mapping[str, Decimal] | None = None,
        feed_timeframe: str = "1m",
        retry: RetryPolicy | None = None,
        gate: RateGate | None = None,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._quirks = quirks_for(exchange_id)
        credentials = credentials or Credentials()
        config = client_config(self._quirks.options, ccxt_config or {},
                                None if dry_run else credentials)  # fmt: skip
        self._client = create_client(exchange_id.lower(), config)
        if not dry_run:
            missing = missing_credentials(self._client.requiredCredentials or {}, credentials)
            if missing:
                raise ConfigError(
                    f"live trading on {exchange_id} needs {', '.join(missing)} "
                    "(set them, or use dry_run)"
                )
        self._dry_run = dry_run
        self._clock = clock
        self._calls = CcxtCalls(self._client, gate or RateGate(), retry or RetryPolicy())
        self._refresh_seconds = markets_refresh_minutes * 60
        self._fee = fee
        self._monotonic = monotonic
        self._markets: dict[str, Market] = {}
        self._loaded_at: float | None = None
        self._last_ticker: dict[str, Ticker] = {}
        self._fees: dict[str, tuple[Decimal, Fee]] = {}
        self._broker: PaperBroker | None = None
        if dry_run:
            feed = LiveFeed(self, clock, choose_feed_timeframe(self.timeframes, feed_timeframe))
            self._broker = PaperBroker(feed, clock, {}, balances=paper_balances)

    @classmethod
    def from_config(
        cls,
        config: ExchangeConfig,
        clock: Clock,
        *,
        dry_run: bool,
        fee: float | None = None,
        paper_balances: Mapping[str, Decimal] | None = None,
        **options: Any,
    ) -> CcxtExchange:
        """Build from the `exchange` config section (the composition root's entry point)."""
        credentials = Credentials(
            api_key=config.effective_api_key(), secret=config.secret,
            password=config.password, uid=config.uid, account_id=config.account_id,
            wallet_address=config.wallet_address, private_key=config.private_key,
        )  # fmt: skip
        return cls(
            config.name, clock, dry_run=dry_run, credentials=credentials,
            ccxt_config=merged_options(config.ccxt_config, config.ccxt_async_config),
            markets_refresh_minutes=config.markets_refresh_interval,
            fee=None if fee is None else to_decimal(fee), paper_balances=paper_balances,
            **options,
        )  # fmt: skip

    # -- identity and markets ----------------------------------------------------------------
    @property
    def name(self) -> str:
        return str(self._client.id).lower()

    @property
    def dry_run(self) -> bool:
        return self._dry_run

    @property
    def timeframes(self) -> list[str]:
        """The candle timeframes the exchange offers."""
        return list(self._client.timeframes or {})

    @property
    def markets(self) -> Mapping[str, Market]:
        return self._markets

    async def load_markets(self, *, reload: bool = False) -> Mapping[str, Market]:
        """Spot markets; cached until `markets_refresh_minutes` old (or `reload`)."""
        if self._markets and not reload and not self._markets_stale():
            return self._markets
        raw = await self._calls.retried("load_markets", True)
        self._markets = spot_markets(raw, self._client.precisionMode, self._fee)
        self._loaded_at = self._monotonic()
        if self._broker is not None:
            self._broker.update_markets(self._markets)
        return self._markets

    def _markets_stale(self) -> bool:
        if self._loaded_at is None or self._refresh_seconds <= 0:
            return self._loaded_at is None
        return self._monotonic() - self._loaded_at >= self._refresh_seconds

    async def _ensure_markets(self) -> None:
        if not self._markets:
            await self.load_markets()
        elif self._markets_stale():
            try:
                await self.load_markets(reload=True)
            except ExchangeError as exc:  # old rules beat no rules: retry at the next interval
                self._loaded_at = self._monotonic()
                log.warning("could not refresh %s markets, keeping the old ones: %s",
                            self.name, exc)  # fmt: skip

    def _market(self, pair: str) -> Market:
        market = self._markets.get(pair)
        if market is None:
            raise PairNotTradable(f"{pair} is not a spot market on {self.name}")
        return market

    async def _known(self, pair: str) -> Market:
        await self._ensure_markets()
        return self._market(pair)

    async def _tradable(self, pair: str) -> Market:
        market = await self._known(pair)
        if not market.active:
            raise PairNotTradable(f"{pair} is not active on {self.name}")
        return market

    # -- market data -------------------------------------------------------------------------
    async def fetch_ohlcv(
        self, pair: str, timeframe: str, since: datetime | None = None, limit: int | None = None
    ) -> pd.DataFrame:
        await self._known(pair)
        if self.timeframes and timeframe not in self.timeframes:
            raise ExchangeError(f"{self.name} has no {timeframe} candles")

        async def page(since_ms: int | None, size: int) -> list[Any]:
            rows: list[Any] = await self._calls.retried(
                "fetch_ohlcv", pair, timeframe, since_ms, size
            )
            return rows

        return await fetch_candles(page, timeframe, since=since, limit=limit,
                                   per_call=self._per_call(), now=self._clock.now())  # fmt: skip

    def _per_call(self) -> int:
        if self._quirks.candles_per_call:
            return self._quirks.candles_per_call
        features = getattr(self._client, "features", None) or {}
        limit = ((features.get("spot") or {}).get("fetchOHLCV") or {}).get("limit")
        return int(limit) if limit else _DEFAULT_PER_CALL

    async def fetch_ticker(self, pair: str) -> Ticker:
        await self._known(pair)
        raw = await self._calls.retried("fetch_ticker", pair)
        ticker = to_ticker(pair, raw, self._clock.now())
        self._last_ticker[pair] = ticker
        return ticker

    async def fetch_order_book(self, pair: str, depth: int = 5) -> OrderBook:
        await self._known(pair)
        raw = await self._calls.retried("fetch_order_book", pair, depth)
        stamp = raw.get("timestamp")
        return OrderBook(
            pair=pair,
            bids=[(float(p), float(a)) for p, a, *_ in raw.get("bids", [])[:depth]],
            asks=[(float(p), float(a)) for p, a, *_ in raw.get("asks", [])[:depth]],
            timestamp=from_ms(stamp) if stamp else self._clock.now(),
        )

    # -- orders ------------------------------------------------------------------------------
    async def create_order(  # noqa: PLR0917 (the Exchange port's signature)
        self,
        pair: str,
        side: str,
        order_type: str,
        amount: Decimal,
        price: Decimal | None,
        client_order_id: str,
    ) -> OrderUpdate:
        """Round to the market's steps, refuse what is below its minimums, then place."""
        market = await self._tradable(pair)
        side, order_type = checked_kind(pair, side, order_type, price)
        amount, price = await self._prepared(market, side, order_type, amount, price)
        if self._broker is not None:
            return await self._broker.create_order(pair, side, order_type, amount, price,
                                                   client_order_id)  # fmt: skip
        params = {self._quirks.client_id_param: client_order_id}
        raw = await self._calls.once("create_order", pair, order_type, side, float(amount),
                                     None if price is None else float(price), params)  # fmt: skip
        return await self._update(raw, pair, amount)

    @property
    def supports_stoploss_orders(self) -> bool:
        """Where the quirks table knows how (dry-run simulates the same set, like live)."""
        return self._quirks.stoploss_param is not None

    async def create_stoploss_order(
        self,
        pair: str,
        amount: Decimal,
        stop_price: Decimal,
        limit_price: Decimal,
        client_order_id: str,
    ) -> OrderUpdate:
        """A stop-limit sell (`ExchangeQuirks.stoploss_param`), rounded and checked like
        `create_order`; dry-run: the paper broker simulates it."""
        param = self._quirks.stoploss_param
        if param is None:
            raise OrderRejected(f"{pair}: tradewind places no stop orders on {self.name}")
        market = await self._tradable(pair)
        amount, limit = await self._prepared(market, "sell", "limit", amount, limit_price)
        raw_market = self._client.markets.get(pair) or {}
        steps = order_steps(market, raw_market, self._client.precisionMode, amount, stop_price)
        stop, limit = round_price(stop_price, steps[1]), limit or limit_price
        if self._broker is not None:
            return await self._broker.create_stoploss_order(pair, amount, stop, limit,
                                                            client_order_id)  # fmt: skip
        params = {self._quirks.client_id_param: client_order_id, param: float(stop)}
        raw = await self._calls.once("create_order", pair, "limit", "sell", float(amount),
                                     float(limit), params)  # fmt: skip
        return await self._update(raw, pair, amount)

    async def _prepared(
        self, market: Market, side: str, order_type: str, amount: Decimal, price: Decimal | None
    ) -> tuple[Decimal, Decimal | None]:
        reference = price if order_type == "limit" and price else await self._touch(market, side)
        raw = self._client.markets.get(market.symbol) or {}
        steps = order_steps(market, raw, self._client.precisionMode, amount, reference)
        amount, price = rounded_order(amount, price if order_type == "limit" else None, steps)
        check_minimums(market, amount, price or reference)
        return amount, price

    async def _touch(self, market: Market, side: str) -> Decimal:
        """The price a market order would meet: the last ticker's, fetched if there is none."""
        ticker = self._last_ticker.get(market.symbol) or await self.fetch_ticker(market.symbol)
        return to_decimal(ticker.ask if side == "buy" else ticker.bid)

    async def fetch_order(self, order_id: str, pair: str) -> OrderUpdate:
        if self._broker is not None:
            return await self._broker.fetch_order(order_id, pair)
        await self._known(pair)
        return await self._update(await self._calls.retried("fetch_order", order_id, pair), pair)

    async def fetch_order_by_client_id(self, client_order_id: str, pair: str) -> OrderUpdate | None:
        if self._broker is not None:
            return await self._broker.fetch_order_by_client_id(client_order_id, pair)
        await self._known(pair)
        lookup = self._quirks.lookup_param
        if lookup is None:
            raw = await self._scan_for(client_order_id, pair)
        else:
            try:
                raw = await self._calls.retried("fetch_order", None, pair,
                                                {lookup: client_order_id})  # fmt: skip
            except OrderNotFound:
                raw = None
        return None if raw is None else await self._update(raw, pair)

    async def _scan_for(self, client_order_id: str, pair: str) -> Mapping[str, Any] | None:
        """Generic lookup: the exchange's open, closed and canceled orders of the pair."""
        for capability, method in _SCANS:
            if not self._client.has.get(capability):
                continue
            for raw in await self._calls.retried(method, pair):
                if raw.get("clientOrderId") == client_order_id:
                    found: Mapping[str, Any] = raw
                    return found
        return None

    async def cancel_order(self, order_id: str, pair: str) -> OrderUpdate:
        """Cancel; an order that finished meanwhile (the exchange says "unknown order") comes
        back in its final state. Retrying is safe for the same reason."""
        if self._broker is not None:
            return await self._broker.cancel_order(order_id, pair)
        await self._known(pair)
        try:
            raw = await self._calls.retried("cancel_order", order_id, pair)
        except OrderNotFound:
            return await self.fetch_order(order_id, pair)
        return await self._update(raw, pair)

    async def _update(
        self, raw: Mapping[str, Any], pair: str, requested: Decimal | None = None
    ) -> OrderUpdate:
        """The port's view of a ccxt order, with the fee looked up when the answer lacks it."""
        fee = order_fee(raw)
        filled = to_decimal(raw.get("filled") or 0)
        if fee is None and filled > 0:
            fee = await self._fee_of(str(raw["id"]), pair, filled, raw)
        return to_update(raw, pair=pair, requested=requested, now=self._clock.now(), fee=fee)

    async def _fee_of(
        self, order_id: str, pair: str, filled: Decimal, raw: Mapping[str, Any]
    ) -> Fee:
        known = self._fees.get(order_id)
        if known is not None and known[0] == filled:
            return known[1]
        fee: Fee | None = None
        if self._quirks.fees_from_trades or self._client.has.get("fetchOrderTrades"):
            try:
                fee = trades_fee(await self._calls.retried("fetch_order_trades", order_id, pair))
            except ExchangeUnavailable as exc:
                log.warning("cannot read the fees of order %s (%s); estimating them",
                            order_id, exc)  # fmt: skip
        if fee is None or fee.currency is None:
            cost = to_decimal(raw.get("cost") or 0)
            fee = Fee(cost * self.fee_rate(pair), self._market(pair).quote)
        else:
            self._fees[order_id] = (filled, fee)
        return fee

    # -- account -----------------------------------------------------------------------------
    async def fetch_balance(self) -> Mapping[str, Balance]:
        if self._broker is not None:
            return self._broker.balances()
        return to_balances(await self._calls.retried("fetch_balance"))

    def adopt_open_orders(self, orders: Sequence[Order]) -> None:
        """Dry-run: the paper broker takes the orders over; a live exchange knows them."""
        if self._broker is not None:
            self._broker.adopt_open_orders(orders)

    def fee_rate(self, pair: str, *, taker: bool = True) -> Decimal:
        if self._fee is not None:
            return self._fee
        market = self._market(pair)
        return market.taker_fee if taker else market.maker_fee

    async def close(self) -> None:
        await self._client.close()
