// plotly.js, loaded on first use from /vendor/plotly.min.js (served by the bot from the installed
// `plotly` Python package), plus the theme-aware layout shared by every chart.

let loadingPlotly = null;

/** Load plotly.js once; resolves with window.Plotly. */
export function loadPlotly() {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loadingPlotly) {
    loadingPlotly = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = "/vendor/plotly.min.js";
      script.async = true;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => {
        loadingPlotly = null;
        script.remove();
        reject(new Error("Charts are unavailable: /vendor/plotly.min.js could not be loaded from the bot."));
      };
      document.head.append(script);
    });
  }
  return loadingPlotly;
}

/** Colours of the active theme, read from the CSS variables. */
export function themeColors() {
  const style = getComputedStyle(document.documentElement);
  const read = (name) => style.getPropertyValue(name).trim();
  return {
    text: read("--text"),
    muted: read("--muted"),
    border: read("--border"),
    surface: read("--surface"),
    pos: read("--pos"),
    neg: read("--neg"),
    accent: read("--accent"),
    warn: read("--warn"),
  };
}

export function baseLayout(colors, extra = {}) {
  return {
    paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)",
    font: { color: colors.text, size: 12, family: "system-ui, sans-serif" },
    margin: { l: 56, r: 16, t: 16, b: 36 },
    hovermode: "x unified",
    hoverlabel: { bgcolor: colors.surface, bordercolor: colors.border, font: { color: colors.text } },
    legend: { orientation: "h", traceorder: "normal", x: 0, y: 1.02, yanchor: "bottom", bgcolor: "rgba(0,0,0,0)" },
    ...extra,
  };
}

export function axisStyle(colors, extra = {}) {
  return {
    gridcolor: colors.border,
    linecolor: colors.border,
    zerolinecolor: colors.border,
    tickfont: { color: colors.muted },
    ...extra,
  };
}

export const PLOT_OPTIONS = {
  responsive: true,
  displaylogo: false,
  modeBarButtonsToRemove: ["select2d", "lasso2d", "autoScale2d", "toggleSpikelines"],
};

export function purge(el) {
  if (window.Plotly && el) window.Plotly.purge(el);
}
