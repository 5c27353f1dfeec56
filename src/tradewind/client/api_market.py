"""Client calls for pair lists, locks, candles, strategies and markets (rest-api.md §7–§12)."""

from __future__ import annotations

from typing import Any

from .transport import JSON, ApiTransport, path_part

__all__ = ["MarketApi"]


class MarketApi(ApiTransport):
    """Pair lists, pair locks, candle data, strategies and markets."""

    def whitelist(self) -> JSON:
        """Show the active whitelist."""
        return self._get("whitelist")

    def blacklist(self, *add: str) -> JSON:
        """Show the blacklist, or add the given pairs/patterns to it."""
        if not add:
            return self._get("blacklist")
        return self._post("blacklist", {"blacklist": list(add)})

    def delete_blacklist(self, *pairs: str) -> JSON:
        """Remove pairs from the blacklist."""
        return self._delete("blacklist", {"pairs_to_delete": list(pairs)})

    def locks(self) -> JSON:
        """Show the active pair locks."""
        return self._get("locks")

    def lock_add(self, pair: str, until: str, side: str = "*", reason: str | None = None) -> JSON:
        """Lock a pair until a time with a timezone, e.g. "2030-01-01 16:00:00Z"."""
        return self._post("locks", [{"pair": pair, "until": until, "side": side, "reason": reason}])

    def delete_lock(self, lock_id: int) -> JSON:
        """Release a pair lock by id."""
        return self._delete(f"locks/{path_part(lock_id)}")

    def delete_locks(self, pair: str | None = None, lockid: int | None = None) -> JSON:
        """Release locks by id and/or all locks of a pair."""
        return self._post("locks/delete", {"pair": pair, "lockid": lockid})

    def pair_candles(
        self,
        pair: str,
        timeframe: str,
        limit: int | None = None,
        columns: list[str] | None = None,
    ) -> JSON:
        """Show the live analyzed candles of a pair (POST when columns are given)."""
        if columns is None:
            return self._get("pair_candles", {"pair": pair, "timeframe": timeframe, "limit": limit})
        body = {"pair": pair, "timeframe": timeframe, "limit": limit, "columns": columns}
        return self._post("pair_candles", body)

    def pair_history(
        self,
        pair: str,
        timeframe: str,
        timerange: str,
        strategy: str,
        freqaimodel: str | None = None,
    ) -> JSON:
        """Analyze stored candles of a pair with a strategy (timerange like 20240101-)."""
        params: dict[str, Any] = {
            "pair": pair,
            "timeframe": timeframe,
            "timerange": timerange,
            "strategy": strategy,
            "freqaimodel": freqaimodel,
        }
        return self._get("pair_history", params)

    def plot_config(self, strategy: str | None = None) -> JSON:
        """Show the plot configuration of the running (or the named) strategy."""
        return self._get("plot_config", {"strategy": strategy})

    def strategies(self) -> JSON:
        """List the strategies the bot can load."""
        return self._get("strategies")

    def strategy(self, name: str) -> JSON:
        """Show a strategy's parameters and source code."""
        return self._get(f"strategy/{path_part(name)}")

    def available_pairs(
        self,
        timeframe: str | None = None,
        stake_currency: str | None = None,
        candletype: str | None = None,
    ) -> JSON:
        """List the pairs with candle data on disk."""
        params = {
            "timeframe": timeframe,
            "stake_currency": stake_currency,
            "candletype": candletype,
        }
        return self._get("available_pairs", params)

    def markets(self, base: str | None = None, quote: str | None = None) -> JSON:
        """List the exchange's markets (optionally filtered by base/quote currency)."""
        return self._get("markets", {"base": base, "quote": quote})

    def pairlists_available(self) -> JSON:
        """List the available pairlist handlers (webserver mode)."""
        return self._get("pairlists/available")
