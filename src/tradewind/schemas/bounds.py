"""Bounds of the integers a request may hand to the database.

SQLite (and PostgreSQL ``BIGINT``) store signed 64-bit integers; Python ints are unbounded, so
``GET /trade/99999999999999999999`` used to reach the driver and end in an ``OverflowError``
(a 500). Trade ids, lock ids and page limits/offsets are declared as :data:`SqlInt` instead:
out-of-range values are refused with 422 before any query runs, and the bound is part of the
OpenAPI schema.
"""

from __future__ import annotations

from typing import Annotated, TypeAlias

from pydantic import Field

__all__ = ["SQL_INT_MAX", "SQL_INT_MIN", "SqlInt"]

SQL_INT_MIN = -(2**63)
SQL_INT_MAX = 2**63 - 1

SqlInt: TypeAlias = Annotated[int, Field(ge=SQL_INT_MIN, le=SQL_INT_MAX)]
"""An ``int`` a 64-bit database column can hold (path, query and body parameters)."""
