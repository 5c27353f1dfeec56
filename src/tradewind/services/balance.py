"""`/balance` (rest-api.md §6.2): the wallet per currency, valued in the stake currency."""

from __future__ import annotations

from decimal import Decimal

from tradewind.engine.bot import TradingEngine
from tradewind.engine.wallet import CurrencyBalance
from tradewind.schemas.stats import Balance, Balances
from tradewind.services.closed_trades import live_key, starting_balance
from tradewind.services.context import BotContext

__all__ = ["BalanceService"]

ANSWER_KEY = "balance.answer"


class BalanceService:
    """The bot's wallet as the API shows it, memoized between engine ticks."""

    def __init__(self, ctx: BotContext) -> None:
        self._ctx = ctx

    async def balance(self) -> Balances:
        """Every currency with a balance, its stake-currency value and the bot's share."""
        engine = self._ctx.require_engine()
        key = live_key(engine)
        cached = self._ctx.cache.get(ANSWER_KEY)
        if cached is not None and cached[0] == key:
            answer: Balances = cached[1]
            return answer
        answer = await self._compute(engine)
        self._ctx.cache[ANSWER_KEY] = (key, answer)
        return answer

    async def _compute(self, engine: TradingEngine) -> Balances:
        stake = engine.parts.wallet.stake_currency
        held: dict[str, Decimal] = {}
        for trade in engine.open_trades:
            held[trade.base_currency] = held.get(trade.base_currency, Decimal(0)) + trade.amount
        rows = []
        for currency, balance in engine.parts.wallet.balances().items():
            if not balance.total and not balance.free:
                continue
            if currency == stake:
                rows.append(self._stake_row(engine, balance))
            else:
                rate = await self._rate(engine, currency, stake)
                rows.append(_coin_row(balance, stake, rate, held.get(currency)))
        return self._totals(engine, rows)

    def _stake_row(self, engine: TradingEngine, balance: CurrencyBalance) -> Balance:
        available = float(engine.parts.entries.stake.available(engine.closed_profit))
        return Balance(
            currency=balance.currency,
            free=float(balance.free),
            balance=float(balance.total),
            used=float(balance.used),
            bot_owned=available,
            est_stake=float(balance.total),
            est_stake_bot=available,
            stake=balance.currency,
            side="long",
            is_position=False,
            position=0.0,
            is_bot_managed=True,
        )

    async def _rate(self, engine: TradingEngine, coin: str, stake: str) -> float:
        """Price of one `coin` in `stake` (via COIN/STAKE or STAKE/COIN); 0 if unknown."""
        markets = engine.parts.exchange.markets
        direct, inverse = f"{coin}/{stake}", f"{stake}/{coin}"
        if direct in markets:
            return await engine.current_rate(direct) or 0.0
        if inverse in markets:
            rate = await engine.current_rate(inverse)
            return 1 / rate if rate else 0.0
        return 0.0

    def _totals(self, engine: TradingEngine, rows: list[Balance]) -> Balances:
        config = self._ctx.config
        capital = starting_balance(engine)
        total_bot = sum(r.est_stake_bot or 0.0 for r in rows if r.is_bot_managed)
        ratio = total_bot / capital - 1 if capital else 0.0
        return Balances(
            currencies=rows,
            total=sum(r.est_stake for r in rows),
            total_bot=total_bot,
            symbol=config.fiat_display_currency or "",
            value=0.0,
            value_bot=0.0,
            stake=engine.parts.wallet.stake_currency,
            note="Simulated balances" if config.dry_run else "",
            starting_capital=capital,
            starting_capital_ratio=ratio,
            starting_capital_pct=round(ratio * 100, 2),
            starting_capital_fiat=0.0,
            starting_capital_fiat_ratio=0.0,
            starting_capital_fiat_pct=0.0,
        )


def _coin_row(
    balance: CurrencyBalance, stake: str, rate: float, trade_amount: Decimal | None
) -> Balance:
    """A non-stake currency; bot-owned when an open (spot) trade holds it."""
    managed = trade_amount is not None
    owned = float(trade_amount) if trade_amount is not None else 0.0
    return Balance(
        currency=balance.currency,
        free=float(balance.free),
        balance=float(balance.total),
        used=float(balance.used),
        bot_owned=owned,
        est_stake=float(balance.total) * rate,
        est_stake_bot=owned * rate if managed else 0.0,
        stake=stake,
        side="long",
        is_position=False,
        position=0.0,
        is_bot_managed=managed,
    )
