import asyncio
from dataclasses import replace
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from tests.unit.services.builders import NOW, closed_trade, open_trade, store, use_rates
from tests.unit.services.conftest import BotFactory
from tradewind.domain.enums import BotState
from tradewind.errors import InvalidRequest, NotFound, WrongState
from tradewind.persistence.repositories import CustomDataRepository, TradeRepository
from tradewind.schemas.json import dumps, loads
from tradewind.services.trades import EncodedClosedTrades, TradeService

DAY = timedelta(days=1)


def page_of(service: TradeService, limit: int = 500, offset: int = 0, **kwargs: Any) -> Any:
    """A `/trades` page as a client reads it (the service hands out encoded trades)."""
    return loads(dumps(service.trades(limit, offset, **kwargs)))


def test_status_is_empty_without_open_trades(bot: BotFactory) -> None:
    app = bot()
    assert asyncio.run(TradeService(app.context()).status()) == []


def test_status_lists_open_trades_by_id_at_the_current_exit_rate(bot: BotFactory) -> None:
    app = bot()
    store(
        app,
        open_trade("LTC/BTC", "0.01", opened=NOW - DAY),
        open_trade("ETH/BTC", "0.05", amount="2", opened=NOW - 2 * DAY),
        closed_trade("ETH/BTC", "0.05", "0.06", opened=NOW - 3 * DAY),
    )
    use_rates(app, {"ETH/BTC": 0.055})  # no LTC/BTC rate: its pricing fails
    views = asyncio.run(TradeService(app.context()).status())
    assert [v.pair for v in views] == ["LTC/BTC", "ETH/BTC"]
    assert [v.trade_id for v in views] == sorted(v.trade_id for v in views)
    ltc, eth = views
    assert ltc.current_rate is None and ltc.profit_abs is None
    # 2 × 0.055 × 0.999 − 2 × 0.05 × 1.001
    assert eth.current_rate == 0.055
    assert eth.profit_abs == round(0.10989 - 0.1001, 8)
    assert eth.close_profit is None


def test_trade_pages_deliver_exactly_total_trades(bot: BotFactory) -> None:
    app = bot()
    closed = [
        closed_trade("ETH/BTC", "0.05", "0.051", opened=NOW - (10 - i) * DAY, hours=30 - 3 * i)
        for i in range(7)
    ]
    store(app, *closed, open_trade("LTC/BTC", "0.01", opened=NOW - DAY))
    service = TradeService(app.context())
    seen: list[int] = []
    offset = 0
    while True:
        page = page_of(service, limit=3, offset=offset)
        assert list(page) == ["trades", "trades_count", "offset", "total_trades"]
        assert page["offset"] == offset and page["total_trades"] == 7
        assert page["trades_count"] == len(page["trades"])
        seen += [t["trade_id"] for t in page["trades"]]
        offset += page["trades_count"]
        if offset >= page["total_trades"] or not page["trades_count"]:
            break
    assert seen == sorted(t.id for t in closed)
    assert all(not t["is_open"] for t in page_of(service)["trades"])
    newest_first = page_of(service, order_by_id=False)["trades"]
    closes = [t["close_timestamp"] for t in newest_first]
    assert closes == sorted(closes, reverse=True)
    assert page_of(service, limit=5, offset=10) == {
        "trades": [],
        "trades_count": 0,
        "offset": 10,
        "total_trades": 7,
    }


def test_one_trade_open_closed_or_unknown(bot: BotFactory) -> None:
    app = bot()
    still_open, done = store(
        app,
        open_trade("ETH/BTC", "0.05", opened=NOW - DAY),
        closed_trade("LTC/BTC", "0.01", "0.012", opened=NOW - 2 * DAY),
    )
    use_rates(app, {"ETH/BTC": 0.05})
    service = TradeService(app.context())
    assert asyncio.run(service.trade(still_open.id or 0)).current_rate == 0.05
    closed_view = asyncio.run(service.trade(done.id or 0))
    assert not closed_view.is_open and closed_view.current_rate == 0.012
    with pytest.raises(NotFound, match=r"^Trade not found\.$"):
        asyncio.run(service.trade(99))


