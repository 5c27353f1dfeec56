// Control: start, pause (stop entries), stop, reload config; force entry (when the bot allows it)
// and force exit of all trades. Everything that changes what the bot does is confirmed first.

import { actionButton, alertBox, confirmDialog, field, formDialog, h, setChildren, toast } from "../dom.js";

const STATE_TEXT = {
  running: "Trading: enters and exits positions.",
  paused: "Paused: manages open trades, opens no new ones. Start resumes entries.",
  stopped: "Stopped: the trading loop is idle.",
  reload_config: "Reloading the configuration…",
};

function forceEntryFields(session) {
  const config = session.config || {};
  return () => {
    const pairs = h("datalist", { id: "force-pairs" }, session.whitelist.map((p) => h("option", { value: p })));
    const sides = config.short_allowed ? ["long", "short"] : ["long"];
    return h("div", { class: "form-grid" },
      field("Pair", h("input", { name: "pair", list: "force-pairs", required: true, autocomplete: "off", placeholder: session.whitelist[0] || "BASE/QUOTE", "data-testid": "force-pair" }), pairs),
      field("Side", h("select", { name: "side", "data-testid": "force-side" }, sides.map((s) => h("option", { value: s }, s)))),
      field("Order type", h("select", { name: "ordertype", "data-testid": "force-ordertype" },
        h("option", { value: "" }, `default (${config.order_types?.force_entry || config.order_types?.entry || "strategy"})`),
        h("option", { value: "limit" }, "limit"), h("option", { value: "market" }, "market"))),
      field("Price (optional)", h("input", { name: "price", type: "number", step: "any", min: "0", placeholder: "current rate", "data-testid": "force-price" })),
      field(`Stake (${config.stake_currency || "stake"}, optional)`, h("input", { name: "stakeamount", type: "number", step: "any", min: "0", placeholder: String(config.stake_amount ?? ""), "data-testid": "force-stake" })),
      field("Entry tag (optional)", h("input", { name: "entry_tag", autocomplete: "off", placeholder: "force_entry", "data-testid": "force-tag" })),
      config.trading_mode === "futures" ? field("Leverage (optional)", h("input", { name: "leverage", type: "number", step: "any", min: "1", "data-testid": "force-leverage" })) : null);
  };
}

function readForceEntry(form) {
  const data = new FormData(form);
  const pair = String(data.get("pair") || "").trim();
  if (!/^[^/\s]+\/[^/\s]+$/.test(pair)) throw new Error("Enter a pair such as ETH/USDT.");
  const body = { pair, side: data.get("side") || "long" };
  if (data.get("ordertype")) body.ordertype = data.get("ordertype");
  for (const key of ["price", "stakeamount", "leverage"]) {
    const raw = data.get(key);
    if (raw === null || raw === "") continue;
    const value = Number(raw);
    if (!(value > 0)) throw new Error(`${key === "stakeamount" ? "Stake" : key[0].toUpperCase() + key.slice(1)} must be above zero.`);
    body[key] = value;
  }
  const tag = String(data.get("entry_tag") || "").trim();
  if (tag) body.entry_tag = tag;
  return body;
}

