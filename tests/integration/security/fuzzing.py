"""Schema-driven fuzzing of a running bot's REST API with schemathesis.

Shared by the bounded suite test (``test_api_fuzzing.py``) and the big run (``bench/fuzz.py``).
Every operation of the bot's ``/openapi.json`` gets ``examples`` generated requests in each of
schemathesis' two modes — *positive* (valid by the schema) and *negative* (violating it) — sent
over real HTTP with Basic credentials, and every answer is checked:

* ``no_server_error`` (ours): never a 500, and no 5xx other than the documented 502 (bot-logic
  error) and 503 (wrong run mode); no answer at all (a dead connection) is a failure too;
* ``status_code_conformance``: the status is declared for the operation (error answers are
  declared by ``tradewind.api.openapi``);
* ``content_type_conformance``, ``response_headers_conformance``,
  ``response_schema_conformance``: the body matches the declared model for that status.

Left out on purpose: schemathesis' ``not_a_server_error`` (replaced by ours: 502/503 are part of
Freqtrade's wire contract); ``negative_data_rejection`` (rest-api.md §0.1 makes lax coercion
part of the contract — ``{"price": "2000"}``, ``false`` for an int — and unknown keys are
ignored, so some "schema-violating" requests are rightly accepted); ``positive_data_acceptance``
(a valid request for an unknown pair or trade is rightly refused with 404/502);
``ignored_auth`` (its invalid-credential probes would trip the failed-login throttle for
127.0.0.1 within ten operations; anonymous access is proven route by route elsewhere).

Generation is deterministic (``derandomize``) unless a seed is given. Operations are fuzzed in a
fixed order: reads first, then the trade actions, then bot control (stop/pause/start), and
``/reload_config`` last — after each of its cases the bot must come back (bounded wait).
"""

from __future__ import annotations

import base64
import contextlib
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

CHECKS = [
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]
DOCUMENTED_5XX = frozenset({502, 503})
REQUEST_TIMEOUT = 30.0
RELOAD_TIMEOUT = 30.0
CONTROL_PATHS = ("/stop", "/stopbuy", "/stopentry", "/pause", "/start")
RELOAD_PATH = "/reload_config"


def no_server_error(ctx: Any, response: Any, case: Any) -> bool | None:
    """Never a 500; other 5xx only the documented 502/503 (conformance checks the rest)."""
    status = response.status_code
    if status >= 500 and status not in DOCUMENTED_5XX:
        raise AssertionError(f"server error {status}: {response.text[:300]!r}")
    return None


def basic_header(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _tuple_items_as_any_of(node: Any) -> Any:
    """Work around a schemathesis bug: OpenAPI 3.1 tuples (``prefixItems``, e.g. the rows of
    ``/logs``) in *response* schemas are rewritten to draft-4 ``items: [...]`` and then refused
    as an invalid schema (cf. schemathesis issues #3842/#4099 for the request side). Each
    position is checked against any of the tuple's item schemas instead; lengths stay exact."""
    if isinstance(node, dict):
        converted = {key: _tuple_items_as_any_of(value) for key, value in node.items()}
        if "prefixItems" in converted:
            converted["items"] = {"anyOf": converted.pop("prefixItems")}
        return converted
    if isinstance(node, list):
        return [_tuple_items_as_any_of(item) for item in node]
    return node


def fetch_openapi(base_url: str) -> dict[str, Any]:
    """The bot's OpenAPI document (``enable_openapi`` must be on), tuples worked around."""
    response = requests.get(f"{base_url}/openapi.json", timeout=REQUEST_TIMEOUT)
    response.raise_for_status()
    document: dict[str, Any] = _tuple_items_as_any_of(response.json())
    return document


def load_schema(base_url: str) -> Any:
    """The bot's OpenAPI document as a schemathesis schema."""
    return schemathesis.openapi.from_dict(fetch_openapi(base_url))


def _order(label: str) -> tuple[int, str]:
    method, path = label.split(" ", 1)
    if path.endswith(RELOAD_PATH):
        return 3, label
    if path.endswith(CONTROL_PATHS):
        return 2, label
    if method in {"POST", "DELETE"}:
        return 1, label
    return 0, label


@dataclass
class Failure:
    """One kind of failure on one operation: how often, and the first example."""

    count: int
    example: str


@dataclass
class FuzzReport:
    """What ran and what failed."""

    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    failures: dict[tuple[str, str], Failure] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.cases.values())

    def record_failure(self, label: str, kind: str, example: str) -> None:
        found = self.failures.get((label, kind))
        if found is None:
            self.failures[(label, kind)] = Failure(1, example)
        else:
            found.count += 1

    def summary(self) -> str:
        lines = [f"{self.total} cases on {len(self.cases)} operations in {self.seconds:.1f} s"]
        for label in sorted(self.cases, key=_order):
            codes = sorted((s, n) for (op, s), n in self.statuses.items() if op == label)
            shown = " ".join(f"{status}×{count}" for status, count in codes)
            lines.append(f"  {self.cases[label]:5d}  {label:48s} {shown}")
        lines.append(f"{len(self.failures)} distinct failures")
        for (label, kind), failure in sorted(self.failures.items()):
            lines.append(f"  {failure.count:4d}× {label}: {kind}\n{failure.example}")
        return "\n".join(lines)


