"""Client calls for trading statistics (rest-api.md §6)."""

from __future__ import annotations

from .transport import JSON, ApiTransport

__all__ = ["StatsApi"]


class StatsApi(ApiTransport):
    """Counts, balance, profit, performance and period summaries."""

    def count(self) -> JSON:
        """Show the number of open trades and the maximum."""
        return self._get("count")

    def balance(self) -> JSON:
        """Show the wallet balance per currency."""
        return self._get("balance")

    def profit(self) -> JSON:
        """Show the profit summary."""
        return self._get("profit")

    def profit_all(self) -> JSON:
        """Show the profit summary, split into long and short in margin/futures mode."""
        return self._get("profit_all")

    def performance(self) -> JSON:
        """Show the profit per pair."""
        return self._get("performance")

    def entries(self, pair: str | None = None) -> JSON:
        """Show the profit per entry tag (optionally for one pair)."""
        return self._get("entries", {"pair": pair})

    def exits(self, pair: str | None = None) -> JSON:
        """Show the profit per exit reason (optionally for one pair)."""
        return self._get("exits", {"pair": pair})

    def mix_tags(self, pair: str | None = None) -> JSON:
        """Show the profit per entry-tag/exit-reason combination (optionally for one pair)."""
        return self._get("mix_tags", {"pair": pair})

    def daily(self, timescale: int | None = None) -> JSON:
        """Show the profit per day (default 7 days)."""
        return self._get("daily", {"timescale": timescale})

    def weekly(self, timescale: int | None = None) -> JSON:
        """Show the profit per week (default 4 weeks)."""
        return self._get("weekly", {"timescale": timescale})

    def monthly(self, timescale: int | None = None) -> JSON:
        """Show the profit per month (default 3 months)."""
        return self._get("monthly", {"timescale": timescale})

    def stats(self) -> JSON:
        """Show wins/losses per exit reason and mean trade durations."""
        return self._get("stats")

    def historic_balance(self) -> JSON:
        """Show the daily wallet snapshots."""
        return self._get("historic_balance")
