"""Calling ccxt: every call passes the shared rate gate, errors are translated once, and
idempotent calls are retried with bounded exponential backoff.

Placing an order is never retried here: a create whose answer was lost may well have reached the
exchange, and sending it again could open a second position. Its ExchangeUnavailable goes to
the engine, which looks the order up by its client id instead.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from tradewind.errors import ExchangeUnavailable, RateLimited
from tradewind.exchange.ccxt.client import ccxt_base_error
from tradewind.exchange.ccxt.error_map import retry_after_seconds, translate
from tradewind.exchange.ccxt.throttle import RateGate, RetryPolicy

log = logging.getLogger(__name__)


class CcxtCalls:
    """Runs the methods of one ccxt client under the gate, the error map and the retry policy."""

    def __init__(self, client: Any, gate: RateGate, retry: RetryPolicy) -> None:
        self._client = client
        self._name = str(client.id)
        self._gate = gate
        self._retry = retry
        self._base_error = ccxt_base_error()

    async def once(self, method: str, *args: Any) -> Any:
        """One attempt of `client.<method>(*args)`; raises tradewind errors only."""
        await self._gate.wait()
        try:
            result = await getattr(self._client, method)(*args)
        except self._base_error as exc:
            error = translate(exc, self._name)
            if isinstance(error, RateLimited):
                headers = getattr(self._client, "last_response_headers", None)
                self._gate.rate_limited(retry_after_seconds(headers))
                log.warning("%s asked us to slow down (%s); spacing requests %.2fs apart",
                            self._name, method, self._gate.delay)  # fmt: skip
            raise error from exc
        self._gate.succeeded()
        return result

    async def retried(self, method: str, *args: Any) -> Any:
        """`once`, retried after ExchangeUnavailable (idempotent calls only)."""
        for attempt in range(1, self._retry.attempts + 1):
            try:
                return await self.once(method, *args)
            except ExchangeUnavailable as exc:
                if attempt == self._retry.attempts:
                    raise
                pause = self._retry.delay(attempt)
                log.info("%s %s failed (%s); retry %d in %.2fs", self._name, method, exc,
                         attempt, pause)  # fmt: skip
                await asyncio.sleep(pause)
        raise AssertionError("unreachable: the last attempt returns or raises")
