// Chart: live candles of a whitelisted pair (pair_candles, redrawn on each new_candle) or a
// historic range analysed on demand (pair_history with a chosen strategy), drawn with the
// strategy's plot_config and the bot's trades.

import { buildFigure, priceRange } from "../chart-figure.js";
import { errorBox, field, h, setChildren, throttle } from "../dom.js";
import { compactDay, fmtAgo, inputDay } from "../format.js";
import { PLOT_OPTIONS, loadPlotly, purge, themeColors } from "../plot.js";
import { replaceQuery } from "../router.js";

const TIMEFRAMES = ["1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d"];
const LIVE_LIMIT = 1000;
const DAY_MS = 86400000;

/** "YYYYMMDD" (URL) → "YYYY-MM-DD" (date input). */
function dashed(day) {
  return /^\d{8}$/.test(day || "") ? `${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}` : "";
}

function options(select, values, selected) {
  setChildren(select, values.map((v) => h("option", { value: v, selected: v === selected }, v)));
  if (selected && values.includes(selected)) select.value = selected;
}

export function mount(root, ctx) {
  const { session, bus } = ctx;
  const query = ctx.route.query;
  const state = {
    mode: query.get("mode") === "historic" ? "historic" : "live",
    pair: query.get("pair") || "",
    timeframe: query.get("tf") || session.config?.timeframe || "5m",
    strategy: query.get("strategy") || session.config?.strategy || "",
    history: null,
    plotConfig: null,
    plotConfigFor: null,
    trades: [],
    tradesStale: true,
  };
  let alive = true;
  let loadingNow = false;
  let reloadPending = false;

  const pairSelect = h("select", { "data-testid": "chart-pair", onChange: (e) => { state.pair = e.target.value; reload(); } });
  const tfSelect = h("select", { "data-testid": "chart-timeframe", onChange: (e) => { state.timeframe = e.target.value; reload(); } });
  const strategySelect = h("select", { "data-testid": "chart-strategy", onChange: (e) => { state.strategy = e.target.value; } });
  const from = h("input", { type: "date", value: dashed(query.get("from")), "data-testid": "chart-from" });
  const to = h("input", { type: "date", value: dashed(query.get("to")), "data-testid": "chart-to" });
  const loadButton = h("button", { type: "button", class: "btn btn-primary", "data-testid": "chart-load", onClick: () => reload() }, "Load");
  const historicFields = h("div", { class: "chart-controls", hidden: true },
    field("Strategy", strategySelect), field("From", from), field("To (empty: open end)", to), loadButton);
  const modeButtons = ["live", "historic"].map((mode) =>
    h("button", { type: "button", "aria-pressed": String(state.mode === mode), "data-testid": `chart-mode-${mode}`, onClick: () => setMode(mode) }, mode === "live" ? "Live" : "Historic"));
  const info = h("div", { class: "muted", "data-testid": "chart-info", "aria-live": "polite" });
  const message = h("div");
  const plot = h("div", { class: "plot plot-chart", "data-testid": "chart-plot", role: "img", "aria-label": "Candlestick chart" });

  setChildren(root,
    h("div", { class: "view-head" }, h("h1", {}, "Chart"), h("span", { class: "spacer" }), h("div", { class: "segmented", role: "group", "aria-label": "Data source" }, modeButtons)),
    h("section", { class: "card" },
      h("div", { class: "chart-controls" }, field("Pair", pairSelect), field("Timeframe", tfSelect),
        h("button", { type: "button", class: "btn", "data-testid": "chart-refresh", onClick: () => reload() }, "Refresh")),
      historicFields, info, message, plot));

  function setMode(mode) {
    state.mode = mode;
    modeButtons.forEach((b, i) => b.setAttribute("aria-pressed", String(["live", "historic"][i] === mode)));
    historicFields.hidden = mode !== "historic";
    if (mode === "historic") prepareHistoric();
    else reload();
  }

  function clearPlot() {
    purge(plot);
    delete plot.dataset.candles;
    delete plot.dataset.autoscale;
    info.textContent = "";
  }

  function showHistoricHint() {
    clearPlot();
    setChildren(message, h("div", { class: "alert alert-info", "data-testid": "chart-historic-hint" },
      "Historic data is read from the bot's data directory and analysed with the chosen strategy. Pick a range and press Load."));
  }

  function syncQuery() {
    const q = { pair: state.pair, tf: state.timeframe };
    if (state.mode === "historic") Object.assign(q, { mode: "historic", strategy: state.strategy, from: from.value.replaceAll("-", ""), to: to.value.replaceAll("-", "") });
    replaceQuery(q);
  }

  async function loadPairs() {
    let pairs = session.whitelist;
    try {
      pairs = (await session.api.get("/whitelist")).whitelist;
    } catch (err) {
      if (!pairs.length) throw err;
    }
    if (!state.pair) state.pair = pairs[0] || "";
    options(pairSelect, state.pair && !pairs.includes(state.pair) ? [state.pair, ...pairs] : pairs, state.pair);
    const tfs = [...new Set([session.config?.timeframe, ...TIMEFRAMES].filter(Boolean))];
    options(tfSelect, tfs.includes(state.timeframe) ? tfs : [state.timeframe, ...tfs], state.timeframe);
  }

  let strategiesLoaded = false;
  async function prepareHistoric() {
    if (!strategiesLoaded) {
      try {
        const { strategies } = await session.api.get("/strategies");
        if (!strategies.includes(state.strategy)) state.strategy = strategies[0] || "";
        options(strategySelect, strategies, state.strategy);
        strategiesLoaded = true;
      } catch (err) {
        setChildren(message, errorBox(new Error(`Strategies: ${err.message}`)));
        return;
      }
    }
    if (from.value) return reload();
    // A first guess: the range of the live candles (the user adjusts it to the stored data).
    const stop = state.history?.data_stop_ts || Date.now();
    const start = state.history?.data_start_ts || stop - 3 * DAY_MS;
    from.value = inputDay(new Date(start));
    to.value = "";
    showHistoricHint();
  }

  function timerange() {
    const start = from.value ? compactDay(new Date(`${from.value}T00:00`)) : "";
    const end = to.value ? compactDay(new Date(`${to.value}T00:00`)) : "";
    return `${start}-${end}`;
  }

  async function fetchPlotConfig() {
    const key = state.mode === "historic" ? state.strategy : "";
    if (state.plotConfigFor === key && state.plotConfig) return;
    state.plotConfig = await session.api.get("/plot_config", key ? { strategy: key } : undefined);
    state.plotConfigFor = key;
  }

  async function fetchTrades() {
    if (!state.tradesStale) return;
    state.tradesStale = false;
    const [open, closed] = await Promise.all([
      session.api.get("/status"),
      session.api.get("/trades", { limit: 500, order_by_id: false }),
    ]);
    state.trades = [...open, ...closed.trades].filter((t) => t.pair === state.pair);
  }

  async function fetchCandles() {
    if (state.mode === "historic") {
      return session.api.get("/pair_history", { pair: state.pair, timeframe: state.timeframe, timerange: timerange(), strategy: state.strategy });
    }
    return session.api.get("/pair_candles", { pair: state.pair, timeframe: state.timeframe, limit: LIVE_LIMIT });
  }

  async function reload() {
    if (!state.pair) return;
    if (state.mode === "historic" && !from.value) {
      setChildren(message, h("div", { class: "alert alert-warn", "data-testid": "chart-error" }, "Choose the start date of the historic range."));
      return;
    }
    if (loadingNow) {
      reloadPending = true;
      return;
    }
    loadingNow = true;
    reloadPending = false;
    syncQuery();
    const started = performance.now();
    try {
      const [history] = await Promise.all([fetchCandles(), fetchPlotConfig(), fetchTrades(), loadPlotly()]);
      if (!alive) return;
      state.history = history;
      setChildren(message);
      await draw(started);
    } catch (err) {
      if (!alive || err.kind === "auth") return;
      state.tradesStale = true;
      if (state.mode === "historic") clearPlot();
      setChildren(message, errorBox(err, { onRetry: reload, testid: "chart-error" }));
    } finally {
      loadingNow = false;
      if (reloadPending && alive) reload();
    }
  }

  async function draw(started = performance.now()) {
    const history = state.history;
    if (!history) return;
    if (!history.length) {
      clearPlot();
      plot.dataset.candles = "0";
      setChildren(message, h("div", { class: "alert alert-info", "data-testid": "chart-empty" },
        state.mode === "live"
          ? `No analysed candles for ${state.pair} ${state.timeframe} yet. The bot analyses its whitelist on the strategy timeframe (${session.config?.timeframe || "?"}) and informative pairs.`
          : `No candles for ${state.pair} ${state.timeframe} in ${timerange()}.`));
      return;
    }
    const renderStart = performance.now();
    const figure = buildFigure({
      history,
      plotConfig: state.plotConfig,
      trades: state.trades,
      colors: themeColors(),
      pair: state.pair,
      narrow: plot.clientWidth < 600,
    });
    await window.Plotly.react(plot, figure.data, figure.layout, PLOT_OPTIONS);
    const end = performance.now();
    performance.measure("chart-render", { start: renderStart, end, detail: { candles: figure.candles } });
    Object.assign(plot.dataset, {
      candles: String(figure.candles),
      renderMs: (end - renderStart).toFixed(1),
      loadMs: (end - started).toFixed(1),
      renders: String(Number(plot.dataset.renders || 0) + 1),
    });
    attachAutoscale();
    const analysed = history.last_analyzed_ts ? ` · analysed ${fmtAgo(history.last_analyzed_ts * 1000)}` : "";
    info.textContent = `${figure.candles} candles · ${history.enter_long_signals + history.enter_short_signals} entry / ${history.exit_long_signals + history.exit_short_signals} exit signals${state.mode === "live" ? analysed : ""}`;
    if (figure.missing.length) {
      setChildren(message, h("div", { class: "alert alert-warn" }, `plot_config columns missing from the data: ${figure.missing.join(", ")}`));
    }
  }

  // Fit the price axis to the visible candles when the user pans or zooms the time axis.
  function attachAutoscale() {
    if (plot.dataset.autoscale) return;
    plot.dataset.autoscale = "on";
    plot.on("plotly_relayout", (event) => {
      const x0 = event["xaxis.range[0]"] ?? event["xaxis.range"]?.[0];
      const x1 = event["xaxis.range[1]"] ?? event["xaxis.range"]?.[1];
      if (x0 === undefined || !state.history) return;
      const xs = plot.data[0].x;
      const first = Math.max(0, xs.findIndex((v) => v >= x0));
      let last = xs.length - 1;
      while (last > first && xs[last] > x1) last -= 1;
      const range = priceRange(state.history, first, last);
      if (range) window.Plotly.relayout(plot, { "yaxis.range": range });
    });
  }

  const reloadLive = throttle(() => alive && state.mode === "live" && reload(), 1000);
  const onCandle = (msg) => {
    const [pair, timeframe] = msg.data || [];
    if (pair === state.pair && timeframe === state.timeframe) reloadLive();
  };
  const onTrade = throttle(() => {
    state.tradesStale = true;
    if (alive) reload();
  }, 1500);
  const offs = [
    bus.on("ws:new_candle", onCandle),
    ...["entry_fill", "exit_fill"].map((t) => bus.on(`ws:${t}`, (msg) => { if (msg.pair === state.pair) onTrade(); })),
    bus.on("theme", () => draw()),
    bus.on("resync", () => { state.tradesStale = true; reloadLive(); }),
  ];

  (async () => {
    try {
      await loadPairs();
    } catch (err) {
      if (err.kind !== "auth") setChildren(message, errorBox(err, { onRetry: () => location.reload(), testid: "chart-error" }));
      return;
    }
    if (!state.pair) {
      setChildren(message, h("div", { class: "alert alert-info" }, "The whitelist is empty — there is nothing to chart."));
      return;
    }
    setMode(state.mode);
  })();

  return () => {
    alive = false;
    offs.forEach((off) => off());
    purge(plot);
  };
}
