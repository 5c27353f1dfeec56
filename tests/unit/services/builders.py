"""Builders for service tests: a real bot on a tmp database, fixed prices, trades by hand."""

from __future__ import annotations

import itertools
import random
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.factories import make_trade
from tradewind.app import Application, build
from tradewind.config import embedded_default, generate_api_secrets, load_config
from tradewind.domain.clock import ManualClock
from tradewind.domain.enums import OrderStatus
from tradewind.domain.order import Order, OrderUpdate
from tradewind.domain.trade import Trade
from tradewind.engine.pricing import Pricing, PricingRules
from tradewind.errors import ExchangeError
from tradewind.exchange.port import Ticker
from tradewind.persistence.repositories import TradeRepository
from tradewind.persistence.tables import orders, trades

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
_ids = itertools.count()


def make_bot(
    tmp_path: Path, *, now: datetime = NOW, pairs: list[str] | None = None, **overrides: Any
) -> Application:
    """A dry-run bot on the simulated exchange with a tmp database and a manual clock."""
    base = embedded_default()
    if pairs is not None:
        base["exchange"]["pair_whitelist"] = pairs
    base["api_server"].update(generate_api_secrets().as_config())
    tmp_path.mkdir(parents=True, exist_ok=True)
    base["db_url"] = f"sqlite:///{tmp_path / 'services.sqlite'}"
    base["exchange"]["simulation"]["source"] = "generate"
    base.update(overrides)
    return build(load_config(None, base=base), clock=ManualClock(now))


class FixedPricing(Pricing):
    """Exit (and entry) rates from a table; a pair missing from it fails like a dead ticker."""

    def __init__(self, rates: Mapping[str, float]) -> None:
        super().__init__(None, PricingRules(), PricingRules())  # type: ignore[arg-type]
        self.rates = dict(rates)
        self.calls = 0

    async def exit_rate(self, pair: str, *, is_short: bool = False) -> float:
        self.calls += 1
        if pair not in self.rates:
            raise ExchangeError(f"no ticker for {pair}")
        return self.rates[pair]

    async def entry_rate(self, pair: str, *, is_short: bool = False) -> float:
        return await self.exit_rate(pair)

    def cached_ticker(self, pair: str) -> Ticker | None:
        rate = self.rates.get(pair)
        return None if rate is None else Ticker(pair, rate, rate, rate, NOW)


def use_rates(app: Application, rates: Mapping[str, float]) -> FixedPricing:
    pricing = FixedPricing(rates)
    app.engine.parts.pricing = pricing
    return pricing


def order(
    trade: Trade,
    side: str,
    amount: str,
    price: str,
    when: datetime,
    *,
    filled: bool = True,
    fee: str = "0.001",
    order_id: str | None = None,
) -> Order:
    """An order of `trade`, filled (fee in quote currency, currency left unset) unless told."""
    number = next(_ids)
    placed = Order(
        ft_pair=trade.pair,
        ft_order_side=side,
        side=side,
        order_type="limit",
        ft_amount=Decimal(amount),
        ft_price=Decimal(price),
        client_order_id=f"svc{number}",
        order_date=when,
        amount=Decimal(amount),
        remaining=Decimal(amount),
        ft_order_tag=trade.enter_tag if side == "buy" else None,
    )
    trade.add_order(placed)
    if filled:
        cost = Decimal(amount) * Decimal(price)
        placed.apply_update(
            OrderUpdate(
                order_id=order_id or f"oid{number}",
                client_order_id=placed.client_order_id,
                pair=trade.pair,
                side=side,
                order_type="limit",
                status=OrderStatus.CLOSED,
                amount=Decimal(amount),
                filled=Decimal(amount),
                price=Decimal(price),
                average=Decimal(price),
                cost=cost,
                fee_cost=cost * Decimal(fee),
                fee_currency=None,
                timestamp=when + timedelta(minutes=1),
            ),
            trade.base_currency,
        )
    trade.recalculate()
    return placed


def closed_trade(
    pair: str,
    buy: str,
    sell: str,
    *,
    opened: datetime,
    hours: float = 2,
    amount: str = "1",
    fee: str = "0.001",
    enter_tag: str | None = None,
    exit_reason: str | None = "roi",
) -> Trade:
    """A trade bought at `buy` and sold at `sell` `hours` later (fills one minute after)."""
    trade = make_trade(
        pair,
        rate=buy,
        amount=amount,
        open_date=opened,
        enter_tag=enter_tag,
        fee_open=Decimal(fee),
        fee_close=Decimal(fee),
    )
    order(trade, "buy", amount, buy, opened, fee=fee)
    closing = opened + timedelta(hours=hours) - timedelta(minutes=1)
    order(trade, "sell", amount, sell, closing, fee=fee)
    trade.exit_reason = exit_reason
    assert not trade.is_open
    return trade


