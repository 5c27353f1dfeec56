"""The REST client: one method per endpoint of the tradewind (and Freqtrade) API."""

from __future__ import annotations

from .api_bot import BotApi
from .api_market import MarketApi
from .api_stats import StatsApi
from .api_trades import TradesApi

__all__ = ["TradewindClient"]


class TradewindClient(BotApi, TradesApi, StatsApi, MarketApi):
    """A client of ``<base_url>/api/v1`` using HTTP Basic on every request.

    Every endpoint method returns the decoded JSON body; HTTP errors raise
    :class:`~tradewind.client.transport.ApiError` (``status``, ``body``) and unreachable bots
    raise :class:`~tradewind.client.transport.ApiConnectionError`.

    >>> client = TradewindClient("http://127.0.0.1:8080", "freqtrader", "secret")  # doctest: +SKIP
    >>> client.forceenter("ETH/USDT", price=2000)  # doctest: +SKIP
    """

    def __enter__(self) -> TradewindClient:
        return self
