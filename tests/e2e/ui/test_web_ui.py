"""The web UI in headless Chromium against a real dry-run bot on the simulated exchange."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.ui.bot_process import WHITELIST, BotProcess
from tests.e2e.ui.browser_watch import BrowserWatch, record_timing, screenshot

# One bot and one browser serve the whole module; with `--dist loadgroup` xdist keeps it together.
pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("web-ui")]

PLOT_TRACES = "document.querySelector('[data-testid=chart-plot]').data"
LOAD_TIMES = """() => {
    const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
    const navigation = performance.getEntriesByType('navigation')[0];
    return {
        first_contentful_paint_ms: mark('first-contentful-paint'),
        dom_content_loaded_ms: navigation.domContentLoadedEventEnd,
        dashboard_ready_ms: mark('dashboard-ready'),
        daily_chart_ready_ms: mark('dashboard-chart-ready'),
    };
}"""


def login(page: Page, bot: BotProcess, password: str | None = None) -> None:
    page.goto(f"{bot.url}/")
    page.get_by_test_id("login-name").fill("e2e bot")
    page.get_by_test_id("login-url").fill(bot.url)
    page.get_by_test_id("login-username").fill(bot.username)
    page.get_by_test_id("login-password").fill(password or bot.password)
    page.get_by_test_id("login-submit").click()


def login_to_dashboard(page: Page, bot: BotProcess) -> None:
    login(page, bot)
    expect(page.locator("[data-testid=view-dashboard][data-ready=true]")).to_be_visible()


def free_pair(bot: BotProcess) -> str:
    """A whitelisted pair without an open trade (the strategy trades on its own, too)."""
    taken = {trade["pair"] for trade in bot.api("/status")}
    return next(pair for pair in WHITELIST if pair not in taken)


def force_enter(
    page: Page, pair: str, *, limit_price: float | None = None, tag: str | None = None
) -> str:
    """Force-enter from the Control view (market order unless a limit price is given)."""
    page.get_by_test_id("nav-control").click()
    page.get_by_test_id("control-force-enter").click()
    form = page.get_by_test_id("force-form")
    form.get_by_test_id("force-pair").fill(pair)
    if limit_price is None:
        form.get_by_test_id("force-ordertype").select_option("market")
    else:
        form.get_by_test_id("force-ordertype").select_option("limit")
        form.get_by_test_id("force-price").fill(str(limit_price))
    if tag:
        form.get_by_test_id("force-tag").fill(tag)
        screenshot(page, "force_entry_dialog")
    form.get_by_test_id("dialog-confirm").click()
    result = page.get_by_test_id("force-result")
    expect(result).to_contain_text(f"on {pair} opened")
    return re.search(r"#(\d+)", result.inner_text()).group(1)  # type: ignore[union-attr]


def test_login_fills_the_dashboard_and_reload_measures_first_paint(
    page: Page, bot: BotProcess, watch: BrowserWatch
) -> None:
    login_to_dashboard(page, bot)
    expect(page.get_by_test_id("card-state-value")).to_have_text("running")
    expect(page.get_by_test_id("bot-state")).to_have_text("running")
    expect(page.get_by_test_id("bot-mode")).to_have_text("dry-run")
    expect(page.get_by_test_id("card-open-value")).to_have_text(re.compile(r"^\d+ / 10$"))
    expect(page.get_by_test_id("card-balance-value")).to_contain_text("BTC")
    expect(page.get_by_test_id("card-profit-closed-value")).to_have_text(
        re.compile(r"^-?\d+\.\d{8} BTC$")
    )
    expect(page.get_by_test_id("ws-status")).to_have_attribute("data-state", "open")
    expect(page.locator("[data-testid=daily-chart] .main-svg").first).to_be_attached()

    # A returning user: tokens in localStorage, straight into the dashboard.
    with watch.navigation():
        page.reload()
    expect(page.locator("[data-testid=view-dashboard][data-ready=true]")).to_be_visible()
    page.wait_for_function("performance.getEntriesByName('dashboard-chart-ready').length > 0")
    timings = page.evaluate(LOAD_TIMES)
    record_timing("dashboard", {k: round(v, 1) for k, v in timings.items()})
    assert timings["dashboard_ready_ms"] < 5000


def test_chart_draws_candles_volume_plot_config_and_updates_live(
    page: Page, bot: BotProcess
) -> None:
    login_to_dashboard(page, bot)
    page.get_by_test_id("nav-chart").click()
    plot = page.get_by_test_id("chart-plot")
    expect(plot).to_have_attribute("data-candles", re.compile(r"^[1-9]\d*$"))
    traces: list[dict[str, Any]] = page.evaluate(
        f"""() => {PLOT_TRACES}.map(t => ({{
            name: t.name, type: t.type, yaxis: t.yaxis, fill: t.fill || null,
            color: (t.line && t.line.color) || null, points: (t.x || []).length }}))"""
    )
    by_name = {t["name"]: t for t in traces}
    pair = page.get_by_test_id("chart-pair").input_value()
    assert by_name[pair]["type"] == "candlestick"
    assert by_name["Volume"]["type"] == "bar"
    # SampleStrategy.plot_config: main_plot overlays on the price axis …
    assert by_name["tema"] == {
        **by_name["tema"],
        "type": "scatter",
        "yaxis": "y",
        "color": "orange",
    }
    assert by_name["bb_middleband"]["color"] == "red"
    assert by_name["Bollinger band"]["fill"] == "tonexty"
    # … and one stacked subplot (own y axis) per subplots entry.
    assert by_name["rsi"]["yaxis"] == "y3" and by_name["rsi"]["color"] == "blue"
    assert by_name["bb_percent"]["yaxis"] == "y4" and by_name["bb_percent"]["color"] == "purple"
    candles = int(plot.get_attribute("data-candles") or 0)
    assert candles == 1000, "the live chart asks for the last 1000 analysed candles"
    assert by_name[pair]["points"] == candles
    record_timing(
        "chart_1000_candles",
        {
            "candles": candles,
            "render_ms": float(plot.get_attribute("data-render-ms") or 0),
            "fetch_and_render_ms": float(plot.get_attribute("data-load-ms") or 0),
        },
    )
    assert float(plot.get_attribute("data-render-ms") or 0) < 3000

    # A new analysed candle (one per second at 300x) redraws the chart.
    page.evaluate("document.querySelector('[data-testid=chart-plot]').dataset.renders = '0'")
    page.wait_for_function(
        "Number(document.querySelector('[data-testid=chart-plot]').dataset.renders) >= 1",
        timeout=15000,
    )
    screenshot(page, "chart_live")


def test_historic_chart_analyses_stored_candles_with_a_chosen_strategy(
    page: Page, bot: BotProcess, watch: BrowserWatch
) -> None:
    login_to_dashboard(page, bot)
    page.get_by_test_id("nav-chart").click()
    plot = page.get_by_test_id("chart-plot")
    expect(plot).to_have_attribute("data-candles", re.compile(r"^[1-9]\d*$"))
    page.get_by_test_id("chart-mode-historic").click()
    expect(page.get_by_test_id("chart-historic-hint")).to_be_visible()
    expect(page.get_by_test_id("chart-strategy")).to_have_value("SampleStrategy")

    # A range without stored data: the bot's 502 `detail` is shown.
    watch.expect("/api/v1/pair_history", 502)
    page.get_by_test_id("chart-from").fill("2030-01-01")
    page.get_by_test_id("chart-load").click()
    expect(page.get_by_test_id("chart-error")).to_contain_text("No data for ETH/BTC")

    # The stored sample candles (January 2018), analysed by SampleStrategy on demand.
    page.get_by_test_id("chart-from").fill("2018-01-20")
    page.get_by_test_id("chart-to").fill("2018-01-23")
    page.get_by_test_id("chart-load").click()
    expect(plot).to_have_attribute("data-candles", "864")  # 3 days of 5m candles
    expect(page.get_by_test_id("chart-error")).to_have_count(0)
    assert "mode=historic" in page.evaluate("location.hash")
    names = page.evaluate(f"{PLOT_TRACES}.map(t => t.name)")
    assert {"ETH/BTC", "Volume", "tema", "rsi", "bb_percent"} <= set(names)


def test_force_enter_then_partial_and_full_force_exit(page: Page, bot: BotProcess) -> None:
    pair = free_pair(bot)
    login_to_dashboard(page, bot)
    trade_id = force_enter(page, pair, tag="ui_test")

    # It appears among the open trades (dashboard updates over the WebSocket, no reload).
    page.get_by_test_id("nav-dashboard").click()
    expect(page.locator(f"[data-testid=open-trades-row][data-id='{trade_id}']")).to_be_visible()
    page.get_by_test_id("nav-trades").click()
    row = page.locator(f"[data-testid=trades-open-row][data-id='{trade_id}']")
    expect(row).to_contain_text(pair)
    row.click()
    expect(page.get_by_test_id("trade-state")).to_have_text("open")
    expect(page.get_by_test_id("trade-summary")).to_contain_text("ui_test")
    expect(page.get_by_test_id("trade-orders-row").first).to_contain_text("closed")  # entry filled
    amount = float(bot.api(f"/trade/{trade_id}")["amount"])

    # Partial market exit of half the position: the trade stays open with less.
    page.get_by_test_id("trade-forceexit").click()
    exit_form = page.get_by_test_id("exit-form")
    exit_form.get_by_test_id("exit-partial").check()
    exit_form.get_by_test_id("exit-amount").fill(str(amount / 2))
    exit_form.get_by_test_id("exit-ordertype").select_option("market")
    screenshot(page, "force_exit_dialog")
    exit_form.get_by_test_id("dialog-confirm").click()
    created = page.get_by_test_id("toast-success").filter(has_text=f"order for trade {trade_id}")
    expect(created).to_be_visible()
    page.wait_for_function(
        "document.querySelectorAll('[data-testid=trade-orders-row]').length >= 2", timeout=15000
    )
    expect(page.get_by_test_id("trade-state")).to_have_text("open")

    # Full exit: the trade moves to the closed trades.
    page.get_by_test_id("trade-forceexit").click()
    exit_form = page.get_by_test_id("exit-form")
    exit_form.get_by_test_id("exit-ordertype").select_option("market")
    exit_form.get_by_test_id("dialog-confirm").click()
    expect(page.get_by_test_id("trade-state")).to_have_text("closed", timeout=20000)
    page.get_by_test_id("trade-back").click()
    closed = page.locator(f"[data-testid=trades-closed-row][data-id='{trade_id}']")
    expect(closed).to_contain_text("force_exit")
    page.get_by_test_id("trades-filter").fill(pair)
    expect(closed).to_be_visible()
    expect(page.locator("[data-testid=trades-closed-row]").filter(has_not_text=pair)).to_have_count(
        0
    )


def test_cancel_open_order_and_delete_trade(
    page: Page, bot: BotProcess, watch: BrowserWatch
) -> None:
    login_to_dashboard(page, bot)
    # A limit entry far below the market stays open; cancelling it removes the unfilled trade
    # (the bot answers 502 "no active trade", which the UI reports as a removal).
    pair = free_pair(bot)
    price = float(bot.api(f"/pair_candles?pair={pair}&timeframe=5m&limit=1")["data"][0][4])
    trade_id = force_enter(page, pair, limit_price=round(price / 2, 8))
    page.goto(f"{bot.url}/#/trades/{trade_id}")
    watch.expect(f"/api/v1/trades/{trade_id}/open-order", 502)
    page.get_by_test_id("trade-cancel-order").click()
    page.get_by_test_id("dialog-confirm").click()
    expect(page.get_by_test_id("toast-success").filter(has_text="was removed")).to_be_visible()
    expect(page.get_by_test_id("view-trades")).to_be_visible()
    expect(page.locator(f"[data-testid=trades-open-row][data-id='{trade_id}']")).to_have_count(0)

    # Deleting a filled trade, after confirming.
    pair = free_pair(bot)
    trade_id = force_enter(page, pair)
    page.goto(f"{bot.url}/#/trades/{trade_id}")
    page.get_by_test_id("trade-delete").click()
    expect(page.get_by_test_id("dialog")).to_contain_text("NOT closed")
    page.get_by_test_id("dialog-cancel").click()
    expect(page.get_by_test_id("trade-state")).to_have_text("open")
    page.get_by_test_id("trade-delete").click()
    page.get_by_test_id("dialog-confirm").click()
    deleted = page.get_by_test_id("toast-success").filter(has_text=f"Deleted trade #{trade_id}")
    expect(deleted).to_be_visible()
    expect(page.get_by_test_id("view-trades")).to_be_visible()
    expect(page.locator(f"[data-testid=trades-open-row][data-id='{trade_id}']")).to_have_count(0)
    assert all(str(t["trade_id"]) != trade_id for t in bot.api("/status"))


def test_blacklist_add_remove_and_pair_lock(page: Page, bot: BotProcess) -> None:
    login_to_dashboard(page, bot)
    page.get_by_test_id("nav-pairs").click()
    expect(page.get_by_test_id("whitelist-item")).to_have_count(len(WHITELIST))
    page.get_by_test_id("blacklist-input").fill("DOGE/.*")
    page.get_by_test_id("blacklist-add").click()
    entry = page.locator("[data-testid=blacklist-item][data-pair='DOGE/.*']")
    expect(entry).to_be_visible()
    assert "DOGE/.*" in bot.api("/blacklist")["blacklist"]
    entry.get_by_test_id("blacklist-remove").click()
    expect(entry).to_have_count(0)
    assert "DOGE/.*" not in bot.api("/blacklist")["blacklist"]

    until = (datetime.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_test_id("lock-pair").fill("XMR/BTC")
    page.get_by_test_id("lock-until").fill(until)
    page.get_by_test_id("lock-reason").fill("ui test lock")
    page.get_by_test_id("lock-add").click()
    lock = page.locator("[data-testid=locks-row]").filter(has_text="ui test lock")
    expect(lock).to_contain_text("XMR/BTC")
    screenshot(page, "pairs_with_lock")
    lock.get_by_test_id("lock-delete").click()
    page.get_by_test_id("dialog-confirm").click()
    expect(lock).to_have_count(0)


def test_logs_tail_and_level_filter(page: Page, bot: BotProcess) -> None:
    login_to_dashboard(page, bot)
    page.get_by_test_id("nav-logs").click()
    lines = page.get_by_test_id("log-line")
    expect(lines.first).to_be_visible()
    expect(page.get_by_test_id("logs-list")).to_contain_text("tradewind")
    count_before = lines.count()
    page.get_by_test_id("logs-level").select_option("WARNING")
    levels = page.eval_on_selector_all(
        "[data-testid=log-line]", "els => els.map(e => e.dataset.level)"
    )
    assert set(levels) <= {"WARNING", "ERROR", "CRITICAL"}
    assert len(levels) <= count_before
    page.get_by_test_id("logs-level").select_option("DEBUG")
    expect(lines.first).to_be_visible()


def test_system_view_shows_version_health_and_config(page: Page, bot: BotProcess) -> None:
    login_to_dashboard(page, bot)
    page.get_by_test_id("nav-system").click()
    expect(page.get_by_test_id("system-version")).to_have_text(bot.api("/version")["version"])
    expect(page.get_by_test_id("health")).to_contain_text("ago")
    expect(page.get_by_test_id("sysinfo")).to_contain_text("%")
    expect(page.get_by_test_id("show-config")).to_contain_text("SampleStrategy")
    expect(page.get_by_test_id("show-config")).not_to_contain_text(bot.password)


def test_log_out_forgets_the_tokens(page: Page, bot: BotProcess) -> None:
    login_to_dashboard(page, bot)
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("login-notice")).to_have_text("Logged out.")
    stored = page.evaluate("JSON.parse(localStorage.getItem('tradewind.bots'))")
    assert stored and all(b["accessToken"] is None and b["refreshToken"] is None for b in stored)
    assert all("password" not in b for b in stored)
    page.goto(f"{bot.url}/#/trades")
    expect(page.get_by_test_id("login-form")).to_be_visible()


def test_wrong_password_shows_an_error(page: Page, bot: BotProcess, watch: BrowserWatch) -> None:
    watch.expect("/api/v1/token/login", 401)
    login(page, bot, password="not the password")
    expect(page.get_by_test_id("login-error")).to_have_text("Wrong username or password.")
    expect(page.get_by_test_id("nav")).to_be_hidden()


def test_unreachable_bot_and_expired_session_are_explained(
    page: Page, bot: BotProcess, watch: BrowserWatch
) -> None:
    dead = "http://127.0.0.1:9"
    watch.expect(dead, None)
    page.goto(f"{bot.url}/")
    page.get_by_test_id("login-url").fill(dead)
    page.get_by_test_id("login-username").fill("x")
    page.get_by_test_id("login-password").fill("y")
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("login-error")).to_contain_text("Bot unreachable")

    # An expired access token is renewed silently with the refresh token …
    login_to_dashboard(page, bot)
    watch.expect("/api/v1/", 401)
    page.evaluate(
        """() => { const bots = JSON.parse(localStorage.getItem('tradewind.bots'));
                   bots.forEach(b => { b.accessToken = 'expired'; });
                   localStorage.setItem('tradewind.bots', JSON.stringify(bots)); }"""
    )
    with watch.navigation():
        page.reload()
    expect(page.locator("[data-testid=view-dashboard][data-ready=true]")).to_be_visible()
    # … and when the refresh token is refused too, the user is sent back to log in.
    page.evaluate(
        """() => { const bots = JSON.parse(localStorage.getItem('tradewind.bots'));
                   bots.forEach(b => { b.accessToken = 'expired'; b.refreshToken = 'expired'; });
                   localStorage.setItem('tradewind.bots', JSON.stringify(bots)); }"""
    )
    with watch.navigation():
        page.reload()
    expect(page.get_by_test_id("login-notice")).to_contain_text("session has expired")


def test_phone_layout_in_both_themes(
    browser: Browser, bot: BotProcess, watch: BrowserWatch
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, color_scheme="dark", is_mobile=True
    )
    page = context.new_page()
    watch.attach(page)
    try:
        login_to_dashboard(page, bot)
        page.wait_for_function("performance.getEntriesByName('dashboard-chart-ready').length > 0")
        overflow = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        assert page.evaluate(overflow) <= 0, "the page scrolls sideways on a phone"
        screenshot(page, "phone_dashboard_dark")
        page.get_by_test_id("nav-chart").click()
        expect(page.get_by_test_id("chart-plot")).to_have_attribute("data-candles", "1000")
        screenshot(page, "phone_chart_dark")
        page.get_by_test_id("theme-toggle").click()
        expect(page.locator("html")).to_have_attribute("data-theme", "light")
        page.get_by_test_id("nav-trades").click()
        expect(page.get_by_test_id("trades-open")).to_be_visible()
        assert page.evaluate(overflow) <= 0
        screenshot(page, "phone_trades_light")
    finally:
        context.close()
    assert not watch.problems(), "\n".join(watch.problems())
