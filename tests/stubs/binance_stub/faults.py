"""Faults the stub injects on demand: one-shot faults per endpoint and random faults at a rate.

Kinds (what the client sees):
* ``timeout``: the request is held `delay` seconds (set it beyond the client's timeout) and then
  answered 504 WITHOUT being processed — a request lost before the matching engine.
* ``late_response``: the request IS processed (an order is created) and the answer is held
  `delay` seconds — "order created but the response timed out".
* ``error5xx``: answered `status` (default 503) without being processed.
* ``rate_limit``: answered `status` 429 (or 418) with a `Retry-After: retry_after` header.
* ``partial_fill``: not an HTTP fault: the next `times` fills fill only `share` of what is left.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field

HTTP_KINDS = ("timeout", "late_response", "error5xx", "rate_limit")
KINDS = (*HTTP_KINDS, "partial_fill")


@dataclass(frozen=True)
class Fault:
    """One fault to apply to a request (or a fill, for partial_fill)."""

    kind: str
    delay: float = 2.0
    status: int | None = None
    retry_after: int = 1
    share: float = 0.5

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {KINDS}")


def endpoint_matches(pattern: str | None, method: str, path: str) -> bool:
    """`pattern` is None (any), a path ("/api/v3/order") or "METHOD /path"."""
    if pattern is None:
        return True
    if " " in pattern:
        wanted_method, wanted_path = pattern.split(" ", 1)
        return wanted_method.upper() == method and wanted_path == path
    return pattern == path


@dataclass
class _Armed:
    fault: Fault
    endpoint: str | None
    times: int


@dataclass
class FaultPlan:
    """Armed one-shot faults (first match wins) and an optional random fault rate."""

    armed: list[_Armed] = field(default_factory=list)
    rate: float = 0.0
    random_kinds: tuple[Fault, ...] = ()
    random_endpoints: tuple[str, ...] = ()
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    partial_fills: list[_Armed] = field(default_factory=list)

    def arm(self, fault: Fault, endpoint: str | None = None, times: int = 1) -> None:
        target = self.partial_fills if fault.kind == "partial_fill" else self.armed
        target.append(_Armed(fault, endpoint, times))

    def set_random(
        self,
        rate: float,
        faults: Iterable[Fault],
        endpoints: Iterable[str] = (),
        seed: int = 0,
    ) -> None:
        if not 0 <= rate <= 1:
            raise ValueError("rate must be in [0, 1]")
        self.rate = rate
        self.random_kinds = tuple(faults)
        self.random_endpoints = tuple(endpoints)
        self.rng = random.Random(seed)

    def clear(self) -> None:
        self.armed.clear()
        self.partial_fills.clear()
        self.rate = 0.0
        self.random_kinds = ()

    def pick(self, method: str, path: str) -> Fault | None:
        """The fault to apply to this request, if any (consumes one-shot faults)."""
        for armed in self.armed:
            if endpoint_matches(armed.endpoint, method, path):
                armed.times -= 1
                if armed.times <= 0:
                    self.armed.remove(armed)
                return armed.fault
        if self.rate <= 0 or not self.random_kinds:
            return None
        if self.random_endpoints and not any(
            endpoint_matches(e, method, path) for e in self.random_endpoints
        ):
            return None
        http = [fault for fault in self.random_kinds if fault.kind in HTTP_KINDS]
        if not http or self.rng.random() >= self.rate:
            return None
        return self.rng.choice(http)

    def partial_share(self) -> float | None:
        """Share of the remaining amount the next fill may take (None: all of it)."""
        if not self.partial_fills:
            partial = [fault for fault in self.random_kinds if fault.kind == "partial_fill"]
            if partial and self.rng.random() < self.rate:
                return partial[0].share
            return None
        armed = self.partial_fills[0]
        armed.times -= 1
        if armed.times <= 0:
            self.partial_fills.pop(0)
        return armed.fault.share
