"""JSON encoding of the wire: non-finite floats become ``null`` (rest-api.md §0.2).

Every REST route should answer through :class:`NanSafeJSONResponse` (set it as the app's
``default_response_class``) and the message WebSocket should encode with :func:`dumps`.
Both use orjson, which already writes NaN/±inf as ``null``, tuples as arrays, enums as their
value and aware datetimes as RFC 3339 with ``+00:00`` (websocket spec §3.5). The fallback hook
below adds what orjson refuses on its own: pydantic models, ``Decimal``, sets, float subclasses
and datetime subclasses such as ``pandas.Timestamp`` (``NaT`` → ``null``), and numpy scalars.

REST routes with a response model emit strings for every date already (the models format them);
raw dicts (``GET /trades``) must carry pre-formatted date strings too, see ``schemas.dates``.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from typing import Any

import orjson
from pydantic import BaseModel
from starlette.responses import JSONResponse

_OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS

__all__ = ["NanSafeJSONResponse", "dumps", "finite_or_none", "fragment", "jsonable", "loads"]


def _finite_or_none(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _number(obj: float | Decimal) -> float | None:
    return _finite_or_none(float(obj))


def _date(obj: date) -> str | None:
    text = obj.isoformat()
    return None if text == "NaT" else text  # pandas.NaT is a datetime subclass


def jsonable(obj: Any) -> Any:
    """Turn one value orjson cannot serialize into one it can (the ``default`` hook).

    Raises ``TypeError`` for anything unknown, as orjson expects.
    """
    if isinstance(obj, BaseModel):
        return obj.model_dump(mode="json")
    if isinstance(obj, float | Decimal):  # float subclasses (numpy.float64 …) and Decimal
        return _number(obj)
    if isinstance(obj, date):  # datetime/date subclasses such as pandas.Timestamp
        return _date(obj)
    if isinstance(obj, set | frozenset):
        return list(obj)
    item = getattr(obj, "item", None)  # numpy scalars expose .item(); no numpy import needed
    if callable(item):
        return item()
    raise TypeError(f"Type is not JSON serializable: {type(obj).__name__}")


def fragment(obj: Any) -> orjson.Fragment:
    """``obj`` encoded once, to be embedded as is wherever :func:`dumps` meets it later."""
    return orjson.Fragment(dumps(obj))


def dumps(obj: Any) -> bytes:
    """Serialize ``obj`` to compact UTF-8 JSON bytes, mapping NaN/±inf to ``null``.

    Integers orjson cannot write (beyond 64 bits) are written as strings: they only come from
    outside — a 422 answer echoing a request body, custom data a strategy stored — and without
    this one such number turned the whole answer into a 500.
    """
    try:
        return orjson.dumps(obj, default=jsonable, option=_OPTIONS)
    except orjson.JSONEncodeError as exc:
        if _INT_OVERFLOW not in str(exc):
            raise
        return orjson.dumps(_big_ints_as_text(obj), default=jsonable, option=_OPTIONS)


_INT_OVERFLOW = "Integer exceeds 64-bit range"
_ORJSON_INTS = range(-(2**63), 2**64)


def _big_ints_as_text(obj: Any) -> Any:
    if isinstance(obj, int) and not isinstance(obj, bool) and obj not in _ORJSON_INTS:
        return str(obj)
    if isinstance(obj, BaseModel):
        obj = obj.model_dump(mode="json")
    if isinstance(obj, dict):
        return {key: _big_ints_as_text(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [_big_ints_as_text(item) for item in obj]
    return obj


def loads(data: bytes | bytearray | memoryview | str) -> Any:
    """Parse JSON text (the counterpart of :func:`dumps`)."""
    return orjson.loads(data)


class NanSafeJSONResponse(JSONResponse):
    """``application/json`` response rendered by orjson with non-finite floats as ``null``.

    Starlette's stock ``JSONResponse`` refuses NaN (``allow_nan=False``) and would turn a
    ``profit_factor`` of +inf into a 500, which FreqUI reads as "bot offline".
    """

    def render(self, content: Any) -> bytes:
        """Encode the route's return value."""
        return dumps(content)


def finite_or_none(value: float | None) -> float | None:
    """``value`` unless it is ``None``, NaN or ±inf, in which case ``None``."""
    if value is None:
        return None
    return _finite_or_none(value)
