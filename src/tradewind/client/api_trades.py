"""Client calls for trades and trade actions (rest-api.md §5)."""

from __future__ import annotations

from typing import Any

from .transport import JSON, ApiTransport, path_part

__all__ = ["TradesApi"]


class TradesApi(ApiTransport):
    """Trade listing, trade actions, force enter/exit and custom data."""

    def status(self) -> JSON:
        """List the open trades."""
        return self._get("status")

    def trades(
        self, limit: int | None = None, offset: int | None = None, order_by_id: bool = True
    ) -> JSON:
        """List closed trades, one page (the server's default page size is 500)."""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if not order_by_id:
            params["order_by_id"] = False
        return self._get("trades", params)

    def trade(self, trade_id: int) -> JSON:
        """Show one trade (open or closed)."""
        return self._get(f"trade/{path_part(trade_id)}")

    def delete_trade(self, trade_id: int) -> JSON:
        """Delete a trade from the database after cancelling its open orders."""
        return self._delete(f"trades/{path_part(trade_id)}")

    def cancel_open_order(self, trade_id: int) -> JSON:
        """Cancel the open order of an open trade."""
        return self._delete(f"trades/{path_part(trade_id)}/open-order")

    def reload_trade(self, trade_id: int) -> JSON:
        """Re-sync a trade from its orders on the exchange."""
        return self._post(f"trades/{path_part(trade_id)}/reload", {})

    def custom_data(self, trade_id: int, key: str | None = None) -> JSON:
        """Show the custom data a strategy stored for a trade."""
        return self._get(f"trades/{path_part(trade_id)}/custom-data", {"key": key})

    def open_trades_custom_data(
        self, key: str | None = None, limit: int = 100, offset: int = 0
    ) -> JSON:
        """Show the custom data of all open trades."""
        return self._get("trades/open/custom-data", {"key": key, "limit": limit, "offset": offset})

    def forceenter(
        self,
        pair: str,
        side: str = "long",
        price: float | None = None,
        *,
        ordertype: str | None = None,
        stakeamount: float | None = None,
        entry_tag: str | None = None,
        leverage: float | None = None,
    ) -> JSON:
        """Open a trade now (needs force_entry_enable in the bot config)."""
        body: dict[str, Any] = {"pair": pair, "side": side}
        optional = {
            "price": price,
            "ordertype": ordertype,
            "stakeamount": stakeamount,
            "entry_tag": entry_tag,
            "leverage": leverage,
        }
        body.update({key: value for key, value in optional.items() if value is not None})
        return self._post("forceenter", body)

    def forceexit(
        self,
        tradeid: int | str,
        ordertype: str | None = None,
        amount: float | None = None,
        price: float | None = None,
    ) -> JSON:
        """Exit a trade now ("all" exits every open trade; amount exits partially)."""
        body: dict[str, Any] = {"tradeid": tradeid, "ordertype": ordertype, "amount": amount}
        if price is not None:
            body["price"] = price
        return self._post("forceexit", body)
