"""Strategy endpoints: ``/strategies`` and ``/strategy/{name}`` with its parameters (§11)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

__all__ = [
    "BooleanParameterSchema",
    "CategoricalParameterSchema",
    "DecimalParameterSchema",
    "IntParameterSchema",
    "RealParameterSchema",
    "StrategyListResponse",
    "StrategyParameter",
    "StrategyResponse",
]


class StrategyListResponse(BaseModel):
    """``GET /strategies``: class names, sorted."""

    strategies: list[str]


class _ParameterBase(BaseModel):
    """Keys every parameter starts with; subclasses narrow ``param_type`` (order is kept)."""

    param_type: str
    name: str
    space: str | None
    load: bool
    optimize: bool


class IntParameterSchema(_ParameterBase):
    """An ``IntParameter``."""

    param_type: Literal["IntParameter"] = "IntParameter"
    value: int | None
    low: int
    high: int


class RealParameterSchema(_ParameterBase):
    """A ``RealParameter``."""

    param_type: Literal["RealParameter"] = "RealParameter"
    value: float | None
    low: float
    high: float


class DecimalParameterSchema(_ParameterBase):
    """A ``DecimalParameter``: a real rounded to ``decimals`` places."""

    param_type: Literal["DecimalParameter"] = "DecimalParameter"
    value: float | None
    low: float
    high: float
    decimals: int


class CategoricalParameterSchema(_ParameterBase):
    """A ``CategoricalParameter``: one of ``opt_range``."""

    param_type: Literal["CategoricalParameter"] = "CategoricalParameter"
    value: Any
    opt_range: list[Any]


class BooleanParameterSchema(_ParameterBase):
    """A ``BooleanParameter`` (``opt_range`` is ``[true, false]``)."""

    param_type: Literal["BooleanParameter"] = "BooleanParameter"
    value: bool | None
    opt_range: list[bool] = Field(default_factory=lambda: [True, False])


StrategyParameter = Annotated[
    IntParameterSchema
    | RealParameterSchema
    | DecimalParameterSchema
    | CategoricalParameterSchema
    | BooleanParameterSchema,
    Field(discriminator="param_type"),
]
"""A strategy parameter, discriminated by ``param_type``."""


class StrategyResponse(BaseModel):
    """``GET /strategy/{name}``: ``code`` is the full source of the strategy file."""

    strategy: str
    timeframe: str | None
    params: list[StrategyParameter] = Field(default_factory=list)
    code: str
