"""RenderedAnswers: an answer is encoded once per version of what it depends on."""

from __future__ import annotations

import asyncio
import math

from pydantic import BaseModel

from tradewind.api.deps import RenderedAnswers
from tradewind.schemas.dates import UtcDatetime


class Row(BaseModel):
    value: float
    when: UtcDatetime | None = None


def test_json_computes_once_per_key_and_encodes_like_the_response_model() -> None:
    answers = RenderedAnswers()
    calls: list[int] = []

    async def compute() -> list[Row]:
        calls.append(1)
        return [Row(value=math.inf, when="2024-01-01T00:00:00+00:00")]  # type: ignore[arg-type]

    async def scenario() -> list[bytes]:
        first = await answers.json(("status", 1), compute)
        again = await answers.json(("status", 1), compute)
        newer = await answers.json(("status", 2), compute)
        return [bytes(r.body) for r in (first, again, newer)]

    first, again, newer = asyncio.run(scenario())
    assert first == again == newer == b'[{"value":null,"when":"2024-01-01T00:00:00Z"}]'
    assert len(calls) == 2


def test_plain_callables_and_dicts_are_accepted() -> None:
    answers = RenderedAnswers()
    response = asyncio.run(answers.json("k", lambda: {"b": 1, "a": [math.nan]}))
    assert response.body == b'{"b":1,"a":[null]}'
    assert response.media_type == "application/json"


def test_model_reuses_bytes_only_for_the_very_same_object() -> None:
    answers = RenderedAnswers()
    row = Row(value=1.5)
    first = answers.model(row)
    row.value = 2.5  # mutated after encoding: the cached bytes stay (models are treated as frozen)
    assert answers.model(row).body == first.body == b'{"value":1.5,"when":null}'
    assert answers.model(Row(value=2.5)).body == b'{"value":2.5,"when":null}'


def test_old_answers_are_evicted() -> None:
    answers = RenderedAnswers(size=2)
    for key in range(3):
        asyncio.run(answers.json(key, lambda key=key: key))
    calls: list[int] = []
    asyncio.run(answers.json(0, lambda: calls.append(1) or 0))
    assert calls == [1]


def test_concurrent_requests_for_one_key_share_one_computation() -> None:
    answers = RenderedAnswers()
    calls: list[int] = []

    async def slow() -> dict[str, int]:
        calls.append(1)
        await asyncio.sleep(0.01)
        return {"n": len(calls)}

    async def scenario() -> list[bytes]:
        responses = await asyncio.gather(*(answers.json("status", slow) for _ in range(16)))
        return [bytes(r.body) for r in responses]

    assert asyncio.run(scenario()) == [b'{"n":1}'] * 16
    assert calls == [1]


def test_a_failed_computation_fails_its_waiters_and_is_retried_later() -> None:
    answers = RenderedAnswers()

    async def broken() -> None:
        await asyncio.sleep(0.01)
        raise ValueError("no")

    async def scenario() -> list[object]:
        return await asyncio.gather(
            *(answers.json("k", broken) for _ in range(3)), return_exceptions=True
        )

    assert all(isinstance(r, ValueError) for r in asyncio.run(scenario()))
    assert asyncio.run(answers.json("k", lambda: 1)).body == b"1"


def test_waiters_compute_themselves_when_the_computing_request_is_cancelled() -> None:
    answers = RenderedAnswers()
    started = asyncio.Event()

    async def hanging() -> int:
        started.set()
        await asyncio.sleep(10)
        return 0

    async def scenario() -> bytes:
        first = asyncio.create_task(answers.json("k", hanging))
        await started.wait()
        waiter = asyncio.create_task(answers.json("k", lambda: 7))
        await asyncio.sleep(0)
        first.cancel()
        return bytes((await waiter).body)

    assert asyncio.run(scenario()) == b"7"
