"""NaN-safe encoding and the date flavours of the wire."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from tradewind.schemas import dates
from tradewind.schemas.json import NanSafeJSONResponse, dumps, finite_or_none, loads


class _Color(StrEnum):
    RED = "red"


class _Model(BaseModel):
    ratio: float
    maybe: float | None = None


def test_dumps_maps_nan_and_infinities_to_null() -> None:
    assert dumps({"a": math.nan, "b": math.inf, "c": -math.inf, "d": 1.5}) == (
        b'{"a":null,"b":null,"c":null,"d":1.5}'
    )


def test_dumps_handles_numpy_pandas_decimal_sets_models_and_enums() -> None:
    payload: dict[str, Any] = {
        "np_nan": np.float64("nan"),
        "np_int": np.int64(3),
        "array": np.array([1.0, np.nan]),
        "ts": pd.Timestamp("2026-01-01 00:00:00", tz="UTC"),
        "nat": pd.NaT,
        "dec": Decimal("1.25"),
        "set": {1},
        "model": _Model(ratio=math.inf),
        "enum": _Color.RED,
        "tuple": (1, 2),
    }

    assert loads(dumps(payload)) == {
        "np_nan": None,
        "np_int": 3,
        "array": [1.0, None],
        "ts": "2026-01-01T00:00:00+00:00",
        "nat": None,
        "dec": 1.25,
        "set": [1],
        "model": {"ratio": None, "maybe": None},
        "enum": "red",
        "tuple": [1, 2],
    }


def test_dumps_writes_websocket_datetimes_with_offset_and_naive_without() -> None:
    assert dumps([datetime(2022, 9, 8, 22, 14, 41, 457786, tzinfo=UTC), datetime(2024, 1, 1)]) == (
        b'["2022-09-08T22:14:41.457786+00:00","2024-01-01T00:00:00"]'
    )


def test_dumps_refuses_unknown_objects() -> None:
    with pytest.raises(TypeError):
        dumps(object())


def test_finite_or_none() -> None:
    assert finite_or_none(math.nan) is None
    assert finite_or_none(None) is None
    assert finite_or_none(2.0) == 2.0


def test_response_class_renders_non_finite_floats_of_models_and_raw_dicts_as_null() -> None:
    app = FastAPI(default_response_class=NanSafeJSONResponse)

    @app.get("/model", response_model=_Model)
    def model() -> _Model:
        return _Model(ratio=math.nan, maybe=-math.inf)

    @app.get("/raw")
    def raw() -> Any:
        return {"profit_factor": math.inf, "rows": [[math.nan, 1]]}

    client = TestClient(app)

    assert client.get("/model").text == '{"ratio":null,"maybe":null}'
    raw_response = client.get("/raw")
    assert raw_response.text == '{"profit_factor":null,"rows":[[null,1]]}'
    assert raw_response.headers["content-type"] == "application/json"


MOMENT = datetime(2026, 11, 25, 1, 34, 15, 123456, tzinfo=UTC)


def test_the_five_date_flavours() -> None:
    assert dates.naive_text(MOMENT) == "2026-11-25 01:34:15"
    assert dates.epoch_ms(MOMENT) == 1795570455123
    assert dates.epoch_s(MOMENT) == 1795570455
    assert dates.iso_z(MOMENT.replace(microsecond=0)) == "2026-11-25T01:34:15Z"
    assert dates.iso_naive(MOMENT.replace(microsecond=0)) == "2026-11-25T01:34:15"
    assert dates.offset_text(MOMENT) == "2026-11-25 01:34:15+00:00"
    assert dates.day_text(MOMENT) == "2026-11-25"
    assert dates.day_text(date(2026, 1, 5)) == "2026-01-05"


def test_websocket_iso_keeps_microseconds_only_when_non_zero() -> None:
    assert dates.iso_offset(MOMENT) == "2026-11-25T01:34:15.123456+00:00"
    assert dates.iso_offset(MOMENT.replace(microsecond=0)) == "2026-11-25T01:34:15+00:00"


def test_other_timezones_are_converted_and_naive_values_are_utc() -> None:
    cet = MOMENT.astimezone(timezone(timedelta(hours=1)))
    naive = MOMENT.replace(tzinfo=None)

    assert dates.naive_text(cet) == "2026-11-25 01:34:15"
    assert dates.epoch_ms(naive) == dates.epoch_ms(MOMENT)
    assert dates.from_epoch_ms(1795570455123) == MOMENT.replace(microsecond=123000)
