"""The API routes, one module per area; each builds its routers around the app's ``ApiAuth``."""

from __future__ import annotations

from fastapi import APIRouter

from tradewind.api.auth import ApiAuth
from tradewind.api.routes import candles, control, info, pairs, stats, trades

__all__ = ["api_routers"]


def api_routers(auth: ApiAuth) -> list[APIRouter]:
    """Every ``/api/v1`` router: the public ping first, then the protected areas."""
    return [
        info.public_router(),
        info.router(auth),
        control.router(auth),
        trades.router(auth),
        stats.router(auth),
        pairs.router(auth),
        candles.router(auth),
    ]
