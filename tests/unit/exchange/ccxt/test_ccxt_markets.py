"""Market mapping in every ccxt precision mode, and order rounding and minimums."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from tradewind.errors import OrderRejected
from tradewind.exchange.ccxt.markets import (
    DECIMAL_PLACES,
    SIGNIFICANT_DIGITS,
    TICK_SIZE,
    precision_step,
    spot_markets,
    to_market,
    to_ticker,
)
from tradewind.exchange.ccxt.order_rules import (
    check_minimums,
    checked_kind,
    order_steps,
    rounded_order,
)


def raw_market(**overrides: Any) -> dict[str, Any]:
    market: dict[str, Any] = {
        "symbol": "ETH/BTC", "base": "ETH", "quote": "BTC", "spot": True, "active": True,
        "precision": {"amount": 0.0001, "price": 1e-06},
        "limits": {"amount": {"min": 0.001, "max": None}, "cost": {"min": 0.0001}},
        "maker": 0.001, "taker": 0.001,
    }  # fmt: skip
    market.update(overrides)
    return market


def test_tick_size_precision_is_the_step_itself() -> None:
    market = to_market(raw_market(), TICK_SIZE)
    assert market.amount_step == Decimal("0.0001")
    assert market.price_step == Decimal("0.000001")
    assert market.min_amount == Decimal("0.001")
    assert market.min_cost == Decimal("0.0001")
    assert market.taker_fee == market.maker_fee == Decimal("0.001")


def test_decimal_places_precision_becomes_a_step() -> None:
    market = to_market(raw_market(precision={"amount": 4, "price": 6}), DECIMAL_PLACES)
    assert market.amount_step == Decimal("0.0001")
    assert market.price_step == Decimal("0.000001")


def test_significant_digits_have_no_fixed_step_and_resolve_per_order() -> None:
    raw = raw_market(precision={"amount": 3, "price": 5})
    market = to_market(raw, SIGNIFICANT_DIGITS)
    assert market.amount_step is None and market.price_step is None
    steps = order_steps(market, raw, SIGNIFICANT_DIGITS, Decimal("12.3456"), Decimal("0.0912345"))
    assert steps == (Decimal("0.1"), Decimal("0.000001"))  # 3 and 5 significant digits
    assert rounded_order(Decimal("12.3456"), Decimal("0.0912351"), steps) == (
        Decimal("12.3"), Decimal("0.091235"),
    )  # fmt: skip


def test_config_fee_overrides_the_market_fees() -> None:
    market = to_market(raw_market(maker=0.0002, taker=0.0004), TICK_SIZE, Decimal("0.0015"))
    assert market.maker_fee == market.taker_fee == Decimal("0.0015")


def test_unknown_activity_counts_as_active_and_missing_limits_as_none() -> None:
    market = to_market(raw_market(active=None, limits={}), TICK_SIZE)
    assert market.active
    assert market.min_amount is None and market.min_cost is None


def test_only_spot_markets_are_kept() -> None:
    raw = {"ETH/BTC": raw_market(), "ETH/BTC:BTC": raw_market(symbol="ETH/BTC:BTC", spot=False)}
    assert list(spot_markets(raw, TICK_SIZE)) == ["ETH/BTC"]


@pytest.mark.parametrize("value", [None, "x", -1, 0])
def test_unusable_precision_gives_no_step(value: Any) -> None:
    assert precision_step(value, TICK_SIZE) is None


def test_amounts_round_down_and_prices_to_the_nearest_tick() -> None:
    market = to_market(raw_market(), TICK_SIZE)
    steps = (market.amount_step, market.price_step)
    assert rounded_order(Decimal("0.123456"), Decimal("0.0912346"), steps) == (
        Decimal("0.1234"), Decimal("0.091235"),
    )  # fmt: skip


def test_below_minimum_amount_is_refused_naming_pair_amount_and_minimum() -> None:
    market = to_market(raw_market(), TICK_SIZE)
    with pytest.raises(OrderRejected) as caught:
        check_minimums(market, Decimal("0.0005"), Decimal("0.09"))
    message = str(caught.value)
    assert "ETH/BTC" in message and "0.0005" in message and "minimum amount 0.001" in message


def test_below_minimum_cost_is_refused_naming_the_cost_minimum() -> None:
    market = to_market(raw_market(limits={"cost": {"min": 0.001}}), TICK_SIZE)
    with pytest.raises(OrderRejected, match=r"ETH/BTC: order cost .* below the minimum cost 0.001"):
        check_minimums(market, Decimal("0.01"), Decimal("0.09"))


def test_an_amount_that_rounds_to_zero_is_refused() -> None:
    market = to_market(raw_market(), TICK_SIZE)
    with pytest.raises(OrderRejected, match="rounds to 0"):
        check_minimums(market, Decimal(0), Decimal("0.09"))


@pytest.mark.parametrize(
    ("side", "kind", "price", "message"),
    [("hold", "limit", Decimal(1), "unknown order side"), ("buy", "stop", None, "unsupported"),
     ("buy", "limit", None, "needs a positive price")],
)  # fmt: skip
def test_malformed_orders_are_refused(
    side: str, kind: str, price: Decimal | None, message: str
) -> None:
    with pytest.raises(OrderRejected, match=message):
        checked_kind("ETH/BTC", side, kind, price)


def test_a_ticker_without_a_side_falls_back_to_the_last_price() -> None:
    now = datetime(2024, 1, 1, tzinfo=UTC)
    ticker = to_ticker("ETH/BTC", {"last": 0.09, "bid": None, "ask": 0.0901}, now=now)
    assert (ticker.bid, ticker.ask, ticker.last) == (0.09, 0.0901, 0.09)
    assert ticker.timestamp == now
