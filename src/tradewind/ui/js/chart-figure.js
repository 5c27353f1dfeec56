// Builds the plotly figure of a pair: candlesticks, volume, the strategy's plot_config (overlays
// on the price axis, stacked subplots below), signal markers and the bot's trades. Pure: data in,
// {data, layout} out, so the chart view only loads data and draws.

import { plotDate } from "./format.js";
import { axisStyle, baseLayout } from "./plot.js";

const SIGNALS = [
  { column: "_enter_long_signal_close", legacy: "_buy_signal_close", name: "Entry signal (long)", symbol: "triangle-up", color: "pos" },
  { column: "_exit_long_signal_close", legacy: "_sell_signal_close", name: "Exit signal (long)", symbol: "triangle-down", color: "neg" },
  { column: "_enter_short_signal_close", name: "Entry signal (short)", symbol: "triangle-down", color: "warn" },
  { column: "_exit_short_signal_close", name: "Exit signal (short)", symbol: "triangle-up", color: "accent" },
];
const FALLBACK_COLORS = ["#e8a33d", "#4f8fe6", "#c65ad6", "#3fb68b", "#e05d5d", "#8c7ae6", "#d4b83a", "#3cb3c9"];
const INITIAL_WINDOW = 300;
const INITIAL_WINDOW_NARROW = 100;

/** Column accessor over the PairHistory rows. */
function columnReader(history) {
  const index = new Map(history.columns.map((name, i) => [name, i]));
  return {
    has: (name) => index.has(name),
    values: (name) => {
      const i = index.get(name);
      return history.data.map((row) => row[i]);
    },
  };
}

function timestamps(history, cols) {
  if (cols.has("__date_ts")) return cols.values("__date_ts");
  return cols.values("date").map((d) => (typeof d === "number" ? d : Date.parse(d)));
}

function indicatorTrace(name, options, x, y, axis, color) {
  const type = options.type || "line";
  const base = { name, x, y, yaxis: axis, hovertemplate: `${name}: %{y}<extra></extra>` };
  if (type === "bar") return { ...base, type: "bar", marker: { color }, opacity: 0.8 };
  if (type === "scatter") return { ...base, type: "scatter", mode: "markers", marker: { color, size: 5 } };
  return { ...base, type: "scatter", mode: "lines", line: { color, width: 1.5 }, connectgaps: false };
}

/** Traces of one plot_config group (main_plot or one subplot) on `axis`. */
function indicatorTraces(group, cols, x, axis, colorIndex, missing) {
  const traces = [];
  for (const [name, raw] of Object.entries(group || {})) {
    const options = raw && typeof raw === "object" ? raw : {};
    if (!cols.has(name)) {
      missing.push(name);
      continue;
    }
    const color = options.color || FALLBACK_COLORS[colorIndex.next++ % FALLBACK_COLORS.length];
    traces.push(indicatorTrace(name, options, x, cols.values(name), axis, color));
    if (options.fill_to && cols.has(options.fill_to)) {
      traces.push({
        type: "scatter",
        mode: "lines",
        name: options.fill_label || `${name} ↔ ${options.fill_to}`,
        x,
        y: cols.values(options.fill_to),
        yaxis: axis,
        line: { width: 0 },
        fill: "tonexty",
        fillcolor: options.fill_color || "rgba(128,128,128,0.15)",
        hoverinfo: "skip",
      });
    }
  }
  return traces;
}

function signalTraces(cols, x, colors) {
  return SIGNALS.flatMap((signal) => {
    const column = cols.has(signal.column) ? signal.column : signal.legacy && cols.has(signal.legacy) ? signal.legacy : null;
    if (!column) return [];
    const y = cols.values(column);
    if (!y.some((v) => v !== null && v !== undefined)) return [];
    return [{
      type: "scatter",
      mode: "markers",
      name: signal.name,
      x,
      y,
      yaxis: "y",
      marker: { symbol: signal.symbol, size: 9, color: colors[signal.color] },
      hovertemplate: `${signal.name}: %{y}<extra></extra>`,
    }];
  });
}

