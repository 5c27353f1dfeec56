"""The shared rate gate and the retry policy, on a fake clock."""

from __future__ import annotations

import asyncio

import pytest

from tradewind.exchange.ccxt.throttle import RateGate, RetryPolicy


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def gate(fake: FakeTime, **kwargs: float) -> RateGate:
    return RateGate(monotonic=fake.monotonic, sleep=fake.sleep, **kwargs)


def test_no_pause_until_the_exchange_complains() -> None:
    fake = FakeTime()
    limiter = gate(fake)
    asyncio.run(limiter.wait())
    assert fake.slept == [] and limiter.delay == 0


def test_retry_after_pauses_every_caller_then_spaces_them() -> None:
    fake = FakeTime()
    limiter = gate(fake, initial=0.5)
    limiter.rate_limited(retry_after=3)

    async def three_calls() -> None:
        for _ in range(3):
            await limiter.wait()

    asyncio.run(three_calls())
    assert fake.slept == [3.0, 0.5, 0.5]


def test_repeated_rate_limits_double_the_spacing_up_to_the_cap() -> None:
    limiter = gate(FakeTime(), initial=1.0, maximum=5.0)
    delays = []
    for _ in range(5):
        limiter.rate_limited(None)
        delays.append(limiter.delay)
    assert delays == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert limiter.rate_limit_answers == 5


def test_successes_decay_the_spacing_back_to_zero() -> None:
    limiter = gate(FakeTime(), initial=1.0, decay=0.5)
    limiter.rate_limited(None)
    limiter.succeeded()
    assert limiter.delay == 0.5
    for _ in range(3):
        limiter.succeeded()
    assert limiter.delay == 0


def test_retry_delays_grow_exponentially_and_are_bounded() -> None:
    policy = RetryPolicy(attempts=5, base_delay=0.5, max_delay=3)
    assert [policy.delay(n) for n in range(1, 5)] == [0.5, 1.0, 2.0, 3.0]


@pytest.mark.parametrize("kwargs", [{"attempts": 0}, {"base_delay": -1}])
def test_nonsense_policies_are_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]
