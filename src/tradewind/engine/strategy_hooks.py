"""Adapters between the engine and the strategy: order hooks, locks, custom data, wallets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from tradewind.domain.clock import Clock
from tradewind.domain.order import Order
from tradewind.domain.trade import Trade
from tradewind.engine.locks import PairLocks
from tradewind.engine.pricing import Pricing
from tradewind.engine.stake import StakeCalculator
from tradewind.engine.wallet import DryRunWallet
from tradewind.exchange.port import Exchange
from tradewind.persistence.repositories import CustomDataRepository

if TYPE_CHECKING:
    from tradewind.strategy.runner import StrategyRunner


class RunnerOrderCallbacks:
    """Implements the order manager's OrderCallbacks over a StrategyRunner."""

    def __init__(self, runner: StrategyRunner) -> None:
        self.runner = runner

    def order_filled(self, trade: Trade, order: Order, now: datetime) -> None:
        self.runner.order_filled(pair=trade.pair, trade=trade, order=order, current_time=now)

    def check_entry_timeout(self, trade: Trade, order: Order, now: datetime) -> bool:
        return self.runner.check_entry_timeout(
            pair=trade.pair, trade=trade, order=order, current_time=now
        )

    def check_exit_timeout(self, trade: Trade, order: Order, now: datetime) -> bool:
        return self.runner.check_exit_timeout(
            pair=trade.pair, trade=trade, order=order, current_time=now
        )


class StrategyPairLocks:
    """The strategy's `lock_pair`/`unlock_pair`/`is_pair_locked`, over the engine's locks."""

    def __init__(self, locks: PairLocks, clock: Clock, commit: Callable[[], None]) -> None:
        self._locks = locks
        self._clock = clock
        self._commit = commit

    def lock_pair(self, pair: str, until: datetime, reason: str | None, side: str) -> None:
        now = self._clock.now()
        self._locks.lock(pair, until, now, reason=reason, side=side)
        self._commit()

    def unlock_pair(self, pair: str) -> None:
        self._locks.unlock_pair(pair, self._clock.now())
        self._commit()

    def unlock_reason(self, reason: str) -> None:
        now = self._clock.now()
        for lock in self._locks.active(now):
            if lock.reason == reason:
                lock.release(now)
        self._commit()

    def is_pair_locked(self, pair: str, at: datetime | None, side: str) -> bool:
        return self._locks.is_locked(pair, at or self._clock.now(), side=side)


class SessionCustomData:
    """`trade.get_custom_data`/`set_custom_data` stored through the engine's session."""

    def __init__(self, session: Session, clock: Clock) -> None:
        self._repo = CustomDataRepository(session)
        self._session = session
        self._clock = clock

    def get(self, trade_id: int, key: str, default: Any = None) -> Any:
        rows = self._repo.get(trade_id, key)
        return rows[0]["value"] if rows else default

    def set(self, trade_id: int, key: str, value: Any) -> None:
        self._repo.set(trade_id, key, value, self._clock.now())
        self._session.commit()


class StrategyWallets:
    """`self.wallets` for strategies: float balances of the dry-run wallet."""

    def __init__(
        self, wallet: DryRunWallet, stake: StakeCalculator, closed_profit: Callable[[], Decimal]
    ) -> None:
        self._wallet = wallet
        self._stake = stake
        self._closed_profit = closed_profit

    def get_free(self, currency: str) -> float:
        balance = self._wallet.balances().get(currency)
        return float(balance.free) if balance else 0.0

    def get_used(self, currency: str) -> float:
        balance = self._wallet.balances().get(currency)
        return float(balance.used) if balance else 0.0

    def get_total(self, currency: str) -> float:
        balance = self._wallet.balances().get(currency)
        return float(balance.total) if balance else 0.0

    def get_total_stake_amount(self) -> float:
        return float(self._stake.usable_capital(self._closed_profit()))

    def get_available_stake_amount(self) -> float:
        return float(self._stake.available(self._closed_profit()))


class CachedMarketInfo:
    """`dp.market/ticker/orderbook`: cached exchange data, never a network call from a strategy."""

    def __init__(self, exchange: Exchange, pricing: Pricing) -> None:
        self._exchange = exchange
        self._pricing = pricing

    def market(self, pair: str) -> dict[str, object] | None:
        market = self._exchange.markets.get(pair)
        if market is None:
            return None
        return {
            "symbol": market.symbol,
            "base": market.base,
            "quote": market.quote,
            "active": market.active,
            "spot": market.spot,
            "precision": {"amount": _float(market.amount_step), "price": _float(market.price_step)},
            "limits": {
                "amount": {"min": _float(market.min_amount)},
                "cost": {"min": _float(market.min_cost)},
            },
            "maker": float(market.maker_fee),
            "taker": float(market.taker_fee),
        }

    def ticker(self, pair: str) -> dict[str, object]:
        ticker = self._pricing.cached_ticker(pair)
        if ticker is None:
            return {}
        return {
            "symbol": pair,
            "bid": ticker.bid,
            "ask": ticker.ask,
            "last": ticker.last,
            "timestamp": int(ticker.timestamp.timestamp() * 1000),
        }

    def orderbook(self, pair: str, maximum: int) -> dict[str, object]:
        ticker = self._pricing.cached_ticker(pair)
        if ticker is None:
            return {"bids": [], "asks": []}
        return {"bids": [[ticker.bid, 0.0]][:maximum], "asks": [[ticker.ask, 0.0]][:maximum]}


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