def _failure_kinds(exc: BaseException) -> list[str]:
    kinds = []
    for inner in getattr(exc, "exceptions", None) or [exc]:
        title = str(getattr(inner, "title", "") or inner).splitlines()[0]
        kinds.append(f"{type(inner).__name__}: {title}")
    return kinds


@dataclass
class Fuzzer:
    """Sends generated cases to ``base_url`` and records the outcome in ``report``."""

    base_url: str
    headers: dict[str, str]
    examples: int
    seed: int | None = None
    reload_examples: int = 1
    """Cases per mode for ``/reload_config``: each one rebuilds the bot (about a second)."""
    report: FuzzReport = field(default_factory=FuzzReport)
    session: requests.Session = field(default_factory=requests.Session)

    def run(self, schema: Any, select: Callable[[str], bool] = lambda label: True) -> FuzzReport:
        """Fuzz every selected operation (by ``"METHOD /path"`` label) in the fixed order."""
        started = time.monotonic()
        operations = [result.ok() for result in schema.get_all_operations()]
        for operation in sorted(operations, key=lambda op: _order(op.label)):
            if not select(operation.label):
                continue
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                self._fuzz(operation, mode)
        self.report.seconds += time.monotonic() - started
        return self.report

    def _fuzz(self, operation: Any, mode: GenerationMode) -> None:
        reloads = operation.label.endswith(RELOAD_PATH)

        @settings(
            max_examples=self.reload_examples if reloads else self.examples,
            derandomize=self.seed is None,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(generation_mode=mode))
        def send(case: Any) -> None:
            self._send(operation.label, case)

        test = send if self.seed is None else hypothesis_seed(self.seed)(send)
        with contextlib.suppress(Unsatisfiable):  # nothing to violate: no negative cases
            test()

    def _send(self, label: str, case: Any) -> None:
        self.report.cases[label] += 1
        reloading = label.endswith(RELOAD_PATH)
        before = self._startup() if reloading else None
        try:
            response = case.call(
                base_url=self.base_url,
                session=self.session,
                headers=self.headers,
                timeout=REQUEST_TIMEOUT,
            )
        except requests.RequestException as exc:
            self.report.record_failure(label, f"no answer: {type(exc).__name__}", repr(case))
            return
        self.report.statuses[(label, response.status_code)] += 1
        try:
            case.validate_response(
                response, checks=[no_server_error, *CHECKS], headers=self.headers
            )
        except (AssertionError, BaseExceptionGroup) as exc:
            for kind in _failure_kinds(exc):
                self.report.record_failure(label, kind, str(exc)[:2000])
        if reloading and response.status_code == 200:
            self._wait_for_reload(before)

    def _startup(self) -> str | None:
        """``bot_startup`` of ``/health``: it changes when a reload has rebuilt the bot."""
        try:
            answer = self.session.get(
                f"{self.base_url}/api/v1/health", headers=self.headers, timeout=2
            )
        except requests.RequestException:
            return None
        if answer.status_code != 200:
            return None
        startup: str | None = answer.json().get("bot_startup")
        return startup

    def _wait_for_reload(self, before: str | None) -> None:
        """The HTTP server restarts with the rebuilt bot: bounded wait until the new one answers."""
        deadline = time.monotonic() + RELOAD_TIMEOUT
        while time.monotonic() < deadline:
            now = self._startup()
            if now is not None and now != before:
                return
            time.sleep(0.1)
        self.report.record_failure(RELOAD_PATH, "the bot did not come back after reload", "")
