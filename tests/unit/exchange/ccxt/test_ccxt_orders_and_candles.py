"""Order parsing (status, fees, fallbacks) and candle pagination against scripted pages."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from tradewind.domain.enums import OrderStatus
from tradewind.exchange.ccxt.candles import candle_frame, fetch_candles
from tradewind.exchange.ccxt.orders import order_fee, to_update, total_fee, trades_fee

NOW = datetime(2024, 1, 1, 12, 0, 30, tzinfo=UTC)
FIVE_MS = 300_000


def ccxt_order(**overrides: Any) -> dict[str, Any]:
    order: dict[str, Any] = {
        "id": "42", "clientOrderId": "tw1", "symbol": "ETH/BTC", "side": "buy", "type": "limit",
        "status": "closed", "amount": 2.0, "filled": 2.0, "price": 0.05, "average": 0.05,
        "cost": 0.1, "fee": None, "fees": [], "timestamp": 1704110400000,
        "lastTradeTimestamp": 1704110460000,
    }  # fmt: skip
    order.update(overrides)
    return order


def test_a_closed_order_maps_with_exact_decimals_and_times() -> None:
    fee = order_fee(ccxt_order(fees=[{"cost": 0.0001, "currency": "BTC"}]))
    update = to_update(ccxt_order(), pair="ETH/BTC", requested=None, now=NOW, fee=fee)
    assert update.status == OrderStatus.CLOSED
    assert (update.amount, update.filled, update.cost) == (Decimal(2), Decimal(2), Decimal("0.1"))
    assert (update.fee_cost, update.fee_currency) == (Decimal("0.0001"), "BTC")
    assert update.fill_timestamp == datetime(2024, 1, 1, 12, 1, tzinfo=UTC)


def test_statuses_map_onto_tradewinds() -> None:
    for ccxt_status, ours in [("open", OrderStatus.OPEN), ("canceling", OrderStatus.OPEN),
                              ("canceled", OrderStatus.CANCELED), ("expired", OrderStatus.EXPIRED),
                              ("rejected", OrderStatus.REJECTED)]:  # fmt: skip
        raw = ccxt_order(status=ccxt_status)
        assert to_update(raw, pair="ETH/BTC", requested=None, now=NOW, fee=None).status == ours


def test_missing_amount_cost_and_average_are_derived() -> None:
    raw = ccxt_order(amount=None, cost=None, average=None, filled=1.0, price=0.05, status="open")
    update = to_update(raw, pair="ETH/BTC", requested=Decimal(3), now=NOW, fee=None)
    assert update.amount == Decimal(3)
    assert update.cost == Decimal(0) and update.average is None
    raw = ccxt_order(average=None, cost=0.049, filled=1.0)
    assert to_update(raw, pair="ETH/BTC", requested=None, now=NOW, fee=None).average == Decimal(
        "0.049"
    )


def test_fees_in_one_currency_are_summed_and_a_base_fee_keeps_its_currency() -> None:
    fees = [{"cost": 0.001, "currency": "ETH"}, {"cost": 0.002, "currency": "ETH"}]
    fee = total_fee(fees)
    assert fee is not None and (fee.cost, fee.currency) == (Decimal("0.003"), "ETH")
    assert trades_fee([{"fee": f} for f in fees]).cost == Decimal("0.003")
    assert order_fee(ccxt_order(fee=None, fees=[])) is None
    assert trades_fee([]).cost == 0


def test_mixed_fee_currencies_book_the_first() -> None:
    fee = total_fee([{"cost": 0.5, "currency": "BNB"}, {"cost": 0.001, "currency": "BTC"}])
    assert fee is not None and (fee.cost, fee.currency) == (Decimal("0.5"), "BNB")


class ScriptedPages:
    """A fake ccxt fetch_ohlcv over a 5m grid: at most `cap` rows per call, up to `now`."""

    def __init__(self, first_ms: int, now_ms: int, cap: int) -> None:
        self.first_ms, self.now_ms, self.cap = first_ms, now_ms, cap
        self.calls: list[tuple[int | None, int]] = []

    async def __call__(self, since: int | None, limit: int) -> list[list[Any]]:
        self.calls.append((since, limit))
        newest = self.now_ms // FIVE_MS * FIVE_MS
        limit = min(limit, self.cap)
        if since is None:
            start = newest - (limit - 1) * FIVE_MS
        else:
            start = max(-(-since // FIVE_MS) * FIVE_MS, self.first_ms)
        opens = range(start, min(newest, start + (limit - 1) * FIVE_MS) + 1, FIVE_MS)
        return [[t, 1.0, 2.0, 0.5, 1.5, 10.0] for t in opens]


def test_pagination_walks_forward_until_the_forming_candle() -> None:
    first = int(datetime(2024, 1, 1, tzinfo=UTC).timestamp() * 1000)
    pages = ScriptedPages(first, int(NOW.timestamp() * 1000), cap=50)
    since = NOW - timedelta(minutes=5 * 130)
    frame = asyncio.run(fetch_candles(pages, "5m", since=since, limit=None, per_call=50, now=NOW))
    assert len(frame) == 130 and frame["date"].is_unique and frame["date"].is_monotonic_increasing
    assert len(pages.calls) == 3
    assert str(frame["date"].dtype) == "datetime64[us, UTC]"


def test_more_than_one_page_of_latest_candles_starts_from_the_computed_since() -> None:
    pages = ScriptedPages(0, int(NOW.timestamp() * 1000), cap=50)
    frame = asyncio.run(fetch_candles(pages, "5m", since=None, limit=120, per_call=50, now=NOW))
    assert len(frame) == 120
    assert frame["date"].iloc[-1] == datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert [limit for _, limit in pages.calls] == [50, 50, 20]


def test_a_page_that_brings_nothing_new_ends_the_loop() -> None:
    async def stuck(since: int | None, limit: int) -> list[list[Any]]:
        return [[0, 1, 1, 1, 1, 1]]

    frame = asyncio.run(fetch_candles(stuck, "5m", since=NOW - timedelta(days=1), limit=None,
                                      per_call=10, now=NOW))  # fmt: skip
    assert frame.empty


def test_repeated_candles_keep_the_last_answer() -> None:
    frame = candle_frame([[0, 1, 1, 1, 1, 1], [0, 2, 2, 2, 2, 2], [300000, 3, 3, 3, 3, None]])
    assert frame["open"].tolist() == [2.0, 3.0]
    assert frame["volume"].isna().tolist() == [False, True]
