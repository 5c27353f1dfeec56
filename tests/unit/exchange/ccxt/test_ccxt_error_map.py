"""ccxt's exceptions become tradewind's, most specific class first."""

from __future__ import annotations

import ccxt
import pytest

from tradewind.errors import (
    ConfigError,
    ExchangeError,
    ExchangeUnavailable,
    InsufficientFunds,
    OrderNotFound,
    OrderRejected,
    PairNotTradable,
    RateLimited,
)
from tradewind.exchange.ccxt.error_map import retry_after_seconds, translate


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        (ccxt.NetworkError, ExchangeUnavailable),
        (ccxt.RequestTimeout, ExchangeUnavailable),
        (ccxt.ExchangeNotAvailable, ExchangeUnavailable),
        (ccxt.OnMaintenance, ExchangeUnavailable),
        (ccxt.OperationFailed, ExchangeUnavailable),
        (ccxt.DDoSProtection, RateLimited),
        (ccxt.RateLimitExceeded, RateLimited),
        (ccxt.InsufficientFunds, InsufficientFunds),
        (ccxt.InvalidOrder, OrderRejected),
        (ccxt.DuplicateOrderId, OrderRejected),
        (ccxt.OrderNotFound, OrderNotFound),
        (ccxt.BadSymbol, PairNotTradable),
        (ccxt.AuthenticationError, ConfigError),
        (ccxt.PermissionDenied, ConfigError),
        (ccxt.BadRequest, ExchangeError),
        (ccxt.NotSupported, ExchangeError),
    ],
)
def test_each_ccxt_error_maps_to_the_branch_that_tells_the_caller_what_to_do(
    raised: type[Exception], expected: type[Exception]
) -> None:
    translated = translate(raised('binance {"code": -1}'), "binance")
    assert type(translated) is expected
    assert "binance" in str(translated)


def test_order_not_found_wins_over_its_invalid_order_parent() -> None:
    assert type(translate(ccxt.OrderNotFound("gone"), "binance")) is OrderNotFound


def test_authentication_errors_name_the_config_keys() -> None:
    message = str(translate(ccxt.AuthenticationError("Invalid API-key"), "binance"))
    assert "exchange.key" in message and "binance" in message


def test_unknown_exceptions_become_plain_exchange_errors() -> None:
    translated = translate(RuntimeError("odd"), "binance")
    assert type(translated) is ExchangeError
    assert "RuntimeError" in str(translated)


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": "3"}, 3.0),
        ({"retry-after": "0.5"}, 0.5),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}, None),
        ({}, None),
        (None, None),
    ],
)
def test_retry_after_is_read_case_insensitively(
    headers: dict[str, str] | None, seconds: float | None
) -> None:
    assert retry_after_seconds(headers) == seconds
