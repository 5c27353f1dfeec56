"""The composition root creates the hub with the API and the consumer when enabled."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.botconfig import TEST_WS_TOKEN, bot_config, loaded
from tradewind.app import build
from tradewind.signals.consumer import ExternalMessageConsumer
from tradewind.signals.encoding import SplitFrame
from tradewind.signals.hub import MessageHub


def _follower(tmp_path: Path) -> dict[str, object]:
    return bot_config(
        tmp_path,
        strategy="FollowerStrategy",
        pairlists=[{"method": "ProducerPairList", "number_assets": 2}],
        external_message_consumer={
            "enabled": True,
            "producers": [{"name": "default", "host": "127.0.0.1", "ws_token": TEST_WS_TOKEN}],
        },
    )


def test_with_the_api_the_context_has_a_hub_subscribed_to_the_engine(tmp_path: Path) -> None:
    app = build(loaded(bot_config(tmp_path, strategy="LeaderStrategy")))
    try:
        context = app.context()
        assert isinstance(context.hub, MessageHub)
        assert context.consumer is None
        assert "consumer" not in app.extras.get("services", {})
        assert context.hub.publish in app.events._handlers
    finally:
        asyncio.run(app.close())


def test_without_the_api_there_is_no_hub(tmp_path: Path) -> None:
    app = build(loaded(bot_config(tmp_path, api_server={"enabled": False})))
    try:
        assert app.context().hub is None
    finally:
        asyncio.run(app.close())


def test_a_follower_gets_the_consumer_as_service_data_source_and_pair_source(
    tmp_path: Path,
) -> None:
    app = build(loaded(_follower(tmp_path)))
    try:
        consumer = app.context().consumer
        assert isinstance(consumer, ExternalMessageConsumer)
        assert app.extras["services"]["consumer"] == consumer.run
        consumer.store.set_pairs("default", ["ETH/BTC", "LTC/BTC", "XRP/BTC"])
        rows = [[1_516_000_000_000 + i * 300_000, 0.1, 30.0] for i in range(100)]
        frame = SplitFrame(["date", "close", "rsi"], list(range(100)), rows)
        consumer.store.merge("default", ("ETH/BTC", "5m", "spot"), frame, app.clock.now())
        assert app.strategy.dp.get_producer_pairs() == ["ETH/BTC", "LTC/BTC", "XRP/BTC"]
        leader_frame, _ = app.strategy.dp.get_external_df("ETH/BTC")
        assert list(leader_frame.columns) == ["date", "close", "rsi"]
        assert len(leader_frame) == 100
        assert app.strategy.dp.get_external_df("LTC/BTC")[0].empty
        app.engine.parts.pairlist.refresh(asyncio.run(app.exchange.load_markets()))
        assert app.engine.parts.pairlist.whitelist == ["ETH/BTC", "LTC/BTC"]
    finally:
        asyncio.run(app.close())
