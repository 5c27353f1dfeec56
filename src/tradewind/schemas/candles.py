"""Candle data: pair_candles / pair_history requests, the PairHistory answer, plot_config (§10)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, RootModel, field_validator, model_validator

from tradewind.schemas.dates import UtcDatetime

__all__ = [
    "PairCandlesRequest",
    "PairHistory",
    "PairHistoryRequest",
    "PlotConfig",
    "check_strategy_name",
]


def check_strategy_name(name: str | None) -> str | None:
    """Refuse base64-encoded strategies (names with ``:``); usable for query parameters too."""
    if name is not None and ":" in name:
        raise ValueError("base64 encoded strategies are not allowed.")
    return name


class PairCandlesRequest(BaseModel):
    """``POST /pair_candles`` body; ``columns: []`` means OHLCV + signal columns only."""

    pair: str
    timeframe: str
    limit: int | None = None
    columns: list[str] | None = None


class PairHistoryRequest(BaseModel):
    """``POST /pair_history`` body (P2; the GET form takes the same names as query parameters)."""

    pair: str
    timeframe: str
    timerange: str
    strategy: str | None = None
    freqaimodel: str | None = None
    columns: list[str] | None = None
    limit: int | None = None
    live_mode: bool = False
    exchange: str | None = None
    trading_mode: str | None = None
    margin_mode: str | None = None

    @field_validator("strategy")
    @classmethod
    def _no_base64_strategy(cls, value: str | None) -> str | None:
        return check_strategy_name(value)

    @field_validator("freqaimodel")
    @classmethod
    def _literal_none_is_absent(cls, value: str | None) -> str | None:
        # freqtrade-client sends the text "None" when no model is chosen
        return None if value == "None" else value


class PairHistory(BaseModel):
    """The analyzed-dataframe answer of ``/pair_candles`` and ``/pair_history`` (§10.0).

    ``data`` rows are lists of JSON values matching ``columns`` (dates as ``...Z`` text,
    NaN/NaT as null, which the response class guarantees for floats). ``last_analyzed`` emits
    ``...Z``; ``last_analyzed_ts`` is in seconds, ``data_*_ts`` in milliseconds and
    ``data_start``/``data_stop`` are ``"YYYY-MM-DD HH:MM:SS+00:00"`` (``""`` when empty).
    """

    strategy: str
    pair: str
    timeframe: str
    timeframe_ms: int
    columns: list[str]
    all_columns: list[str] = Field(default_factory=list)
    data: list[list[Any]]
    annotations: list[dict[str, Any]] | None = None
    length: int
    buy_signals: int
    sell_signals: int
    enter_long_signals: int
    exit_long_signals: int
    enter_short_signals: int
    exit_short_signals: int
    last_analyzed: UtcDatetime
    last_analyzed_ts: int
    data_start_ts: int
    data_stop_ts: int
    data_start: str
    data_stop: str


class PlotConfig(RootModel[dict[str, Any]]):
    """``GET /plot_config``: ``{"main_plot": {...}, "subplots": {...}}`` or ``{}``.

    A non-empty config without ``subplots`` gets ``"subplots": {}``; an empty one stays ``{}``.
    """

    @model_validator(mode="after")
    def _add_subplots(self) -> PlotConfig:
        if self.root and "subplots" not in self.root:
            self.root = {**self.root, "subplots": {}}
        return self
