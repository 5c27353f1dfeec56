import math
from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from tests.unit.services.builders import NOW
from tradewind.services import profit_metrics as pm


def _frame(profits: list[float], closes_hours: list[int] | None = None) -> pd.DataFrame:
    count = len(profits)
    closes = closes_hours or list(range(1, count + 1))
    return pd.DataFrame(
        {
            "id": list(range(1, count + 1)),
            "pair": ["ETH/USDT"] * count,
            "is_short": [False] * count,
            "leverage": [1.0] * count,
            "enter_tag": [None] * count,
            "exit_reason": ["roi"] * count,
            "open_date": pd.to_datetime([NOW] * count, utc=True),
            "close_date": pd.to_datetime([NOW + timedelta(hours=h) for h in closes], utc=True),
            "close_profit": [p / 100 for p in profits],
            "close_profit_abs": profits,
            "max_stake_amount": [100.0] * count,
        }
    )


def test_drawdown_follows_close_order_not_id_order() -> None:
    # by id: +5, −3, +1; by close date: +5, +1, −3 → the trough is the last trade
    frame = _frame([5.0, -3.0, 1.0], closes_hours=[1, 9, 5])
    drawdown = pm.drawdown_of(frame, 100.0)
    assert drawdown.max_abs == 3.0
    assert drawdown.max_relative == pytest.approx(3 / 106)
    assert drawdown.start == NOW + timedelta(hours=5)
    assert drawdown.end == NOW + timedelta(hours=9)
    assert drawdown.current_abs == 3.0 and drawdown.current_high == 6.0


def test_only_winners_have_no_drawdown_and_infinite_profit_factor() -> None:
    figures = pm.closed_figures(_frame([1.0, 2.0]), 100.0)
    assert figures.drawdown.max_abs == 0.0 and figures.drawdown.start is None
    assert figures.drawdown.current_start == NOW + timedelta(hours=2)
    assert math.isinf(figures.profit_factor)
    assert figures.expectancy == 1.5 and figures.expectancy_ratio == 100.0
    assert pm.sortino(figures.returns, 1, False) == pm.NO_RATIO  # no losing return
    assert pm.calmar(figures, 100.0, 1) == pm.NO_RATIO  # no drawdown


def test_equal_returns_have_no_spread() -> None:
    returns = pm.returns_of(np.array([1.0, 1.0, 1.0]), 100.0)
    assert returns is not None and returns.std == 0.0
    assert pm.sharpe(returns, 3, False) == pm.NO_RATIO
    assert returns.sqn == pm.NO_RATIO


def test_ratios_need_a_positive_starting_balance() -> None:
    assert pm.returns_of(np.array([1.0, -1.0]), 0.0) is None
    assert pm.sharpe(None, 5, False) == 0.0
    assert pm.cagr(110.0, 0.0, 10) == 0.0
    assert pm.cagr(-5.0, 100.0, 10) == 0.0
    assert pm.cagr(1e300, 1e-300, 1) == 0.0  # overflows: not a number we can report
    assert pm.cagr(110.0, 100.0, 365) == pytest.approx(0.1)
