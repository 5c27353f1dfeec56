import asyncio

import pytest

from tests.unit.services.builders import NOW, open_trade, store, use_rates
from tests.unit.services.conftest import BotFactory
from tradewind.schemas.json import dumps
from tradewind.services.balance import BalanceService

PAIRS = ["ETH/USDT", "LTC/USDT"]


def test_balance_values_every_currency_and_the_bots_share(bot: BotFactory) -> None:
    app = bot(stake_currency="USDT", dry_run_wallet={"USDT": 1000, "LTC": 3}, pairs=PAIRS)
    asyncio.run(app.exchange.load_markets())
    store(app, open_trade("ETH/USDT", "100", amount="2", opened=NOW))
    use_rates(app, {"ETH/USDT": 105.0, "LTC/USDT": 50.0})
    answer = asyncio.run(BalanceService(app.context()).balance())
    rows = {row.currency: row for row in answer.currencies}
    assert list(rows) == ["USDT", "ETH", "LTC"]
    usdt, eth, ltc = rows["USDT"], rows["ETH"], rows["LTC"]
    # 1000 − 200 cost − 0.2 fee; the bot may still use (800 + 200.2) × 0.99 − 200.2
    assert (usdt.free, usdt.balance, usdt.used) == pytest.approx((799.8, 799.8, 0.0))
    assert usdt.bot_owned == pytest.approx(789.8) and usdt.est_stake_bot == pytest.approx(789.8)
    assert usdt.est_stake == pytest.approx(799.8) and usdt.is_bot_managed
    assert (eth.bot_owned, eth.est_stake, eth.est_stake_bot) == pytest.approx((2, 210, 210))
    assert eth.is_bot_managed and eth.stake == "USDT" and eth.side == "long"
    assert (ltc.bot_owned, ltc.est_stake, ltc.est_stake_bot) == pytest.approx((0, 150, 0))
    assert not ltc.is_bot_managed
    assert answer.total == pytest.approx(799.8 + 210 + 150)
    assert answer.total_bot == pytest.approx(789.8 + 210)
    assert answer.starting_capital == pytest.approx(990.0)
    assert answer.starting_capital_ratio == pytest.approx((789.8 + 210) / 990 - 1)
    assert answer.starting_capital_pct == round(((789.8 + 210) / 990 - 1) * 100, 2)
    assert (answer.symbol, answer.stake, answer.note) == ("", "USDT", "Simulated balances")
    assert answer.value == answer.value_bot == answer.starting_capital_fiat == 0.0


def test_stake_row_matches_the_spec_example(bot: BotFactory) -> None:
    app = bot(stake_currency="USDT", dry_run_wallet=900, tradable_balance_ratio=1, pairs=PAIRS)
    [row] = asyncio.run(BalanceService(app.context()).balance()).currencies
    assert dumps(row).decode() == (
        '{"currency":"USDT","free":900.0,"balance":900.0,"used":0.0,"bot_owned":900.0,'
        '"est_stake":900.0,"est_stake_bot":900.0,"stake":"USDT","side":"long",'
        '"is_position":false,"position":0.0,"is_bot_managed":true}'
    )


def test_a_coin_without_a_price_is_worth_nothing(bot: BotFactory) -> None:
    app = bot(stake_currency="USDT", dry_run_wallet={"USDT": 10, "DOGE": 5}, pairs=PAIRS)
    asyncio.run(app.exchange.load_markets())
    rows = asyncio.run(BalanceService(app.context()).balance()).currencies
    assert [(r.currency, r.est_stake) for r in rows] == [("USDT", 10.0), ("DOGE", 0.0)]
