"""Fixtures of the UI suite: one bot per module, one Chromium per module, a fresh page per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.e2e.ui.bot_process import BotProcess, start_bot
from tests.e2e.ui.browser_watch import CHROMIUM, CHROMIUM_ARGS, BrowserWatch, screenshot


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BotProcess]:
    process = start_bot(tmp_path_factory.mktemp("ui-bot"))
    yield process
    process.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's package (apt-get install -y "
            "chromium). The UI tests never download a browser and are not skipped."
        )
    with sync_playwright() as playwright:
        # launch() gives every run a fresh temporary user-data dir.
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def watch() -> BrowserWatch:
    return BrowserWatch()


@pytest.fixture
def page(browser: Browser, watch: BrowserWatch, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A page in a fresh context (empty localStorage). Saves a screenshot when the test ends and
    fails the test on any unexpected console error/warning or failed request."""
    context = browser.new_context(viewport={"width": 1280, "height": 860}, color_scheme="dark")
    new_page = context.new_page()
    new_page.set_default_timeout(15000)
    watch.attach(new_page)
    yield new_page
    screenshot(new_page, request.node.name)
    problems = watch.problems()
    with watch.navigation():
        context.close()
    assert not problems, "browser problems:\n" + "\n".join(problems)
