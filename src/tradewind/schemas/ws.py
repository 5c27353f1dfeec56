"""Message WebSocket frames (websocket-and-external-signals.md §2–§3), kept light.

Requests are validated as a :class:`WSRequest` envelope first (an unknown ``type`` is answered
with :func:`invalid_request_message`); :func:`subscription_types` and
:func:`analyzed_df_limit` then read ``data`` with the spec's forgiving rules. Server messages
are plain dicts or the few models below; encode them with ``schemas.json.dumps`` (aware
datetimes → ``+00:00``, NaN → ``null``). Only ``whitelist``, ``analyzed_df``, ``new_candle`` and
the WS-level ``exception`` wrap their payload in ``data``; every other type is flat.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, PlainSerializer

from tradewind.schemas.dates import iso_offset

__all__ = [
    "ANALYZED_DF_MAX_ROWS",
    "AnalyzedDFData",
    "AnalyzedDFPayload",
    "WSAnalyzedDFMessage",
    "WSErrorMessage",
    "WSMessageType",
    "WSNewCandleMessage",
    "WSRequest",
    "WSRequestType",
    "WSStatusMessage",
    "WSWhitelistMessage",
    "analyzed_df_limit",
    "invalid_request_message",
    "subscription_types",
]

ANALYZED_DF_MAX_ROWS = 1500


class WSRequestType(StrEnum):
    """What a client may ask for."""

    SUBSCRIBE = "subscribe"
    WHITELIST = "whitelist"
    ANALYZED_DF = "analyzed_df"


class WSMessageType(StrEnum):
    """Types of server messages (the values a client may subscribe to)."""

    STATUS = "status"
    WARNING = "warning"
    STARTUP = "startup"
    EXCEPTION = "exception"
    ENTRY = "entry"
    ENTRY_FILL = "entry_fill"
    ENTRY_CANCEL = "entry_cancel"
    EXIT = "exit"
    EXIT_FILL = "exit_fill"
    EXIT_CANCEL = "exit_cancel"
    PROTECTION_TRIGGER = "protection_trigger"
    PROTECTION_TRIGGER_GLOBAL = "protection_trigger_global"
    LIQUIDATION_WARNING = "liquidation_warning"
    STRATEGY_MSG = "strategy_msg"
    WHITELIST = "whitelist"
    ANALYZED_DF = "analyzed_df"
    NEW_CANDLE = "new_candle"


class WSRequest(BaseModel):
    """Any client request: ``{"type": <request type>, "data": <anything, optional>}``."""

    type: WSRequestType
    data: Any = None


def subscription_types(data: Any) -> list[WSMessageType] | None:
    """The new subscription set of a ``subscribe`` request, or ``None`` to ignore the request.

    Only a non-empty list whose every element is a known message type replaces the set.
    """
    if not isinstance(data, list) or not data:
        return None
    known = {member.value for member in WSMessageType}
    if not all(isinstance(item, str) and item in known for item in data):
        return None
    return [WSMessageType(item) for item in data]


class AnalyzedDFData(BaseModel):
    """``data`` of an ``analyzed_df`` request."""

    limit: int | None = None
    pair: str | None = None


def analyzed_df_limit(data: Any) -> int | None:
    """Rows to send for an ``analyzed_df`` request: ``None`` means the whole cached frame.

    A non-empty object gives ``min(data.limit or 1500, 1500)``; absent/null/empty data gives
    no limit.
    """
    if not isinstance(data, dict) or not data:
        return None
    limit = data.get("limit")
    if isinstance(limit, bool) or not isinstance(limit, int | float) or limit <= 0:
        return ANALYZED_DF_MAX_ROWS
    return min(int(limit), ANALYZED_DF_MAX_ROWS)


class WSErrorMessage(BaseModel):
    """WS-level error: ``{"type": "exception", "data": "<text>"}``."""

    type: Literal["exception"] = "exception"
    data: str


def invalid_request_message(request_type: object) -> WSErrorMessage:
    """The answer to a request that fails validation."""
    return WSErrorMessage(data=f"Invalid request type: {request_type}")


class WSStatusMessage(BaseModel):
    """Flat ``status``/``warning``/``startup`` (and bot-side ``exception``) message."""

    type: Literal["status", "warning", "startup", "exception"]
    status: str


class WSWhitelistMessage(BaseModel):
    """``{"type": "whitelist", "data": [pair, ...]}``."""

    type: Literal["whitelist"] = "whitelist"
    data: list[str]


class WSNewCandleMessage(BaseModel):
    """``{"type": "new_candle", "data": [pair, timeframe, candle_type]}``."""

    type: Literal["new_candle"] = "new_candle"
    data: tuple[str, str, str]


class AnalyzedDFPayload(BaseModel):
    """``data`` of an ``analyzed_df`` message; ``df`` is the ``{"__type__": "dataframe", ...}``
    wrapper around the split-orientation JSON text."""

    key: tuple[str, str, str]
    df: dict[str, Any]
    la: Annotated[AwareDatetime, PlainSerializer(iso_offset, return_type=str)]


class WSAnalyzedDFMessage(BaseModel):
    """``{"type": "analyzed_df", "data": {"key", "df", "la"}}``."""

    type: Literal["analyzed_df"] = "analyzed_df"
    data: AnalyzedDFPayload