def open_trade(
    pair: str,
    buy: str,
    *,
    opened: datetime,
    amount: str = "1",
    filled: bool = True,
    enter_tag: str | None = None,
) -> Trade:
    trade = make_trade(pair, rate=buy, amount=amount, open_date=opened, enter_tag=enter_tag)
    order(trade, "buy", amount, buy, opened, filled=filled)
    return trade


def store(app: Application, *items: Trade) -> list[Trade]:
    """Persist trades in the engine's session and load them into the engine like start-up."""
    session = app.engine.session
    repo = TradeRepository(session)
    for trade in items:
        repo.add(trade)
    session.commit()
    reload_engine(app)
    return list(items)


def reload_engine(app: Application) -> None:
    """What `TradingEngine.start_up` does with the database, without touching the exchange."""
    engine = app.engine
    repo = TradeRepository(engine.session)
    engine.open_trades = repo.open_trades()
    engine.closed_profit = repo.closed_profit_total()
    engine.closed_revision += 1
    engine.revision += 1
    engine.parts.wallet.update(engine.open_trades, engine.closed_profit)


def bulk_closed_trades(app: Application, count: int, *, seed: int = 1) -> None:
    """`count` closed trades (two filled orders each) written with bulk inserts (fast)."""
    rnd = random.Random(seed)
    start = NOW - timedelta(days=400)
    trade_rows, order_rows = [], []
    for i in range(1, count + 1):
        opened = start + timedelta(minutes=50 * i)
        closed = opened + timedelta(minutes=rnd.randint(5, 900))
        rate = Decimal("100")
        sell = (rate * Decimal(str(round(rnd.uniform(0.95, 1.06), 4)))).normalize()
        cost, exit_cost = rate, sell
        fee, exit_fee = cost * Decimal("0.001"), exit_cost * Decimal("0.001")
        profit = exit_cost - exit_fee - cost - fee
        pair = rnd.choice(["ETH/BTC", "LTC/BTC", "XRP/BTC", "ADA/BTC"])
        trade_rows.append(
            dict(
                id=i,
                exchange="simulated",
                pair=pair,
                base_currency=pair.split("/")[0],
                stake_currency="BTC",
                is_open=False,
                is_short=False,
                leverage=1.0,
                trading_mode="spot",
                strategy="SampleStrategy",
                enter_tag=rnd.choice([None, "a", "b"]),
                timeframe=5,
                open_date=opened,
                close_date=closed,
                fee_open=Decimal("0.001"),
                fee_close=Decimal("0.001"),
                fee_open_cost=fee,
                fee_close_cost=exit_fee,
                amount=Decimal(0),
                amount_requested=Decimal(1),
                open_rate=rate,
                open_rate_requested=rate,
                open_trade_value=Decimal(0),
                stake_amount=Decimal(0),
                max_stake_amount=cost,
                realized_profit=profit,
                close_rate=sell,
                close_profit=float(profit / (cost + fee)),
                close_profit_abs=profit,
                exit_reason=rnd.choice(["roi", "stop_loss", "exit_signal"]),
                exit_order_status="closed",
            )
        )
        for side, value, paid, when in (
            ("buy", cost, fee, opened),
            ("sell", exit_cost, exit_fee, closed),
        ):
            order_rows.append(
                dict(
                    trade_id=i,
                    ft_pair=pair,
                    ft_order_side=side,
                    side=side,
                    order_type="limit",
                    ft_amount=Decimal(1),
                    ft_price=rate,
                    client_order_id=f"bulk{i}{side}",
                    order_id=f"bulk{i}{side}",
                    status="closed",
                    ft_is_open=False,
                    price=rate,
                    average=value,
                    amount=Decimal(1),
                    filled=Decimal(1),
                    remaining=Decimal(0),
                    cost=value,
                    fee_cost=paid,
                    order_date=when,
                    order_filled_date=when,
                )
            )
    with app.db.transaction() as session:
        session.execute(trades.insert(), trade_rows)
        session.execute(orders.insert(), order_rows)
    reload_engine(app)
