// Dashboard: state, open trades / max, profit (closed, open, all), balance, win rate, the daily
// profit bars and the open trades. Fills and state changes arrive over the WebSocket; only the
// unrealised profit of open trades is refreshed on new candles (prices are not on the WS).

import { errorBox, errorList, h, setChildren, throttle } from "../dom.js";
import { fmtRatio, fmtStake, profitClass } from "../format.js";
import { PLOT_OPTIONS, axisStyle, baseLayout, loadPlotly, purge, themeColors } from "../plot.js";
import { dataTable } from "../table.js";
import { openTradeColumns } from "../trade-columns.js";

const FILL_EVENTS = ["entry", "entry_fill", "entry_cancel", "exit", "exit_fill", "exit_cancel"];

function card(id, label) {
  const value = h("div", { class: "stat-value", "data-testid": `${id}-value` }, "…");
  const sub = h("div", { class: "stat-sub", "data-testid": `${id}-sub` });
  return { el: h("section", { class: "card", "data-testid": id }, h("div", { class: "stat-label" }, label), value, sub), value, sub };
}

function setStat(c, valueText, subText, valueClass = "", unit = "") {
  setChildren(c.value, valueText, unit ? h("span", { class: "stat-unit" }, ` ${unit}`) : null);
  c.value.className = `stat-value ${valueClass}`.trim();
  c.sub.textContent = subText || "";
}

