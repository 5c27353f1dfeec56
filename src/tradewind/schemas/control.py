"""Bot control and trade actions: start/stop answers, force enter/exit, delete (rest-api.md §4, §5).

Request bodies are validated in pydantic's lax mode (the FastAPI default): numeric strings are
accepted for numeric fields (``{"price": "2000"}``) because ``freqtrade-client`` passes its CLI
arguments through as strings; unknown keys are ignored.
"""

from __future__ import annotations

from typing import TypeAlias

from pydantic import BaseModel, ConfigDict

from tradewind.domain.enums import OrderType, SignalDirection
from tradewind.schemas.trades import TradeSchema

__all__ = [
    "DeleteTrade",
    "ForceEnterPayload",
    "ForceEnterResponse",
    "ForceExitPayload",
    "ResultMsg",
    "StatusMsg",
]


class StatusMsg(BaseModel):
    """``{"status": str}``: bot-control answers and the force-enter fallback."""

    status: str


class ResultMsg(BaseModel):
    """``{"result": str}``: the force-exit answer."""

    result: str


class DeleteTrade(BaseModel):
    """``DELETE /trades/{id}`` answer."""

    cancel_order_count: int
    result: str
    result_msg: str
    trade_id: int


class ForceEnterPayload(BaseModel):
    """``POST /forceenter`` and ``/forcebuy`` body (§5.8). NaN/Infinity are refused (422)."""

    model_config = ConfigDict(allow_inf_nan=False)

    pair: str
    side: SignalDirection = SignalDirection.LONG
    price: float | None = None
    ordertype: OrderType | None = None
    stakeamount: float | None = None
    entry_tag: str | None = None
    leverage: float | None = None


class ForceExitPayload(BaseModel):
    """``POST /forceexit`` and ``/forcesell`` body (§5.9); ``tradeid`` may be ``"all"``."""

    model_config = ConfigDict(allow_inf_nan=False)

    tradeid: int | str
    ordertype: OrderType | None = None
    amount: float | None = None
    price: float | None = None

    @property
    def exits_all(self) -> bool:
        """True when the caller asked to exit every open trade."""
        return self.tradeid == "all"

    @property
    def trade_id(self) -> int | None:
        """The id as an int when it is one (``3`` or ``"3"``), else ``None``."""
        if isinstance(self.tradeid, int):
            return self.tradeid
        text = self.tradeid
        return int(text) if text.isascii() and text.isdigit() else None


ForceEnterResponse: TypeAlias = TradeSchema | StatusMsg
"""The force-enter answer: the new trade, or ``{"status": "Error entering ..."}``."""
