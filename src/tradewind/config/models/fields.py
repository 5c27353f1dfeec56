"""Validated field types whose error messages say what was expected.

Each validator raises a `PydanticCustomError` of type `INVALID` whose message is the expectation
("must be an integer >= -1"); the problem reporter appends the offending value ("(got "three")"),
masked when the key is a secret. Validators never echo the input themselves.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

INVALID = "tw_invalid"
"""Error type of a value that does not match its expectation; the reporter adds "(got …)"."""


def invalid(expected: str) -> PydanticCustomError:
    """The error for a value that is not what `expected` says ("must be …")."""
    # No brace escaping: pydantic-core fills only `{name}` placeholders that have a context
    # value and never unescapes `{{`, so escaping showed users `{{"USDT": 1000}}`.
    return PydanticCustomError(INVALID, expected)


def _number_text(value: float) -> str:
    return str(int(value)) if isinstance(value, int) else repr(value)


def range_text(
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> str:
    """ " between 0 and 1", " >= -1", " > 0 and <= 0.1" or "" for no bound."""
    if ge is not None and le is not None:
        return f" between {_number_text(ge)} and {_number_text(le)}"
    parts = []
    if ge is not None:
        parts.append(f">= {_number_text(ge)}")
    if gt is not None:
        parts.append(f"> {_number_text(gt)}")
    if le is not None:
        parts.append(f"<= {_number_text(le)}")
    if lt is not None:
        parts.append(f"< {_number_text(lt)}")
    return " " + " and ".join(parts) if parts else ""


def in_range(
    value: float,
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
) -> bool:
    """True when `value` respects every given bound."""
    return not (
        (ge is not None and value < ge)
        or (le is not None and value > le)
        or (gt is not None and value <= gt)
        or (lt is not None and value >= lt)
    )


def is_number(value: object) -> bool:
    """A finite int or float (bool excluded: JSON true is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return math.isfinite(value)


def whole(ge: int | None = None, le: int | None = None) -> BeforeValidator:
    """Integer field (an integral float such as 3.0 is accepted as 3) with optional bounds."""
    expected = "must be an integer" + range_text(ge, le)

    def check(value: Any) -> int:
        if not is_number(value) or (isinstance(value, float) and not value.is_integer()):
            raise invalid(expected)
        number = int(value)
        if not in_range(number, ge, le):
            raise invalid(expected)
        return number

    return BeforeValidator(check)


def number(
    ge: float | None = None,
    le: float | None = None,
    gt: float | None = None,
    lt: float | None = None,
    *,
    keep_int: bool = False,
) -> BeforeValidator:
    """Number field with optional bounds; `keep_int` keeps 10 as int (for faithful echoing)."""
    expected = "must be a number" + range_text(ge, le, gt, lt)

    def check(value: Any) -> float | int:
        if not is_number(value) or not in_range(value, ge, le, gt, lt):
            raise invalid(expected)
        return value if keep_int else float(value)

    return BeforeValidator(check)


def _check_flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise invalid("must be true or false")
    return value


def _check_text(value: Any) -> str:
    if not isinstance(value, str):
        raise invalid("must be a string")
    return value


def _check_name(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise invalid("must be a non-empty string")
    return value


def _check_text_list(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise invalid("must be a list of strings")
    return value


def _check_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise invalid("must be an object")
    return value


def one_of(literal: Any, *, normalise: Callable[[str], str] | None = None) -> BeforeValidator:
    """Value restricted to the members of a `Literal[...]` type (optionally normalised first)."""
    options: tuple[str, ...] = get_args(literal)
    expected = "must be one of " + ", ".join(f'"{option}"' for option in options)

    def check(value: Any) -> str:
        if isinstance(value, str) and normalise is not None:
            value = normalise(value)
        if not isinstance(value, str) or value not in options:
            raise invalid(expected)
        return value

    return BeforeValidator(check)


Flag = Annotated[bool, BeforeValidator(_check_flag)]
"""Strict boolean: only JSON true/false."""

Text = Annotated[str, BeforeValidator(_check_text)]
"""Any string (possibly empty)."""

Name = Annotated[str, BeforeValidator(_check_name)]
"""A non-empty string."""

TextList = Annotated[list[str], BeforeValidator(_check_text_list)]
"""A list of strings."""

JsonObject = Annotated[dict[str, Any], BeforeValidator(_check_object)]
"""A free-form JSON object passed through untouched (e.g. ccxt options)."""

Ratio = Annotated[float, number(ge=0, le=1)]
"""A number between 0 and 1."""

Seconds = Annotated[int, whole(ge=0)]
"""A whole number of seconds, >= 0."""

Port = Annotated[int, whole(ge=0, le=65535)]
"""Any TCP port number."""

Unlimitable = Annotated[int, whole(ge=-1)]
"""An integer count where -1 means unlimited."""

PriceSide = Literal["ask", "bid", "same", "other"]
OrderKind = Literal["limit", "market"]
TimeInForce = Literal["GTC", "FOK", "IOC", "PO"]
TimeoutUnit = Literal["minutes", "seconds"]
DataFormat = Literal["json", "jsongz", "feather", "parquet"]
MarginMode = Literal["", "cross", "isolated"]
Verbosity = Literal["error", "info"]
SimulationSource = Literal["auto", "replay", "generate"]
StoplossPriceType = Literal["last", "mark", "index"]
