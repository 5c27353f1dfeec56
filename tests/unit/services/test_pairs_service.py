"""PairService: white/blacklist views and edits, locks, data on disk, markets (§7, §8, §11.3–4)."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from tests.unit.services.builders import NOW
from tests.unit.services.conftest import BotFactory
from tradewind.app import Application
from tradewind.data.ohlcv_files import write_ohlcv
from tradewind.domain.events import WhitelistChanged
from tradewind.errors import InvalidRequest
from tradewind.schemas.pairs import DeleteLockRequest, LockPayload
from tradewind.services.pairs import PairService


def started(bot: BotFactory, **overrides: object) -> tuple[Application, PairService]:
    app = bot(**overrides)
    asyncio.run(app.engine.start_up())
    return app, PairService(app.context())


def test_whitelist_and_blacklist_views(bot: BotFactory) -> None:
    _app, pairs = started(bot, pairs=["ETH/BTC", "LTC/BTC"])
    whitelist = pairs.whitelist()
    assert whitelist.whitelist == ["ETH/BTC", "LTC/BTC"] and whitelist.length == 2
    assert whitelist.method == ["StaticPairList"]
    blacklist = pairs.blacklist()
    assert (blacklist.blacklist, blacklist.errors, blacklist.length) == ([], {}, 0)


def test_blacklist_edits_publish_the_new_whitelist(bot: BotFactory) -> None:
    app, pairs = started(bot, pairs=["ETH/BTC", "LTC/BTC"])
    seen: list[tuple[str, ...]] = []
    app.events.subscribe(
        lambda e: seen.append(e.pairs) if isinstance(e, WhitelistChanged) else None
    )
    added = pairs.add_to_blacklist(["LTC/.*", "LTC/.*", "[bad"])
    assert added.blacklist == ["LTC/.*"] and added.blacklist_expanded == ["LTC/BTC"]
    assert set(added.errors) == {"LTC/.*", "[bad"}
    assert seen == [("ETH/BTC",)]
    removed = pairs.remove_from_blacklist(["LTC/.*", "XRP/BTC"])
    assert removed.blacklist == [] and list(removed.errors) == ["XRP/BTC"]
    assert seen[-1] == ("ETH/BTC", "LTC/BTC")
    pairs.remove_from_blacklist(["nothing"])
    assert len(seen) == 2  # an edit that changes no pair publishes nothing


def test_locks_round_up_to_the_candle_and_expire_with_market_time(bot: BotFactory) -> None:
    app, pairs = started(bot)
    until = NOW + timedelta(minutes=12)
    answer = asyncio.run(pairs.add_locks([LockPayload(pair="ETH/BTC", until=until, reason="r")]))
    (lock,) = answer.locks
    assert lock.lock_end_time == NOW + timedelta(minutes=15)
    assert lock.lock_time == NOW and lock.side == "*" and lock.reason == "r"
    app.clock.set(NOW + timedelta(minutes=16))  # type: ignore[attr-defined]
    assert pairs.locks().lock_count == 0


def test_locks_delete_by_id_and_by_pair(bot: BotFactory) -> None:
    _app, pairs = started(bot)
    far = datetime(2030, 1, 1, tzinfo=UTC)
    payload = [LockPayload(pair=p, until=far) for p in ("ETH/BTC", "ETH/BTC", "LTC/BTC")]
    ids = [lock.id for lock in asyncio.run(pairs.add_locks(payload)).locks]
    after = asyncio.run(pairs.delete_lock(ids[2]))
    assert [lock.pair for lock in after.locks] == ["ETH/BTC", "ETH/BTC"]
    assert asyncio.run(pairs.delete_lock(999)).lock_count == 2
    cleared = asyncio.run(pairs.delete_locks(DeleteLockRequest(pair="ETH/BTC")))
    assert cleared.lock_count == 0


def test_available_pairs_scans_the_data_directory(bot: BotFactory, tmp_path: Path) -> None:
    datadir = tmp_path / "data"
    frame = pd.DataFrame(
        {
            "date": pd.date_range("2024-01-01", periods=3, freq="5min", tz="UTC"),
            **{c: [1.0, 2.0, 3.0] for c in ("open", "high", "low", "close", "volume")},
        }
    )
    for pair, timeframe in (("ETH/BTC", "5m"), ("ADA/USDT", "1h"), ("ETH/BTC", "1h")):
        write_ohlcv(datadir, pair, timeframe, frame, "feather")
    app = bot(datadir=str(datadir))
    pairs = PairService(app.context())
    every = pairs.available_pairs()
    assert every.pairs == ["ADA/USDT", "ETH/BTC"] and every.length == 2
    assert every.pair_interval == [
        ("ADA/USDT", "1h", "spot"),
        ("ETH/BTC", "1h", "spot"),
        ("ETH/BTC", "5m", "spot"),
    ]
    assert pairs.available_pairs(timeframe="5m").pairs == ["ETH/BTC"]
    assert pairs.available_pairs(stake_currency="USDT").pairs == ["ADA/USDT"]
    assert pairs.available_pairs("", "", "").length == 2
    assert pairs.available_pairs(candletype="futures").length == 0


def test_markets_are_filtered_and_need_an_exchange(bot: BotFactory) -> None:
    app, pairs = started(bot, pairs=["ETH/BTC", "LTC/BTC"])
    markets = pairs.markets(base="ETH")
    assert list(markets.markets) == ["ETH/BTC"] and markets.exchange_id == "simulated"
    assert pairs.markets(quote="USDT").markets == {}
    context = app.context()
    context.exchange = None
    with pytest.raises(InvalidRequest, match="Bot is not in the correct state"):
        PairService(context).markets()


def test_available_pairlists_are_the_implemented_handlers(bot: BotFactory) -> None:
    app = bot()
    names = [entry.name for entry in PairService(app.context()).available_pairlists().pairlists]
    assert names[0] == "StaticPairList"
