"""ControlService: state changes and manual entries/exits with the spec's refusals (§4, §5.8–9)."""

import asyncio
import math

import pytest
from pydantic import ValidationError

from tests.unit.services.conftest import BotFactory
from tradewind.app import Application
from tradewind.domain.enums import BotState
from tradewind.errors import InvalidRequest, WrongState
from tradewind.schemas.control import ForceEnterPayload, ForceExitPayload, StatusMsg
from tradewind.schemas.trades import TradeSchema
from tradewind.services.control import ControlService


def started(bot: BotFactory, **overrides: object) -> tuple[Application, ControlService]:
    app = bot(**overrides)
    asyncio.run(app.engine.start_up())
    return app, ControlService(app.context())


def enter(service: ControlService, **fields: object) -> object:
    return asyncio.run(service.force_enter(ForceEnterPayload.model_validate(fields)))


def refusal(coro: object) -> str:
    with pytest.raises(InvalidRequest) as error:
        asyncio.run(coro)  # type: ignore[arg-type]
    return str(error.value)


def test_start_stop_pause_answer_the_spec_texts(bot: BotFactory) -> None:
    app, control = started(bot)
    assert control.start() == StatusMsg(status="already running")
    assert asyncio.run(control.stop()).status == "stopping trader ..."
    assert asyncio.run(control.stop()).status == "already stopped"
    assert control.pause().status.startswith("starting bot with trader in paused state")
    assert control.pause().status.startswith("paused, no more entries will occur from now.")
    assert app.engine.state == BotState.PAUSED
    assert control.start().status == "starting trader ..."


def test_reload_config_only_flags_the_engine(bot: BotFactory) -> None:
    app, control = started(bot)
    assert control.reload_config().status == "Reloading config ..."
    assert app.engine.reload_requested.is_set() and app.engine.state == BotState.RELOAD_CONFIG


def test_force_enter_returns_the_trade_in_model_form(bot: BotFactory) -> None:
    app, control = started(bot)
    trade = enter(control, pair="ETH/BTC", stakeamount="0.01")
    assert isinstance(trade, TradeSchema)
    assert trade.pair == "ETH/BTC" and trade.enter_tag == "force_entry" and trade.is_open
    assert [t.id for t in app.engine.open_trades] == [trade.trade_id]


def test_force_entry_disabled_is_the_first_refusal(bot: BotFactory) -> None:
    _app, control = started(bot, force_entry_enable=False)
    asyncio.run(control.stop())
    payload = ForceEnterPayload(pair="NOPE/BTC", side="short")
    assert refusal(control.force_enter(payload)) == "Force_entry not enabled."


def test_force_enter_checks_state_before_side_and_pair(bot: BotFactory) -> None:
    _app, control = started(bot)
    control.pause()
    payload = ForceEnterPayload(pair="NOPE/BTC", side="short")
    with pytest.raises(WrongState, match="trader is not running"):
        asyncio.run(control.force_enter(payload))
    control.start()
    assert refusal(control.force_enter(payload)) == "Can't go short on Spot markets."
    assert refusal(control.force_enter(ForceEnterPayload(pair="NOPE/BTC"))) == (
        "Symbol does not exist or market is not active."
    )


@pytest.mark.parametrize("fields", [{"price": math.nan}, {"stakeamount": math.inf}])
def test_force_enter_payload_refuses_non_finite_numbers(fields: dict[str, float]) -> None:
    with pytest.raises(ValidationError):
        ForceEnterPayload(pair="ETH/BTC", **fields)


@pytest.mark.parametrize("fields", [{"price": -1}, {"price": 0}, {"leverage": 0}])
def test_force_enter_refuses_unusable_numbers_before_trading(
    bot: BotFactory, fields: dict[str, float]
) -> None:
    app, control = started(bot)
    message = refusal(control.force_enter(ForceEnterPayload(pair="ETH/BTC", **fields)))
    assert message.startswith("invalid argument")
    assert app.engine.open_trades == []


def test_force_exit_refusals_and_the_all_answer(bot: BotFactory) -> None:
    _app, control = started(bot)
    enter(control, pair="ETH/BTC")
    for tradeid in ("x", "12", "1.5"):
        message = refusal(control.force_exit(ForceExitPayload(tradeid=tradeid)))
        assert message == "invalid argument"
    payload = ForceExitPayload(tradeid="1", amount=-2)
    assert refusal(control.force_exit(payload)).startswith("invalid argument")
    answer = asyncio.run(control.force_exit(ForceExitPayload(tradeid="all")))
    assert answer.result == "Created exit orders for all open trades."
    asyncio.run(control.stop())
    with pytest.raises(WrongState, match="trader is not running"):
        asyncio.run(control.force_exit(ForceExitPayload(tradeid="all")))


def test_force_exit_of_one_trade_confirms_the_order(bot: BotFactory) -> None:
    _app, control = started(bot)
    trade = enter(control, pair="ETH/BTC", ordertype="market")
    assert isinstance(trade, TradeSchema)
    answer = asyncio.run(
        control.force_exit(ForceExitPayload(tradeid=str(trade.trade_id), ordertype="market"))
    )
    assert answer.result == f"Created exit order for trade {trade.trade_id}."