function tradeTraces(trades, firstMs, lastMs, colors) {
  const inRange = (ms) => ms && ms >= firstMs && ms <= lastMs;
  const entries = trades.filter((t) => inRange(t.open_timestamp));
  const exits = trades.filter((t) => !t.is_open && inRange(t.close_timestamp));
  const traces = [];
  if (entries.length) {
    traces.push({
      type: "scatter",
      mode: "markers",
      name: "Trade entries",
      x: entries.map((t) => plotDate(t.open_timestamp)),
      y: entries.map((t) => t.open_rate),
      text: entries.map((t) => `#${t.trade_id} ${t.is_short ? "short" : "long"}${t.enter_tag ? ` (${t.enter_tag})` : ""}`),
      yaxis: "y",
      marker: { symbol: "circle", size: 11, color: colors.accent, line: { width: 2, color: colors.text } },
      hovertemplate: "Entry %{text}: %{y}<extra></extra>",
    });
  }
  if (exits.length) {
    traces.push({
      type: "scatter",
      mode: "markers",
      name: "Trade exits",
      x: exits.map((t) => plotDate(t.close_timestamp)),
      y: exits.map((t) => t.close_rate),
      text: exits.map((t) => `#${t.trade_id} ${t.exit_reason || ""} ${((t.profit_ratio || 0) * 100).toFixed(2)} %`),
      yaxis: "y",
      marker: { symbol: "square", size: 10, color: exits.map((t) => ((t.profit_ratio || 0) >= 0 ? colors.pos : colors.neg)), line: { width: 2, color: colors.text } },
      hovertemplate: "Exit %{text}: %{y}<extra></extra>",
    });
  }
  return traces;
}

/** Price range (low..high with a margin) of the candles between two indexes. */
export function priceRange(history, from, to) {
  const cols = columnReader(history);
  const lows = cols.values("low").slice(from, to + 1).filter(Number.isFinite);
  const highs = cols.values("high").slice(from, to + 1).filter(Number.isFinite);
  if (!lows.length) return null;
  const low = Math.min(...lows);
  const high = Math.max(...highs);
  const pad = (high - low || high * 0.01 || 1) * 0.08;
  return [low - pad, high + pad];
}

/**
 * @returns {{data: object[], layout: object, candles: number, missing: string[], x: string[]}}
 */
export function buildFigure({ history, plotConfig, trades = [], colors, pair, narrow = false }) {
  const cols = columnReader(history);
  const ms = timestamps(history, cols);
  const x = ms.map(plotDate);
  const volume = cols.has("volume") ? cols.values("volume") : [];
  const colorIndex = { next: 0 };
  const missing = [];
  const subplots = Object.entries(plotConfig?.subplots || {});

  const data = [
    {
      type: "candlestick",
      name: pair,
      x,
      open: cols.values("open"),
      high: cols.values("high"),
      low: cols.values("low"),
      close: cols.values("close"),
      yaxis: "y",
      increasing: { line: { color: colors.pos, width: 1 }, fillcolor: colors.pos },
      decreasing: { line: { color: colors.neg, width: 1 }, fillcolor: colors.neg },
    },
    {
      type: "bar",
      name: "Volume",
      x,
      y: volume,
      yaxis: "y2",
      marker: { color: colors.muted },
      opacity: 0.3,
      hovertemplate: "Volume: %{y}<extra></extra>",
    },
    ...indicatorTraces(plotConfig?.main_plot, cols, x, "y", colorIndex, missing),
  ];
  subplots.forEach(([, group], i) => data.push(...indicatorTraces(group, cols, x, `y${i + 3}`, colorIndex, missing)));
  data.push(...signalTraces(cols, x, colors));
  data.push(...tradeTraces(trades, ms[0] ?? 0, (ms[ms.length - 1] ?? 0) + (history.timeframe_ms || 0), colors));

  // Stacked domains: price (with volume along its bottom) on top, subplots below it.
  const n = subplots.length;
  const sub = n ? Math.min(0.2, 0.5 / n) : 0;
  const gap = 0.025;
  const mainBottom = n * sub;
  const maxVolume = Math.max(0, ...volume.filter(Number.isFinite));
  const first = Math.max(0, x.length - (narrow ? INITIAL_WINDOW_NARROW : INITIAL_WINDOW));
  const layout = baseLayout(colors, {
    dragmode: "pan",
    showlegend: !narrow, // on a phone the legend would take half the chart
    margin: narrow ? { l: 44, r: 8, t: 8, b: 32 } : { l: 56, r: 16, t: 16, b: 36 },
    xaxis: axisStyle(colors, {
      type: "date",
      rangeslider: { visible: false },
      anchor: n ? `y${n + 2}` : "y",
      range: x.length ? [x[first], x[x.length - 1]] : undefined,
    }),
    yaxis: axisStyle(colors, { domain: [mainBottom + (n ? gap : 0), 1], range: priceRange(history, first, x.length - 1) ?? undefined, title: { text: pair } }),
    yaxis2: { overlaying: "y", domain: [mainBottom + (n ? gap : 0), 1], range: [0, (maxVolume || 1) * 5], showgrid: false, showticklabels: false, fixedrange: true, zeroline: false },
  });
  subplots.forEach(([title], i) => {
    const top = mainBottom - i * sub;
    layout[`yaxis${i + 3}`] = axisStyle(colors, { domain: [Math.max(0, top - sub + gap), top], title: { text: title, font: { size: 11 } } });
  });
  return { data, layout, candles: x.length, missing, x };
}