export function mount(root, ctx) {
  const { session, bus } = ctx;
  const stateBox = h("div", { "data-testid": "control-state" });
  const buttons = h("div", { class: "btn-row", "data-testid": "control-buttons" });
  const forceBox = h("div", { "data-testid": "control-force" });
  const result = h("div", { "aria-live": "polite" });

  setChildren(root,
    h("div", { class: "view-head" }, h("h1", {}, "Control")),
    h("div", { class: "grid grid-2" },
      h("section", { class: "card" }, h("h2", {}, "Bot state"), stateBox, buttons),
      h("section", { class: "card" }, h("h2", {}, "Manual trading"), forceBox, result)));

  async function command(path, { confirm, label }) {
    if (confirm && !(await confirmDialog(confirm))) return;
    try {
      const response = await session.api.post(path);
      toast(response.status || `${label}: done`, "success");
    } catch (err) {
      if (err.kind !== "auth") toast(`${label}: ${err.message}`, "error");
    }
    await ctx.refreshConfig().catch(() => {});
  }

  function render() {
    const config = session.config;
    const state = config?.state || "unknown";
    setChildren(stateBox,
      h("p", {}, h("span", { class: `badge badge-${state}`, "data-testid": "control-state-badge" }, state), " ", STATE_TEXT[state] || "State unknown — the bot may be unreachable."),
      config ? h("p", { class: "muted" }, `${config.bot_name} · ${config.strategy} · ${config.timeframe} · ${config.dry_run ? "dry-run" : "LIVE"} · max ${config.max_open_trades < 0 ? "∞" : config.max_open_trades} open trades`) : null);
    setChildren(buttons,
      actionButton("Start", () => command("/start", { label: "Start" }), { class: "btn btn-primary", "data-testid": "control-start", disabled: state === "running" }),
      actionButton("Pause entries", () => command("/stopentry", {
        label: "Pause",
        confirm: { title: "Stop opening new trades?", body: "Open trades are still managed (exits, stoploss). Start resumes entries.", confirmLabel: "Pause entries" },
      }), { "data-testid": "control-pause", disabled: state === "paused" }),
      actionButton("Stop", () => command("/stop", {
        label: "Stop",
        confirm: { title: "Stop the bot?", body: "The trading loop stops: open trades are no longer managed until you start it again.", confirmLabel: "Stop bot", danger: true },
      }), { class: "btn btn-danger", "data-testid": "control-stop", disabled: state === "stopped" }),
      actionButton("Reload config", () => command("/reload_config", {
        label: "Reload",
        confirm: { title: "Reload the configuration?", body: "The bot re-reads its config files and strategy and restarts in its initial state. Blacklist edits made here are lost.", confirmLabel: "Reload" },
      }), { "data-testid": "control-reload" }));
    renderForce(config);
  }

  function renderForce(config) {
    const exitAll = actionButton("Force exit all…", async () => {
      if (!(await confirmDialog({ title: "Exit all open trades?", body: "An exit order is created for every open trade.", confirmLabel: "Exit all", danger: true }))) return;
      try {
        const r = await session.api.post("/forceexit", { tradeid: "all" });
        toast(r.result || "Exit orders created.", "success");
      } catch (err) {
        if (err.kind !== "auth") toast(err.message, "error");
      }
    }, { "data-testid": "control-exit-all" });
    if (!config?.force_entry_enable) {
      setChildren(forceBox,
        h("p", { class: "muted", "data-testid": "force-disabled" }, "Force entry is disabled for this bot (set force_entry_enable: true in its config)."),
        h("div", { class: "btn-row" }, exitAll));
      return;
    }
    setChildren(forceBox,
      h("p", { class: "muted" }, "Open a position now, regardless of the strategy's signals."),
      h("div", { class: "btn-row" }, actionButton("Force entry…", forceEnter, { class: "btn btn-primary", "data-testid": "control-force-enter" }), exitAll));
  }

  async function forceEnter() {
    const body = await formDialog({ title: "Force entry", fields: forceEntryFields(session), read: readForceEntry, submitLabel: "Enter trade", testid: "force-form" });
    if (!body) return;
    try {
      const trade = await session.api.post("/forceenter", body);
      if (trade.trade_id === undefined) {
        setChildren(result, alertBox("warn", trade.status || "The order was placed but no trade was found."));
        return;
      }
      toast(`Entered ${trade.pair} — trade #${trade.trade_id}`, "success");
      setChildren(result, alertBox("info", h("span", { "data-testid": "force-result" }, `Trade #${trade.trade_id} on ${trade.pair} opened. `),
        h("a", { href: `#/trades/${trade.trade_id}` }, "Show trade")));
    } catch (err) {
      if (err.kind !== "auth") setChildren(result, alertBox("error", h("span", { "data-testid": "force-error" }, `Force entry failed: ${err.message}`)));
    }
  }

  render();
  const off = bus.on("config", render);
  return () => off();
}
