"""InfoService: version, the effective show_config, logs, sysinfo off the loop, health (§3)."""

import asyncio
import logging
import time

import pytest

from tests.unit.services.conftest import BotFactory
from tradewind.app import Application
from tradewind.cli.webserver import webserver_context
from tradewind.errors import InvalidRequest
from tradewind.logs import LogBuffer
from tradewind.services import info as info_module
from tradewind.services.info import InfoService, stake_currency_decimals


def service(app: Application, **kwargs: float) -> InfoService:
    return InfoService(app.context(), **kwargs)


def test_show_config_reports_the_effective_settings(bot: BotFactory) -> None:
    app = bot()
    config = service(app, api_version=2.34).show_config()
    assert config.api_version == 2.34 and config.version == app.context().version
    assert config.strategy == "SampleStrategy" and config.strategy_version == "1.0"
    assert config.timeframe == "5m" and config.timeframe_ms == 300_000
    assert config.minimal_roi == {str(m): r for m, r in app.settings.minimal_roi}
    assert config.stoploss == app.settings.stoploss
    assert config.max_open_trades == 5.0 and config.state == "running"
    assert config.order_types is not None and config.order_types.entry == "limit"
    dumped = config.model_dump()
    assert "proxy_coin" not in dumped  # only in futures mode


def test_unlimited_max_open_trades_is_minus_one(bot: BotFactory) -> None:
    app = bot(max_open_trades=-1)
    assert service(app).show_config().max_open_trades == -1.0


@pytest.mark.parametrize(("currency", "decimals"), [("BTC", 8), ("ETH", 5), ("USDT", 3)])
def test_stake_currency_decimals(currency: str, decimals: int) -> None:
    assert stake_currency_decimals(currency) == decimals


def test_webserver_mode_show_config_has_no_state(bot: BotFactory) -> None:
    app = bot()
    context = webserver_context(app.config, LogBuffer())
    config = InfoService(context).show_config()
    assert config.state == "" and config.runmode == "webserver"
    assert config.strategy_version is None and config.strategy == "SampleStrategy"
    with pytest.raises(InvalidRequest, match="Bot is not in the correct state"):
        InfoService(context).health()


def test_a_failing_strategy_version_is_null(bot: BotFactory) -> None:
    app = bot()

    def broken() -> str:
        raise RuntimeError("user code")

    app.strategy.version = broken  # type: ignore[method-assign]
    assert service(app).show_config().strategy_version is None


def test_logs_limit_takes_the_newest_records(bot: BotFactory) -> None:
    app = bot()
    buffer = app.context().log_buffer
    for number in range(5):
        buffer.emit(logging.makeLogRecord({"name": "t", "levelname": "INFO", "msg": f"m{number}"}))
    info = service(app)
    assert [row[4] for row in info.logs(2).logs] == ["m3", "m4"]
    assert info.logs(None).log_count == info.logs(0).log_count == info.logs(-3).log_count == 5


def test_sysinfo_samples_the_cpu_without_blocking_the_loop(bot: BotFactory) -> None:
    app = bot()

    async def scenario() -> tuple[object, int]:
        ticks = 0
        done = asyncio.Event()

        async def heartbeat() -> None:
            nonlocal ticks
            while not done.is_set():
                ticks += 1
                await asyncio.sleep(0.005)

        beat = asyncio.create_task(heartbeat())
        started = time.monotonic()
        result = await service(app).sysinfo()
        assert time.monotonic() - started >= info_module.CPU_SAMPLE_SECONDS * 0.9
        done.set()
        await beat
        return result, ticks

    result, ticks = asyncio.run(scenario())
    assert ticks >= 5  # the loop kept running while the CPU was sampled
    assert result.cpu_count >= 1 and len(result.cpu_pct) == len(result.cpu_load)  # type: ignore[attr-defined]


def test_health_reads_the_engine_and_the_persisted_first_start(bot: BotFactory) -> None:
    app = bot()
    info = service(app)
    before = info.health()
    assert before.last_process is None and before.bot_start is None
    assert before.bot_startup == app.engine.startup_time
    asyncio.run(app.engine.start_up())
    asyncio.run(app.engine.tick())
    after = info.health()
    assert after.last_process == app.engine.last_process and after.bot_start is not None
    assert after.bot_start_ts == int(after.bot_start.timestamp())
    assert after.last_process_ts == int(after.last_process.timestamp())  # type: ignore[union-attr]
