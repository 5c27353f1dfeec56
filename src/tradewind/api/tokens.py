"""The API's JWTs (auth-and-server.md §3): who a token names, and how tokens are made and checked.

Tokens are HS256 with ``jwt_secret_key``; their payload is Freqtrade's
``{"identity": {"u": name[, "ro": true]}, "exp", "iat", "type"}`` (``ro`` is tradewind's
read-only flag). :class:`~tradewind.api.auth.ApiAuth` issues and checks them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

import jwt

__all__ = [
    "ACCESS_TOKEN_LIFETIME",
    "REFRESH_TOKEN_LIFETIME",
    "Principal",
    "TokenType",
    "create_token",
    "decode_token",
    "principal_from_claims",
]

ACCESS_TOKEN_LIFETIME = timedelta(minutes=15)
REFRESH_TOKEN_LIFETIME = timedelta(days=30)
_ALGORITHM = "HS256"

TokenType = Literal["access", "refresh"]


@dataclass(frozen=True)
class Principal:
    """Who is calling: the authenticated user name and whether it may only read."""

    username: str
    read_only: bool = False


def create_token(
    identity: Principal | str,
    secret: str,
    token_type: TokenType,
    lifetime: timedelta,
    *,
    now: float | None = None,
) -> str:
    """An HS256 JWT ``{"identity": {"u": name[, "ro": true]}, "exp", "iat", "type"}``."""
    principal = identity if isinstance(identity, Principal) else Principal(identity)
    issued_at = int(time.time() if now is None else now)
    claims_identity: dict[str, Any] = {"u": principal.username}
    if principal.read_only:
        claims_identity["ro"] = True
    payload = {
        "identity": claims_identity,
        "exp": issued_at + int(lifetime.total_seconds()),
        "iat": issued_at,
        "type": token_type,
    }
    return jwt.encode(payload, secret, algorithm=_ALGORITHM)


def principal_from_claims(claims: dict[str, Any]) -> Principal | None:
    """The principal named by ``claims["identity"]``, or ``None`` if ``identity.u`` is missing."""
    identity = claims.get("identity")
    if not isinstance(identity, dict):
        return None
    username = identity.get("u")
    if not isinstance(username, str):
        return None
    return Principal(username, read_only=identity.get("ro") is True)


def _expired(exp: object, now: float) -> bool:
    if exp is None:
        return False  # Freqtrade accepts tokens without exp
    if isinstance(exp, bool) or not isinstance(exp, int | float):
        return True
    return now >= exp


def decode_token(
    token: str, secret: str, expected_type: TokenType, *, now: float | None = None
) -> dict[str, Any] | None:
    """The claims of a valid token of ``expected_type``, else ``None``.

    Valid means: HS256 signature by ``secret`` (any other ``alg``, including ``none``, is
    refused), not expired when ``exp`` is present, ``identity.u`` present, ``type`` matching.
    """
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[_ALGORITHM],
            # exp is checked below against the injectable clock; iat/nbf are not ours to check
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.PyJWTError:
        return None
    if claims.get("type") != expected_type:
        return None
    if _expired(claims.get("exp"), time.time() if now is None else now):
        return None
    if principal_from_claims(claims) is None:
        return None
    return claims
