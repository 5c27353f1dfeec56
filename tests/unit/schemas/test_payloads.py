"""Request bodies: lax numbers, enums, lock times with a timezone, null bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import TypeAdapter, ValidationError

from tradewind.domain.enums import OrderType, SignalDirection
from tradewind.schemas.candles import PairCandlesRequest, PairHistoryRequest
from tradewind.schemas.control import (
    ForceEnterPayload,
    ForceEnterResponse,
    ForceExitPayload,
    StatusMsg,
)
from tradewind.schemas.json import NanSafeJSONResponse
from tradewind.schemas.pairs import BlacklistPayload, DeleteLockRequest, LocksPayload
from tradewind.schemas.trades import OpenTradeSchema

from .examples import SPEC_OPEN_TRADE_EXAMPLE

LOCKS = TypeAdapter(LocksPayload)


def test_force_enter_accepts_numeric_strings_as_freqtrade_client_sends_them() -> None:
    payload = ForceEnterPayload.model_validate(
        {"pair": "ETH/USDT", "price": "2000", "stakeamount": "100", "leverage": "2"}
    )

    assert payload.price == 2000.0
    assert payload.stakeamount == 100.0
    assert payload.leverage == 2.0


def test_force_enter_defaults_to_long_and_leaves_the_rest_to_the_bot() -> None:
    payload = ForceEnterPayload.model_validate({"pair": "ETH/USDT", "unknown": 1})

    assert payload.side is SignalDirection.LONG
    assert (payload.price, payload.ordertype, payload.stakeamount) == (None, None, None)
    assert (payload.entry_tag, payload.leverage) == (None, None)


def test_force_enter_refuses_an_unknown_side_or_order_type() -> None:
    with pytest.raises(ValidationError) as side_error:
        ForceEnterPayload.model_validate({"pair": "ETH/USDT", "side": "sideways"})
    with pytest.raises(ValidationError):
        ForceEnterPayload.model_validate({"pair": "ETH/USDT", "ordertype": "stop"})

    assert side_error.value.errors()[0]["loc"] == ("side",)


def test_force_enter_accepts_short_market() -> None:
    payload = ForceEnterPayload.model_validate(
        {"pair": "ETH/USDT:USDT", "side": "short", "ordertype": "market"}
    )

    assert payload.side is SignalDirection.SHORT
    assert payload.ordertype is OrderType.MARKET


@pytest.mark.parametrize(
    ("tradeid", "trade_id", "exits_all"), [(3, 3, False), ("3", 3, False), ("all", None, True)]
)
def test_force_exit_trade_id_may_be_int_digits_or_all(
    tradeid: object, trade_id: int | None, exits_all: bool
) -> None:
    payload = ForceExitPayload.model_validate({"tradeid": tradeid, "amount": "0.5"})

    assert payload.trade_id == trade_id
    assert payload.exits_all is exits_all
    assert payload.amount == 0.5


def test_force_exit_requires_a_trade_id() -> None:
    with pytest.raises(ValidationError):
        ForceExitPayload.model_validate({"ordertype": "limit"})


@pytest.mark.parametrize("until", ["2030-01-01T00:00:00Z", "2024-03-30 16:00:00Z"])
def test_lock_until_with_a_timezone_is_accepted(until: str) -> None:
    locks = LOCKS.validate_python([{"pair": "ETH/USDT", "until": until}])

    assert locks[0].until.tzinfo is not None
    assert locks[0].side == "*"
    assert locks[0].reason is None


def test_lock_until_without_a_timezone_is_refused_as_timezone_aware() -> None:
    with pytest.raises(ValidationError) as error:
        LOCKS.validate_python([{"pair": "ETH/USDT", "until": "2030-01-01T00:00:00"}])

    assert error.value.errors()[0]["type"] == "timezone_aware"


def test_pair_history_request_refuses_base64_strategies_and_drops_literal_none() -> None:
    request = PairHistoryRequest(
        pair="ETH/USDT", timeframe="5m", timerange="20240101-", freqaimodel="None"
    )
    assert request.freqaimodel is None
    assert request.live_mode is False

    with pytest.raises(ValidationError, match="base64 encoded strategies are not allowed"):
        PairHistoryRequest(pair="A/B", timeframe="5m", timerange="", strategy="x:eyJ9")


def _app() -> FastAPI:
    app = FastAPI(default_response_class=NanSafeJSONResponse)

    @app.post("/forceenter", response_model=ForceEnterResponse)
    def forceenter(payload: ForceEnterPayload) -> Any:
        if payload.pair == "NONE/USDT":
            return StatusMsg(status=f"Error entering {payload.side} trade for pair NONE/USDT.")
        return OpenTradeSchema.model_validate_json(SPEC_OPEN_TRADE_EXAMPLE)

    @app.post("/locks")
    def add_locks(payload: LocksPayload) -> dict[str, Any]:
        return {"pairs": [lock.pair for lock in payload]}

    @app.post("/start")
    def start() -> StatusMsg:
        return StatusMsg(status="starting trader ...")

    @app.get("/count")
    def count() -> dict[str, int]:
        return {"current": 0}

    @app.post("/locks/delete")
    def delete_locks(payload: DeleteLockRequest | None = None) -> dict[str, Any]:
        return {"payload": None if payload is None else payload.model_dump()}

    @app.post("/blacklist")
    def blacklist(payload: BlacklistPayload) -> dict[str, Any]:
        return {"blacklist": payload.blacklist}

    @app.post("/pair_candles")
    def pair_candles(payload: PairCandlesRequest) -> dict[str, Any]:
        return payload.model_dump()

    return app


JSON_HEADERS = {"Content-Type": "application/json"}


def test_routes_without_a_body_accept_the_json_null_freqtrade_client_sends() -> None:
    client = TestClient(_app())

    started = client.post("/start", content=b"null", headers=JSON_HEADERS)
    counted = client.request("GET", "/count", content=b"null", headers=JSON_HEADERS)

    assert started.json() == {"status": "starting trader ..."}
    assert counted.json() == {"current": 0}


def test_an_optional_body_may_be_null() -> None:
    response = TestClient(_app()).post("/locks/delete", content=b"null", headers=JSON_HEADERS)

    assert response.json() == {"payload": None}


def test_lock_array_body_through_fastapi_and_naive_time_gives_422() -> None:
    client = TestClient(_app())
    good = client.post("/locks", json=[{"pair": "ETH/USDT", "until": "2030-01-01T00:00:00Z"}])
    bad = client.post("/locks", json=[{"pair": "ETH/USDT", "until": "2030-01-01T00:00:00"}])

    assert good.json() == {"pairs": ["ETH/USDT"]}
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["type"] == "timezone_aware"
    assert bad.json()["detail"][0]["loc"] == ["body", 0, "until"]


def test_force_enter_response_is_the_status_message_when_no_trade_exists() -> None:
    response = TestClient(_app()).post("/forceenter", json={"pair": "NONE/USDT"})

    assert response.json() == {"status": "Error entering long trade for pair NONE/USDT."}


def test_force_enter_response_is_the_trade_in_model_form() -> None:
    response = TestClient(_app()).post("/forceenter", json={"pair": "XRP/USDT", "price": "0.5"})

    body = response.json()
    assert body["trade_id"] == 3
    assert list(body)[-1] == "precision_mode"
    assert "current_rate" not in body


def test_force_enter_missing_pair_is_the_spec_422_shape() -> None:
    response = TestClient(_app()).post("/forceenter", json={})

    assert response.status_code == 422
    assert response.json()["detail"][0] | {"url": None} == {
        "type": "missing",
        "loc": ["body", "pair"],
        "msg": "Field required",
        "input": {},
        "url": None,
    }


def test_lock_payload_keeps_the_instant() -> None:
    lock = LOCKS.validate_python([{"pair": "*", "until": "2030-01-01T01:00:00+01:00"}])[0]

    assert lock.until == datetime(2030, 1, 1, tzinfo=UTC)