export function mount(root, ctx) {
  const { session, bus } = ctx;
  const cards = {
    state: card("card-state", "Bot state"),
    open: card("card-open", "Open trades"),
    closed: card("card-profit-closed", "Closed profit"),
    unrealised: card("card-profit-open", "Open profit"),
    all: card("card-profit-all", "Total profit"),
    balance: card("card-balance", "Balance"),
  };
  const errors = h("div", { "data-testid": "dashboard-errors" });
  const daily = h("div", { class: "plot", "data-testid": "daily-chart", role: "img", "aria-label": "Daily profit bar chart" });
  const dailyNote = h("div");
  const table = dataTable({
    columns: openTradeColumns(session),
    testid: "open-trades",
    empty: "No open trades.",
    caption: "Open trades",
    rowId: (t) => t.trade_id,
    onRowClick: (t) => ctx.navigate(`/trades/${t.trade_id}`),
    sort: { key: "trade_id", dir: "asc" },
  });

  setChildren(
    root,
    h("div", { class: "view-head" }, h("h1", {}, "Dashboard"), h("span", { class: "spacer" }),
      h("button", { type: "button", class: "btn btn-sm", "data-testid": "dashboard-refresh", onClick: () => loadAll() }, "Refresh")),
    errors,
    h("div", { class: "grid grid-cards" }, Object.values(cards).map((c) => c.el)),
    h("section", { class: "card section" }, h("h2", {}, "Open trades"), table.el),
    h("section", { class: "card section" }, h("h2", {}, "Daily profit (30 days)"), dailyNote, daily),
  );

  let alive = true;
  let status = [];
  let firstPaint = true;
  const problems = new Map();

  function showProblems() {
    setChildren(errors, errorList([...problems.entries()], { onRetry: loadAll, testid: "dashboard-error" }));
  }

  async function attempt(what, fn) {
    try {
      await fn();
      problems.delete(what);
    } catch (err) {
      if (err.kind === "auth") return;
      problems.set(what, err);
    }
  }

  function renderState() {
    const config = session.config;
    if (!config) return setStat(cards.state, "unknown", "show_config unavailable");
    setStat(cards.state, config.state || "—", [config.dry_run ? "dry-run" : "live", config.strategy, config.timeframe].filter(Boolean).join(" · "));
    cards.state.value.classList.add(config.state === "running" ? "pos" : config.state === "stopped" ? "neg" : "muted");
  }

  function renderOpen() {
    const dec = session.stakeDecimals;
    const cur = session.stakeCurrency;
    const max = session.config?.max_open_trades;
    const maxText = max === undefined ? "?" : max < 0 ? "∞" : String(Math.round(max));
    const staked = status.reduce((sum, t) => sum + (t.stake_amount || 0), 0);
    setStat(cards.open, `${status.length} / ${maxText}`, `${fmtStake(staked, dec, cur)} in trades`);
    const profit = status.reduce((sum, t) => sum + (t.profit_abs || 0), 0);
    setStat(cards.unrealised, fmtStake(profit, dec), staked ? `${fmtRatio(profit / staked)} of stake` : "no open trades", profitClass(profit), cur);
    table.update(status);
  }

  async function loadStatus() {
    await attempt("Open trades", async () => {
      status = await session.api.get("/status");
      if (alive) renderOpen();
    });
  }

  async function loadProfit() {
    await attempt("Profit", async () => {
      const p = await session.api.get("/profit");
      if (!alive) return;
      const dec = session.stakeDecimals;
      const cur = session.stakeCurrency;
      const wins = p.closed_trade_count ? ` · ${fmtRatio(p.winrate, 0)} won` : "";
      setStat(cards.closed, fmtStake(p.profit_closed_coin, dec), `${fmtRatio(p.profit_closed_ratio)} · ${p.closed_trade_count} closed${wins}`, profitClass(p.profit_closed_coin), cur);
      setStat(cards.all, fmtStake(p.profit_all_coin, dec), `${fmtRatio(p.profit_all_ratio)} · ${p.trade_count} trades`, profitClass(p.profit_all_coin), cur);
    });
  }

  async function loadBalance() {
    await attempt("Balance", async () => {
      const b = await session.api.get("/balance");
      if (!alive) return;
      const ratio = b.starting_capital ? b.starting_capital_ratio : null;
      setStat(cards.balance, fmtStake(b.total, session.stakeDecimals),
        [ratio === null ? null : `${fmtRatio(ratio)} since start`, b.note].filter(Boolean).join(" · "), "", b.stake || session.stakeCurrency);
    });
  }

  async function loadDaily() {
    await attempt("Daily profit", async () => {
      const d = await session.api.get("/daily", { timescale: 30 });
      if (!alive) return;
      await drawDaily(d.data || []);
    });
  }

  let lastDaily = [];
  async function drawDaily(rows) {
    lastDaily = rows;
    setChildren(dailyNote, rows.some((r) => r.trade_count)
      ? null
      : h("p", { class: "muted", "data-testid": "daily-empty" }, "No trades closed in the last 30 days."));
    let Plotly;
    try {
      Plotly = await loadPlotly();
    } catch (err) {
      setChildren(dailyNote, errorBox(err));
      return;
    }
    if (!alive) return;
    const colors = themeColors();
    const ordered = [...rows].reverse();
    const trace = {
      type: "bar",
      name: "Daily profit",
      x: ordered.map((r) => r.date),
      y: ordered.map((r) => r.abs_profit),
      marker: { color: ordered.map((r) => (r.abs_profit < 0 ? colors.neg : colors.pos)) },
      customdata: ordered.map((r) => r.trade_count),
      hovertemplate: `%{x}: %{y:.${session.stakeDecimals}f} ${session.stakeCurrency}<br>%{customdata} trades<extra></extra>`,
    };
    const layout = baseLayout(colors, {
      height: 260,
      showlegend: false,
      hovermode: "closest",
      xaxis: axisStyle(colors, { type: "date" }),
      yaxis: axisStyle(colors, { title: { text: session.stakeCurrency } }),
    });
    await Plotly.react(daily, [trace], layout, PLOT_OPTIONS);
    performance.mark("dashboard-chart-ready");
  }

  async function loadAll() {
    await Promise.all([loadStatus(), loadProfit(), loadBalance()]);
    if (!alive) return;
    renderState();
    showProblems();
    if (firstPaint) {
      firstPaint = false;
      performance.mark("dashboard-ready");
      root.dataset.ready = "true";
    }
    await loadDaily();
    if (alive) showProblems();
  }

  renderState();
  loadAll();

  const refreshTrades = throttle(() => {
    if (!alive) return;
    Promise.all([loadStatus(), loadProfit(), loadBalance(), loadDaily()]).then(() => alive && showProblems());
  }, 1000);
  const refreshRates = throttle(() => alive && loadStatus(), 5000);
  const offs = [
    ...FILL_EVENTS.map((type) => bus.on(`ws:${type}`, refreshTrades)),
    bus.on("ws:new_candle", refreshRates),
    bus.on("config", () => { renderState(); renderOpen(); }),
    bus.on("theme", () => drawDaily(lastDaily)),
    bus.on("resync", () => alive && loadAll()),
  ];
  // Without a WebSocket connection fall back to polling.
  const poll = setInterval(() => {
    if (document.getElementById("ws-status")?.dataset.state !== "open") loadAll();
  }, 30000);

  return () => {
    alive = false;
    offs.forEach((off) => off());
    clearInterval(poll);
    purge(daily);
  };
}
