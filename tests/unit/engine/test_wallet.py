from datetime import timedelta
from decimal import Decimal

from tests.factories import T0, fill, make_order, make_trade
from tradewind.engine.wallet import DryRunWallet, ledger_balance


def test_wallet_reconciles_exactly_with_trades_and_open_orders() -> None:
    start = Decimal("1")
    closed = make_trade("ETH/BTC", rate="0.05", amount="2")
    fill(make_order(closed, amount="2", price="0.05"), closed)
    fill(
        make_order(closed, "sell", amount="2", price="0.0512", when=T0 + timedelta(hours=1)), closed
    )
    open_trade = make_trade("LTC/BTC", rate="0.0171", amount="3")
    fill(make_order(open_trade, amount="3", price="0.0171"), open_trade)
    resting = make_trade("XMR/BTC", rate="0.03", amount="1")
    make_order(resting, amount="1", price="0.03")  # unfilled open buy order

    wallet = DryRunWallet({"BTC": start}, "BTC")
    wallet.update([open_trade, resting], closed.close_profit_abs or Decimal(0))
    balances = wallet.balances()

    all_orders = closed.orders + open_trade.orders + resting.orders
    ledger = ledger_balance(start, all_orders)
    reserved = Decimal("1") * Decimal("0.03") * Decimal("1.001")
    assert balances["BTC"].free + balances["BTC"].used == ledger
    assert balances["BTC"].used == reserved
    assert balances["LTC"].free == Decimal("3")
    # start + closed profit − open basis − reservation
    expected_free = start + closed.close_profit_abs - open_trade.open_trade_value - reserved
    assert balances["BTC"].free == expected_free


def test_stake_in_trades_counts_basis_and_reservations() -> None:
    trade = make_trade(rate="0.05", amount="2")
    fill(make_order(trade), trade)
    wallet = DryRunWallet({"BTC": Decimal("1")}, "BTC")
    wallet.update([trade], Decimal(0))
    assert wallet.stake_in_trades() == Decimal("0.1001")
    assert wallet.total_stake() == Decimal("1")
