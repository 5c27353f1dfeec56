"""Per-exchange differences, as data: one entry per ccxt id, a generic fallback for the rest."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True)
class ExchangeQuirks:
    """What the adapter must do differently on one exchange.

    client_id_param: the create_order parameter that carries our client order id.
    lookup_param: a fetch_order parameter that finds an order by client id; None means the
        adapter scans open and closed orders instead.
    fees_from_trades: fetch_order/cancel_order answers carry no fees, so a filled order's fees
        are read from its trades.
    candles_per_call: most candles one OHLCV request returns (None: ccxt's `features`, or 500).
    stoploss_param: the create_order parameter that turns a limit sell into a stop-limit sell
        and carries its trigger price (ccxt's unified `stopLossPrice`: binance spot sends
        STOP_LOSS_LIMIT with stopPrice, price and timeInForce GTC). None: no stop orders are
        placed on this exchange and the bot manages the stoploss itself.
    options: ccxt `options` set before the user's `ccxt_config` (which wins).
    """

    client_id_param: str = "clientOrderId"
    lookup_param: str | None = None
    fees_from_trades: bool = False
    candles_per_call: int | None = None
    stoploss_param: str | None = None
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


_BINANCE = ExchangeQuirks(
    client_id_param="newClientOrderId",
    lookup_param="origClientOrderId",
    fees_from_trades=True,
    candles_per_call=1000,
    stoploss_param="stopLossPrice",
    options=MappingProxyType(
        {
            "defaultType": "spot",
            # spot only: loading markets must not call the futures/options/margin endpoints, and
            # with keys set ccxt would otherwise make private calls (currencies, margin pairs)
            "fetchMarkets": {"types": ["spot"]},
            "fetchCurrencies": False,
            "fetchMargins": False,
        }
    ),
)

_QUIRKS: Mapping[str, ExchangeQuirks] = MappingProxyType(
    {
        "binance": _BINANCE,
        "binanceus": _BINANCE,
    }
)

GENERIC = ExchangeQuirks()


def quirks_for(exchange_id: str) -> ExchangeQuirks:
    """The quirks of `exchange_id` (a ccxt id), or the generic defaults."""
    return _QUIRKS.get(exchange_id.lower(), GENERIC)
