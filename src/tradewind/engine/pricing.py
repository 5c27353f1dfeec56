"""Entry and exit prices from tickers or the order book, per `entry_pricing`/`exit_pricing`."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from tradewind.errors import ExchangeError
from tradewind.exchange.port import Exchange, Ticker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PricingRules:
    price_side: str = "same"  # ask | bid | same | other
    use_order_book: bool = False
    order_book_top: int = 1
    price_last_balance: float = 0.0

    @classmethod
    def from_config(cls, section: Any) -> PricingRules:
        if section is None:
            return cls()
        data: dict[str, Any] = section if isinstance(section, dict) else section.model_dump()
        return cls(
            price_side=str(data.get("price_side") or "same"),
            use_order_book=bool(data.get("use_order_book", False)),
            order_book_top=int(data.get("order_book_top") or 1),
            price_last_balance=float(data.get("price_last_balance") or 0.0),
        )


class Pricing:
    """Computes the rate at which an entry or exit order is placed (long side, spot)."""

    def __init__(self, exchange: Exchange, entry: PricingRules, exit_: PricingRules) -> None:
        self.exchange = exchange
        self.entry_rules = entry
        self.exit_rules = exit_
        self._tickers: dict[str, Ticker] = {}

    def forget(self) -> None:
        """Drop cached tickers (called at the start of every tick)."""
        self._tickers.clear()

    def cached_ticker(self, pair: str) -> Ticker | None:
        return self._tickers.get(pair)

    async def ticker(self, pair: str) -> Ticker:
        ticker = self._tickers.get(pair)
        if ticker is None:
            ticker = await self.exchange.fetch_ticker(pair)
            self._tickers[pair] = ticker
        return ticker

    async def entry_rate(self, pair: str, *, is_short: bool = False) -> float:
        side = _side(self.entry_rules.price_side, order_side="sell" if is_short else "buy")
        return await self._rate(pair, side, self.entry_rules)

    async def exit_rate(self, pair: str, *, is_short: bool = False) -> float:
        side = _side(self.exit_rules.price_side, order_side="buy" if is_short else "sell")
        return await self._rate(pair, side, self.exit_rules)

    async def _rate(self, pair: str, side: str, rules: PricingRules) -> float:
        if rules.use_order_book:
            book = await self.exchange.fetch_order_book(pair, max(rules.order_book_top, 1))
            levels = book.asks if side == "ask" else book.bids
            if len(levels) < rules.order_book_top:
                raise ExchangeError(
                    f"order book of {pair} has fewer than {rules.order_book_top} levels"
                )
            return float(levels[rules.order_book_top - 1][0])
        ticker = await self.ticker(pair)
        rate = ticker.ask if side == "ask" else ticker.bid
        last = ticker.last
        worse_than_last = rate > last if side == "ask" else rate < last
        if rules.price_last_balance and worse_than_last:
            rate = rate + rules.price_last_balance * (last - rate)
        return rate


def _side(price_side: str, *, order_side: str) -> str:
    """Map same/other/bid/ask onto the book side to read for a buy or a sell order."""
    if price_side in ("ask", "bid"):
        return price_side
    same = "bid" if order_side == "buy" else "ask"
    other = "ask" if order_side == "buy" else "bid"
    return same if price_side == "same" else other
