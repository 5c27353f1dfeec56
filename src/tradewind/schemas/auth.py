"""Bodies of the token endpoints (rest-api.md §2.2, §2.3)."""

from __future__ import annotations

from pydantic import BaseModel

__all__ = ["AccessAndRefreshToken", "AccessToken"]


class AccessAndRefreshToken(BaseModel):
    """``POST /token/login`` answer."""

    access_token: str
    refresh_token: str


class AccessToken(BaseModel):
    """``POST /token/refresh`` answer (the refresh token is not rotated)."""

    access_token: str