def test_delete_trade_removes_it_and_reports_the_spec_message(bot: BotFactory) -> None:
    app = bot()
    (done,) = store(app, closed_trade("LTC/BTC", "0.01", "0.012", opened=NOW - DAY))
    service = TradeService(app.context())
    with pytest.raises(InvalidRequest, match=r"^Trade with id '99' not found\.$"):
        asyncio.run(service.delete_trade(99))
    revision = app.engine.closed_revision
    answer = asyncio.run(service.delete_trade(done.id or 0))
    assert answer.model_dump() == {
        "cancel_order_count": 0,
        "result": "success",
        "result_msg": f"Deleted trade #{done.id} for pair LTC/BTC. Closed 0 open orders.",
        "trade_id": done.id,
    }
    assert app.engine.closed_revision > revision
    assert page_of(service)["total_trades"] == 0


def test_cancel_open_order_errors_follow_the_spec(bot: BotFactory) -> None:
    app = bot()
    filled, waiting = store(
        app,
        open_trade("ETH/BTC", "0.05", opened=NOW - DAY),
        open_trade("LTC/BTC", "0.01", opened=NOW - DAY, filled=False),
    )
    asyncio.run(app.exchange.load_markets())
    service = TradeService(app.context())
    with pytest.raises(InvalidRequest, match=r"^Invalid trade_id\.$"):
        asyncio.run(service.cancel_open_order(99))
    with pytest.raises(InvalidRequest, match=r"^No open order for trade_id\.$"):
        asyncio.run(service.cancel_open_order(filled.id or 0))
    # the only entry never filled: cancelling it removes the trade
    with pytest.raises(InvalidRequest, match=r"^no active trade$"):
        asyncio.run(service.cancel_open_order(waiting.id or 0))
    assert [t.id for t in app.engine.open_trades] == [filled.id]
    app.engine.state = BotState.STOPPED
    with pytest.raises(WrongState, match=r"^trader is not running$"):
        asyncio.run(service.cancel_open_order(filled.id or 0))


def test_reload_returns_the_trade_and_refuses_unknown_ids(bot: BotFactory) -> None:
    app = bot()
    (trade,) = store(app, open_trade("ETH/BTC", "0.05", opened=NOW - DAY))
    use_rates(app, {"ETH/BTC": 0.06})
    service = TradeService(app.context())
    view = asyncio.run(service.reload_trade(trade.id or 0))
    assert view.trade_id == trade.id and view.current_rate == 0.06
    with pytest.raises(InvalidRequest, match=r"^Could not find trade with id 5\.$"):
        asyncio.run(service.reload_trade(5))


def test_custom_data_answers_and_404_texts(bot: BotFactory) -> None:
    app = bot()
    first, second, done = store(
        app,
        open_trade("ETH/BTC", "0.05", opened=NOW - DAY),
        open_trade("LTC/BTC", "0.01", opened=NOW - DAY),
        closed_trade("XRP/BTC", "0.001", "0.0011", opened=NOW - 2 * DAY),
    )
    service = TradeService(app.context())
    with pytest.raises(NotFound, match=r"^No custom-data found for any open trades\.$"):
        service.open_custom_data()
    with app.db.transaction() as session:
        CustomDataRepository(session).set(second.id or 0, "level", 3, NOW)
        CustomDataRepository(session).set(done.id or 0, "note", {"a": 1}, NOW)
    [entry] = service.custom_data(done.id or 0)
    assert entry.trade_id == done.id
    assert [(c.key, c.type, c.value) for c in entry.custom_data] == [("note", "dict", {"a": 1})]
    assert entry.custom_data[0].created_at == NOW
    with pytest.raises(NotFound, match=rf"^No custom-data found for Trade ID: {first.id}\.$"):
        service.custom_data(first.id or 0)
    with pytest.raises(
        NotFound, match=rf"^No custom-data with key 'x' found for Trade ID: {done.id}\.$"
    ):
        service.custom_data(done.id or 0, "x")
    with pytest.raises(NotFound, match=r"^No trade found for trade_id: 42$"):
        service.custom_data(42)
    assert [d.trade_id for d in service.open_custom_data()] == [second.id]
    assert [d.trade_id for d in service.open_custom_data(key="level", limit=1, offset=1)] == [
        second.id
    ]
    with pytest.raises(NotFound, match=r"^No custom-data found for any open trades\.$"):
        service.open_custom_data(limit=1, offset=0)


