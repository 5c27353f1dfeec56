"""Binance's signed endpoints: orders (by id or client id), trades and the account."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tests.stubs.binance_stub.account import OrderRequest, StubError, StubOrder, unknown_order
from tests.stubs.binance_stub.state import Params, Payload, StubState, as_decimal, as_int, num


def _order_json(order: StubOrder, *, with_fills: bool = False) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "symbol": order.symbol,
        "orderId": order.order_id,
        "orderListId": -1,
        "clientOrderId": order.client_order_id,
        "price": num(order.price or Decimal(0)),
        "origQty": num(order.qty),
        "executedQty": num(order.executed),
        # exact where Binance shows 8 decimals, so fee == cost × rate to the last digit
        "cummulativeQuoteQty": format(order.quote, "f"),
        "status": order.status,
        "timeInForce": "GTC",
        "type": order.type,
        "side": order.side,
        "stopPrice": num(order.stop_price or Decimal(0)),
        "icebergQty": "0.00000000",
        "time": order.time_ms,
        "updateTime": order.update_ms,
        "isWorking": not order.awaits_trigger,
        "workingTime": order.time_ms,
        "origQuoteOrderQty": "0.00000000",
        "selfTradePreventionMode": "EXPIRE_MAKER",
    }
    if with_fills:
        payload["transactTime"] = order.update_ms
        payload["fills"] = [
            {
                "price": num(t.price),
                "qty": num(t.qty),
                "commission": format(t.commission, "f"),
                "commissionAsset": t.commission_asset,
                "tradeId": t.trade_id,
            }
            for t in order.trades
        ]
    return payload


def create_order(state: StubState, params: Params) -> Payload:
    listing = state.listing(params)
    side, kind = params.get("side", ""), params.get("type", "")
    if side not in ("BUY", "SELL") or kind not in ("LIMIT", "MARKET", "STOP_LOSS_LIMIT"):
        raise StubError(400, -1116, "Invalid orderType.")
    qty = as_decimal(params, "quantity")
    if qty is None:
        raise StubError(400, -1102, "Mandatory parameter 'quantity' was not sent.")
    bid, ask, last = state.touch(listing)
    stop = _stop_price(params, kind, side, last)
    client_id = params.get("newClientOrderId") or f"stub{state.account._next_order + 1}"
    request = OrderRequest(
        listing.rules.symbol, side, kind, qty, as_decimal(params, "price"), client_id, stop
    )
    order = state.account.place(
        listing, request, (bid, ask), state.now_ms, state.faults.partial_share
    )
    return _order_json(order, with_fills=params.get("newOrderRespType", "FULL") == "FULL")


def _stop_price(params: Params, kind: str, side: str, last: Decimal) -> Decimal | None:
    """A STOP_LOSS_LIMIT's stopPrice, refused like Binance when the last price reached it."""
    if kind != "STOP_LOSS_LIMIT":
        return None
    for name in ("stopPrice", "timeInForce"):
        if not params.get(name):
            raise StubError(400, -1102, f"Mandatory parameter '{name}' was not sent.")
    stop = as_decimal(params, "stopPrice")
    assert stop is not None
    if (stop >= last) if side == "SELL" else (stop <= last):
        raise StubError(400, -2010, "Stop price would trigger immediately.")
    return stop


def _lookup(state: StubState, params: Params) -> StubOrder:
    listing = state.listing(params)
    return state.account.find(
        listing.rules.symbol, params.get("orderId"), params.get("origClientOrderId")
    )


def query_order(state: StubState, params: Params) -> Payload:
    return _order_json(_lookup(state, params))


def cancel_order(state: StubState, params: Params) -> Payload:
    try:
        order = _lookup(state, params)
    except StubError as exc:
        if exc.code == -2013:
            raise StubError(400, -2011, "Unknown order sent.") from None
        raise
    return _order_json(state.account.cancel(order, state.now_ms))


def open_orders(state: StubState, params: Params) -> Payload:
    symbol = state.listing(params).rules.symbol if "symbol" in params else None
    return [
        _order_json(order)
        for order in state.account.orders.values()
        if order.is_open and symbol in (None, order.symbol)
    ]


def all_orders(state: StubState, params: Params) -> Payload:
    symbol = state.listing(params).rules.symbol
    return [_order_json(o) for o in state.account.orders.values() if o.symbol == symbol]


def my_trades(state: StubState, params: Params) -> Payload:
    symbol = state.listing(params).rules.symbol
    wanted = as_int(params, "orderId")
    if wanted is not None and wanted not in state.account.orders:
        raise unknown_order()
    return [
        {
            "symbol": t.symbol,
            "id": t.trade_id,
            "orderId": t.order_id,
            "orderListId": -1,
            "price": num(t.price),
            "qty": num(t.qty),
            "quoteQty": format(t.price * t.qty, "f"),
            "commission": format(t.commission, "f"),
            "commissionAsset": t.commission_asset,
            "time": t.time_ms,
            "isBuyer": t.is_buyer,
            "isMaker": t.is_maker,
            "isBestMatch": True,
        }
        for order in state.account.orders.values()
        if order.symbol == symbol and wanted in (None, order.order_id)
        for t in order.trades
    ]


def account(state: StubState, params: Params) -> Payload:
    locked = state.account.locked()
    assets = sorted(set(state.account.balances) | set(locked))
    balances = [
        {
            "asset": asset,
            "free": format(state.account.free(asset), "f"),
            "locked": format(locked.get(asset, Decimal(0)), "f"),
        }
        for asset in assets
    ]
    return {
        "makerCommission": 10,
        "takerCommission": 10,
        "buyerCommission": 0,
        "sellerCommission": 0,
        "canTrade": True,
        "canWithdraw": True,
        "canDeposit": True,
        "updateTime": state.now_ms,
        "accountType": "SPOT",
        "balances": balances,
        "permissions": ["SPOT"],
        "uid": 1,
    }
