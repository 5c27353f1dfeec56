"""How the ccxt client is configured: quirks, the user's options, credentials and from_config."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from tradewind.config.models.exchange import ExchangeConfig
from tradewind.domain.clock import ManualClock
from tradewind.errors import ConfigError, OrderRejected
from tradewind.exchange.ccxt import CcxtExchange, Credentials
from tradewind.exchange.ccxt.client import client_config, merged_options, missing_credentials
from tradewind.exchange.ccxt.quirks import GENERIC, quirks_for

CLOCK = ManualClock(datetime(2024, 1, 1, tzinfo=UTC))


def test_dry_run_strips_every_credential_even_from_ccxt_config() -> None:
    user = {"apiKey": "leaked", "secret": "s", "timeout": 500, "options": {"recvWindow": 5000}}
    config = client_config(quirks_for("binance").options, user, credentials=None)
    assert "apiKey" not in config and "secret" not in config
    assert config["timeout"] == 500
    assert config["options"]["recvWindow"] == 5000
    assert config["options"]["fetchMarkets"] == {"types": ["spot"]}


def test_user_options_win_over_quirks_key_by_key() -> None:
    user = {"options": {"fetchMarkets": {"types": ["spot", "linear"]}}}
    config = client_config(quirks_for("binance").options, user, Credentials("k", "s"))
    assert config["options"]["fetchMarkets"] == {"types": ["spot", "linear"]}
    assert config["options"]["fetchCurrencies"] is False
    assert (config["apiKey"], config["secret"]) == ("k", "s")


def test_nested_options_merge_deeply() -> None:
    merged = merged_options({"urls": {"api": {"public": "a", "private": "b"}}},
                            {"urls": {"api": {"public": "c"}}})  # fmt: skip
    assert merged == {"urls": {"api": {"public": "c", "private": "b"}}}


def test_missing_credentials_name_the_config_keys() -> None:
    required = {"apiKey": True, "secret": True, "password": True, "uid": False}
    assert missing_credentials(required, Credentials(api_key="k")) == [
        "exchange.secret", "exchange.password",
    ]  # fmt: skip


def test_credentials_never_show_in_repr() -> None:
    assert "hunter2" not in repr(Credentials(api_key="key", secret="hunter2"))


def test_unknown_exchanges_get_the_generic_quirks_and_unknown_ids_a_config_error() -> None:
    assert quirks_for("kraken") is GENERIC
    with pytest.raises(ConfigError, match="no-such-exchange"):
        CcxtExchange("no-such-exchange", CLOCK, dry_run=True)


def test_from_config_reads_keys_fee_and_refresh_interval() -> None:
    config = ExchangeConfig(
        name="binance", key="old", api_key="new", secret="s", markets_refresh_interval=5,
        ccxt_config={"options": {"recvWindow": 1}},
        ccxt_async_config={"options": {"fetchCurrencies": True}},
    )  # fmt: skip
    exchange = CcxtExchange.from_config(config, CLOCK, dry_run=False, fee=0.002)
    client = exchange._client
    assert (client.apiKey, client.secret) == ("new", "s")
    assert client.options["recvWindow"] == 1
    assert client.options["fetchCurrencies"] is True  # the async variant wins over the quirk
    assert exchange.fee_rate("ANY/PAIR") == Decimal("0.002")
    assert exchange.name == "binance" and not exchange.dry_run


def test_stop_orders_are_offered_only_where_the_quirks_table_knows_how() -> None:
    assert quirks_for("binance").stoploss_param == "stopLossPrice"
    assert GENERIC.stoploss_param is None

    async def scenario() -> None:
        kraken = CcxtExchange("kraken", CLOCK, dry_run=True)
        try:
            assert not kraken.supports_stoploss_orders  # dry-run promises no more than live
            with pytest.raises(OrderRejected, match="no stop orders on kraken"):
                await kraken.create_stoploss_order(
                    "BTC/USD", Decimal(1), Decimal(90), Decimal(89), "c"
                )
        finally:
            await kraken.close()
        binance = CcxtExchange("binance", CLOCK, dry_run=True)
        assert binance.supports_stoploss_orders
        await binance.close()

    asyncio.run(scenario())
