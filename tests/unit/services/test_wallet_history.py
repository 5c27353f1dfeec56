import json
from datetime import timedelta

from tests.unit.services.builders import NOW, open_trade, store, use_rates
from tests.unit.services.conftest import BotFactory
from tradewind.domain.events import TickCompleted
from tradewind.schemas.dates import epoch_ms
from tradewind.schemas.json import dumps
from tradewind.services.stats import StatsService
from tradewind.services.wallet_history import WalletSnapshotter


def test_empty_history_matches_the_spec(bot: BotFactory) -> None:
    body = json.loads(dumps(StatsService(bot().context()).historic_balance()))
    assert body == {
        "columns": ["date", "__date_ts", "total_quote"],
        "length": 0,
        "data": [],
        "capture_start_ts": 0,
    }


def test_one_snapshot_per_utc_day_of_the_bot_managed_wallet(bot: BotFactory) -> None:
    app = bot(stake_currency="USDT", dry_run_wallet={"USDT": 1000, "LTC": 3})
    store(app, open_trade("ETH/USDT", "100", amount="2", opened=NOW))
    use_rates(app, {"ETH/USDT": 105.0})
    ctx = app.context()
    app.events.subscribe(WalletSnapshotter(ctx))
    for minutes in (0, 5, 600):
        app.events.publish(TickCompleted(at=NOW + timedelta(minutes=minutes), duration_s=0.1))
    app.events.publish(TickCompleted(at=NOW + timedelta(days=1), duration_s=0.1))
    restarted = WalletSnapshotter(ctx)  # a restart the same day keeps the first snapshot
    restarted(TickCompleted(at=NOW + timedelta(days=1, hours=2), duration_s=0.1))
    history = StatsService(ctx).historic_balance()
    midnight = NOW.replace(hour=0)
    # 799.8 USDT + 2 ETH at 105; the LTC no trade holds is not the bot's
    assert history.data == [
        ["2026-11-25T00:00:00", epoch_ms(midnight), 1009.8],
        ["2026-11-26T00:00:00", epoch_ms(midnight + timedelta(days=1)), 1009.8],
    ]
    assert history.length == 2 and history.capture_start_ts == epoch_ms(midnight)