def test_open_custom_data_without_open_trades(bot: BotFactory) -> None:
    app = bot()
    with pytest.raises(NotFound, match=r"^No open trades found\.$"):
        TradeService(app.context()).open_custom_data()


def test_count_reports_slots_and_position_value(bot: BotFactory) -> None:
    app = bot()
    store(
        app,
        open_trade("ETH/BTC", "0.05", amount="2", opened=NOW - DAY),
        open_trade("LTC/BTC", "0.01", amount="3", opened=NOW - DAY),
    )
    service = TradeService(app.context())
    count = service.count()
    assert (count.current, count.max) == (2, 5)
    assert count.total_stake == pytest.approx(0.13)
    app.engine.state = BotState.STOPPED
    with pytest.raises(WrongState, match=r"^trader is not running$"):
        service.count()


def test_count_reports_unlimited_slots_as_minus_one(bot: BotFactory) -> None:
    app = bot(max_open_trades=-1, stake_amount=0.05)
    assert TradeService(app.context()).count().max == -1


def test_closed_trades_are_encoded_once_and_pages_stay_exact(
    bot: BotFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = bot()
    first = store(
        app,
        *(closed_trade("ETH/BTC", "0.05", "0.051", opened=NOW - (9 - i) * DAY) for i in range(4)),
    )
    fresh = page_of(TradeService(replace(app.context(), cache={})))  # no memo at all
    service = TradeService(app.context())
    loaded: list[list[int]] = []
    by_ids = TradeRepository.by_ids
    monkeypatch.setattr(
        TradeRepository, "by_ids", lambda repo, ids: loaded.append(list(ids)) or by_ids(repo, ids)
    )

    def page(limit: int = 500, offset: int = 0) -> tuple[Any, list[int]]:
        """The page, and the trades it had to load and encode."""
        body = page_of(service, limit, offset)
        return body, loaded[-1]

    assert page() == (fresh, [t.id for t in first])
    assert page(limit=2, offset=1) == (
        {**fresh, "trades": fresh["trades"][1:3], "trades_count": 2, "offset": 1},
        [],
    )
    (later,) = store(app, closed_trade("LTC/BTC", "0.01", "0.012", opened=NOW - DAY))
    body, encoded = page()
    assert encoded == [later.id]  # only the trade that closed since
    assert body == page_of(TradeService(replace(app.context(), cache={})))
    asyncio.run(service.delete_trade(first[0].id or 0))
    body, encoded = page()
    assert len(encoded) == 4 and body["total_trades"] == 4  # an edit: all encoded anew
    assert body == page_of(TradeService(replace(app.context(), cache={})))
    asyncio.run(service.reload_trade(first[1].id or 0))
    assert len(page()[1]) == 4


def test_the_encoded_trades_kept_are_bounded() -> None:
    encoded = EncodedClosedTrades(key=(None, 0), size=3)
    trades = {i: SimpleNamespace(id=i) for i in range(1, 6)}
    with patch("tradewind.services.trades.raw_trade", lambda trade, ctx: {"id": trade.id}):
        rows = encoded.page([1, 2, 3, 4, 5], lambda ids: [trades[i] for i in ids], ctx=None)  # type: ignore[arg-type]
        assert [loads(bytes(dumps(row))) for row in rows] == [{"id": i} for i in range(1, 6)]
        asked: list[int] = []
        encoded.page([3, 1], lambda ids: asked.extend(ids) or [trades[i] for i in ids], None)  # type: ignore[arg-type]
    assert asked == [1]  # 1 and 2 were dropped as least recently used; 3 was kept
