"""Binance's public market-data endpoints (exchangeInfo, klines, tickers, depth)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.stubs.binance_stub.account import StubError
from tests.stubs.binance_stub.replay import Listing, SymbolRules, klines
from tests.stubs.binance_stub.state import (
    DAY_MS,
    DEFAULT_KLINES,
    INTERVALS,
    MAX_KLINES,
    Params,
    Payload,
    StubState,
    as_int,
    num,
)


def ping(state: StubState, params: Params) -> Payload:
    return {}


def server_time(state: StubState, params: Params) -> Payload:
    return {"serverTime": state.now_ms}


_ORDER_TYPES = ["LIMIT", "LIMIT_MAKER", "MARKET", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"]
_STP_MODES = ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"]


def _filters(rules: SymbolRules) -> list[dict[str, Any]]:
    return [
        {"filterType": "PRICE_FILTER", "minPrice": num(rules.tick),
         "maxPrice": "100000.00000000", "tickSize": num(rules.tick)},
        {"filterType": "LOT_SIZE", "minQty": num(rules.min_qty),
         "maxQty": "9000000.00000000", "stepSize": num(rules.step)},
        {"filterType": "NOTIONAL", "minNotional": num(rules.min_notional),
         "applyMinToMarket": True, "maxNotional": "9000000.00000000",
         "applyMaxToMarket": False, "avgPriceMins": 5},
    ]  # fmt: skip


def _symbol(rules: SymbolRules) -> dict[str, Any]:
    return {
        "symbol": rules.symbol, "status": "TRADING",
        "baseAsset": rules.base, "baseAssetPrecision": 8,
        "quoteAsset": rules.quote, "quotePrecision": 8, "quoteAssetPrecision": 8,
        "orderTypes": _ORDER_TYPES, "icebergAllowed": True, "ocoAllowed": True,
        "isSpotTradingAllowed": True, "isMarginTradingAllowed": False,
        "filters": _filters(rules), "permissions": [], "permissionSets": [["SPOT"]],
        "defaultSelfTradePreventionMode": "EXPIRE_MAKER",
        "allowedSelfTradePreventionModes": _STP_MODES,
    }  # fmt: skip


def exchange_info(state: StubState, params: Params) -> Payload:
    symbols = [_symbol(listing.rules) for listing in state.listings.values()]
    return {"timezone": "UTC", "serverTime": state.now_ms, "rateLimits": [],
            "exchangeFilters": [], "symbols": symbols}  # fmt: skip


def klines_endpoint(state: StubState, params: Params) -> Payload:
    listing = state.listing(params)
    minutes = INTERVALS.get(params.get("interval", ""))
    if minutes is None:
        raise StubError(400, -1120, "Invalid interval.")
    limit = as_int(params, "limit") or DEFAULT_KLINES
    if not 0 < limit <= MAX_KLINES:
        raise StubError(400, -1130, "Data sent for parameter 'limit' is not valid.")
    interval = minutes * 60_000
    rows = klines(
        listing.series,
        interval,
        state.now_ms,
        start=as_int(params, "startTime"),
        end=as_int(params, "endTime"),
        limit=limit,
    )
    return [
        [
            open_ms,
            num(s.open),
            num(s.high),
            num(s.low),
            num(s.close),
            num(s.volume),
            open_ms + interval - 1,
            num(s.volume * s.close),
            1,
            "0",
            "0",
            "0",
        ]
        for open_ms, s in rows
    ]


def ticker_24hr(state: StubState, params: Params) -> Payload:
    if "symbol" not in params:
        return [_ticker(state, listing) for listing in state.listings.values()]
    return _ticker(state, state.listing(params))


def _ticker(state: StubState, listing: Listing) -> dict[str, Any]:
    bid, ask, last = state.touch(listing)
    day = listing.series.span(state.now_ms - DAY_MS, state.now_ms)
    opened = day.open if day else float(last)
    return {
        "symbol": listing.rules.symbol,
        "priceChange": num(float(last) - opened),
        "priceChangePercent": num((float(last) / opened - 1) * 100, 3),
        "weightedAvgPrice": num(last),
        "prevClosePrice": num(opened),
        "lastPrice": num(last),
        "lastQty": "1.00000000",
        "bidPrice": num(bid),
        "bidQty": "10.00000000",
        "askPrice": num(ask),
        "askQty": "10.00000000",
        "openPrice": num(opened),
        "highPrice": num(day.high if day else last),
        "lowPrice": num(day.low if day else last),
        "volume": num(day.volume if day else 0),
        "quoteVolume": num(day.volume * float(last) if day else 0),
        "openTime": state.now_ms - DAY_MS,
        "closeTime": state.now_ms,
        "firstId": 1,
        "lastId": 2,
        "count": 2,
    }


def book_ticker(state: StubState, params: Params) -> Payload:
    listing = state.listing(params)
    bid, ask, _ = state.touch(listing)
    return {
        "symbol": listing.rules.symbol,
        "bidPrice": num(bid),
        "bidQty": "10.00000000",
        "askPrice": num(ask),
        "askQty": "10.00000000",
    }


def depth(state: StubState, params: Params) -> Payload:
    listing = state.listing(params)
    limit = min(as_int(params, "limit") or 100, 5000)
    bid, ask, _ = state.touch(listing)
    hour = listing.series.span(state.now_ms - 3_600_000, state.now_ms)
    unit = max((hour.volume if hour else 0.0) * 0.01, float(listing.rules.min_qty) * 10)
    tick = listing.rules.tick
    gap = max(tick, Decimal(str(float(bid) * 0.0005)).quantize(tick))
    bids = [[num(bid - gap * i), num(unit * (i + 1))] for i in range(limit) if bid - gap * i > 0]
    asks = [[num(ask + gap * i), num(unit * (i + 1))] for i in range(limit)]
    return {"lastUpdateId": state.now_ms, "bids": bids, "asks": asks}
