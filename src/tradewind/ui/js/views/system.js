// System: versions, health (last loop, starts), host load (sysinfo) and the effective config
// the bot reports (show_config — it never contains secrets).

import { errorBox, h, setChildren } from "../dom.js";
import { fmtAgo, fmtDate, fmtNumber } from "../format.js";

const HEALTH_POLL_MS = 10000;

function kv(rows, testid) {
  return h("dl", { class: "kv", "data-testid": testid }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", { "data-key": k }, v ?? "—")]));
}

function configValue(value) {
  if (value === null || value === undefined) return h("span", { class: "muted" }, "null");
  if (typeof value === "object") {
    const compact = JSON.stringify(value);
    return compact.length <= 80 ? h("span", { class: "mono" }, compact) : h("pre", { class: "json" }, JSON.stringify(value, null, 2));
  }
  return h("span", { class: "mono" }, String(value));
}

function meter(pct) {
  const clamped = Math.max(0, Math.min(100, pct || 0));
  return h("div", { class: "meter", role: "meter", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": String(clamped) }, h("span", { style: `width: ${clamped}%` }));
}

export function mount(root, ctx) {
  const { session } = ctx;
  let alive = true;
  const about = h("div", {}, "…");
  const health = h("div", {}, "…");
  const sysinfo = h("div", {}, "…");
  const config = h("div", {}, "…");

  setChildren(root,
    h("div", { class: "view-head" }, h("h1", {}, "System"), h("span", { class: "spacer" }),
      h("button", { type: "button", class: "btn btn-sm", "data-testid": "system-refresh", onClick: () => load() }, "Refresh")),
    h("div", { class: "grid grid-2" },
      h("section", { class: "card", "data-testid": "system-about" }, h("h2", {}, "Versions"), about),
      h("section", { class: "card", "data-testid": "system-health" }, h("h2", {}, "Health"), health)),
    h("section", { class: "card section", "data-testid": "system-sysinfo" }, h("h2", {}, "Host"), sysinfo),
    h("section", { class: "card section", "data-testid": "system-config" }, h("h2", {}, "Configuration (show_config)"), config));

  async function section(target, fetcher, render, label) {
    try {
      const value = await fetcher();
      if (alive) setChildren(target, render(value));
    } catch (err) {
      if (alive && err.kind !== "auth") setChildren(target, errorBox(new Error(`${label}: ${err.message}`), { onRetry: load, testid: "system-error" }));
    }
  }

  const loadHealth = () => section(health, () => session.api.get("/health"), (hl) => kv([
    ["Last loop", hl.last_process_ts ? `${fmtAgo(hl.last_process_ts * 1000)} (${fmtDate(hl.last_process_ts * 1000)})` : "not yet"],
    ["Process started", fmtDate((hl.bot_startup_ts || 0) * 1000)],
    ["First start", fmtDate((hl.bot_start_ts || 0) * 1000)],
  ], "health"), "Health");

  async function load() {
    await Promise.all([
      section(about, async () => [await session.api.get("/version"), await ctx.refreshConfig()], ([version, cfg]) => kv([
        ["Bot version", h("span", { "data-testid": "system-version" }, version.version)],
        ["API version", cfg.api_version],
        ["Strategy", `${cfg.strategy}${cfg.strategy_version ? ` (v${cfg.strategy_version})` : ""}`],
        ["Exchange", `${cfg.exchange} · ${cfg.trading_mode}`],
        ["Run mode", cfg.runmode],
        ["State", cfg.state],
      ], "versions"), "Version"),
      loadHealth(),
      section(sysinfo, () => session.api.get("/sysinfo"), (s) => [
        kv([
          ["CPU", `${fmtNumber(s.cpu_avg ?? average(s.cpu_pct), 1)} % average over ${s.cpu_count ?? s.cpu_pct?.length ?? "?"} cores`],
          ["Load average", s.cpu_load_avg ? `${fmtNumber(s.cpu_load_avg["1m"])} · ${fmtNumber(s.cpu_load_avg["5m"])} · ${fmtNumber(s.cpu_load_avg["15m"])}` : "—"],
          ["RAM", h("div", {}, `${fmtNumber(s.ram_pct, 1)} %`, meter(s.ram_pct))],
        ], "sysinfo"),
        h("div", { class: "cpu-grid section" }, (s.cpu_pct || []).map((pct, i) => h("div", {}, h("div", { class: "muted" }, `CPU ${i}: ${fmtNumber(pct, 0)} %`), meter(pct)))),
      ], "Sysinfo"),
      section(config, async () => session.config || ctx.refreshConfig(), (cfg) =>
        h("dl", { class: "kv", "data-testid": "show-config" }, Object.entries(cfg).flatMap(([k, v]) => [h("dt", { class: "mono" }, k), h("dd", {}, configValue(v))])), "show_config"),
    ]);
    root.dataset.loaded = "true";
  }

  function average(values) {
    return values?.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  }

  load();
  const timer = setInterval(() => alive && loadHealth(), HEALTH_POLL_MS);
  return () => {
    alive = false;
    clearInterval(timer);
  };
}
