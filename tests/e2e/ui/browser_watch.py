"""Collects what went wrong in the browser: console errors/warnings, page errors, failed requests
and non-2xx API answers. A test declares the failures it provokes on purpose with `expect`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import ConsoleMessage, Page, Request, Response

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"


@dataclass
class Expected:
    """A failure the test provokes: matching URL text, and the status (None: network error)."""

    url_part: str
    status: int | None


@dataclass
class BrowserWatch:
    """Attach to a page; `problems()` lists everything unexpected that happened."""

    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    bad_responses: list[tuple[str, int]] = field(default_factory=list)
    expected: list[Expected] = field(default_factory=list)
    navigating: bool = False

    def attach(self, page: Page) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        page.on("requestfailed", self._on_request_failed)
        page.on("response", self._on_response)

    def expect(self, url_part: str, status: int | None) -> None:
        self.expected.append(Expected(url_part, status))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text} @ {message.location.get('url')}")

    @contextmanager
    def navigation(self) -> Iterator[None]:
        """A reload/close by the test itself: requests it cancels are not failures."""
        self.navigating = True
        try:
            yield
        finally:
            self.navigating = False

    def _on_request_failed(self, request: Request) -> None:
        failure = request.failure or "failed"
        if self.navigating and "ERR_ABORTED" in failure:
            return
        self.failed.append((request.url, failure))

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.bad_responses.append((response.url, response.status))

    def _is_expected(self, url: str, status: int | None) -> bool:
        return any(e.url_part in url and e.status == status for e in self.expected)

    def _is_expected_console(self, text: str) -> bool:
        # Chromium logs every failed resource load; those of provoked failures are expected.
        for e in self.expected:
            if e.status is not None and f"status of {e.status}" in text and e.url_part in text:
                return True
            if e.status is None and "net::ERR_" in text and e.url_part in text:
                return True
        return False

    def problems(self) -> list[str]:
        found = [f"page error: {e}" for e in self.errors]
        found += [c for c in self.console if not self._is_expected_console(c)]
        found += [
            f"request failed: {u} ({why})"
            for u, why in self.failed
            if not self._is_expected(u, None)
        ]
        found += [f"HTTP {s}: {u}" for u, s in self.bad_responses if not self._is_expected(u, s)]
        return found


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def record_timing(name: str, values: dict[str, Any]) -> None:
    """Keep measured load times in screenshots/timings.json (and print them for -s runs)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / "timings.json"
    data = json.loads(path.read_text()) if path.exists() else {}
    data[name] = values
    path.write_text(json.dumps(data, indent=2, sort_keys=True))
    print(f"\n[timing] {name}: {values}")
