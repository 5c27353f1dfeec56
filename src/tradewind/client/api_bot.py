"""Client calls for info, tokens and bot control (rest-api.md §2–§4, §9, §13)."""

from __future__ import annotations

from .transport import JSON, ApiTransport, BearerAuth

__all__ = ["BotApi"]


class BotApi(ApiTransport):
    """Info, token and bot-control endpoints."""

    def ping(self) -> JSON:
        """Check that the API answers (GET /ping, no credentials needed)."""
        return self._get("ping")

    def token_login(self) -> JSON:
        """Exchange the Basic credentials for an access and a refresh token."""
        return self._post("token/login", {})

    def token_refresh(self, refresh_token: str) -> JSON:
        """Get a new access token for a refresh token."""
        return self._request("POST", "token/refresh", body={}, auth=BearerAuth(refresh_token))

    def version(self) -> JSON:
        """Show the bot version."""
        return self._get("version")

    def show_config(self) -> JSON:
        """Show the trading-relevant part of the configuration."""
        return self._get("show_config")

    def logs(self, limit: int | None = None) -> JSON:
        """Show the latest log records (all of the in-memory buffer without a limit)."""
        return self._get("logs", {"limit": limit or None})

    def sysinfo(self) -> JSON:
        """Show CPU and RAM usage of the bot's host."""
        return self._get("sysinfo")

    def health(self) -> JSON:
        """Show when the bot loop last ran and when the bot started."""
        return self._get("health")

    def start(self) -> JSON:
        """Start the bot (or resume entries when paused)."""
        return self._post("start", {})

    def stop(self) -> JSON:
        """Stop the bot."""
        return self._post("stop", {})

    def stopentry(self) -> JSON:
        """Stop opening new trades; open trades are still managed. Undo with start."""
        return self._post("stopentry", {})

    def stopbuy(self) -> JSON:
        """Same as stopentry (the older name)."""
        return self._post("stopbuy", {})

    def pause(self) -> JSON:
        """Same as stopentry."""
        return self._post("pause", {})

    def reload_config(self) -> JSON:
        """Reload the configuration and the strategy."""
        return self._post("reload_config", {})

    def edge(self) -> JSON:
        """Show Edge positioning data (tradewind has no Edge: always an error)."""
        return self._get("edge")

    def ui_version(self) -> JSON:
        """Show the version of the web UI the bot serves."""
        return self._request("GET", "ui_version", api=False)
