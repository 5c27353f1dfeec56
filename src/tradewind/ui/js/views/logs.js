// Logs: a live tail of the bot's log buffer (polled — the WebSocket carries no log lines) with a
// minimum-level filter and a text search.

import { errorBox, field, h, setChildren } from "../dom.js";
import { fmtDate } from "../format.js";

const LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"];
const LIMIT = 500;
const POLL_MS = 2000;

export function mount(root, ctx) {
  const { session } = ctx;
  let alive = true;
  let rows = [];
  let signature = "";
  let timer = null;

  const level = h("select", { "data-testid": "logs-level", onChange: render },
    LEVELS.slice(0, 4).map((l) => h("option", { value: l, selected: l === "INFO" }, l === "DEBUG" ? "all (DEBUG+)" : `${l}+`)));
  const search = h("input", { type: "search", placeholder: "filter text", "data-testid": "logs-search", onInput: render });
  const live = h("input", { type: "checkbox", checked: true, "data-testid": "logs-live", onChange: schedule });
  const follow = h("input", { type: "checkbox", checked: true, "data-testid": "logs-follow" });
  const count = h("span", { class: "muted", "data-testid": "logs-count" });
  const error = h("div");
  const list = h("div", { class: "log-list", role: "log", "aria-label": "Bot log", "data-testid": "logs-list", tabindex: "0" });

  setChildren(root,
    h("div", { class: "view-head" }, h("h1", {}, "Logs"), h("span", { class: "spacer" }), count),
    h("section", { class: "card" },
      h("div", { class: "chart-controls" },
        field("Level", level),
        field("Search", search),
        h("label", { class: "field field-inline" }, live, h("span", {}, "Live")),
        h("label", { class: "field field-inline" }, follow, h("span", {}, "Follow")),
        h("button", { type: "button", class: "btn btn-sm", "data-testid": "logs-refresh", onClick: () => load() }, "Refresh")),
      error,
      list));

  function visible() {
    const min = LEVELS.indexOf(level.value);
    const needle = search.value.trim().toLowerCase();
    return rows.filter(([, , logger, lvl, message]) => {
      const rank = LEVELS.indexOf(lvl);
      if (rank >= 0 && rank < min) return false;
      return !needle || message.toLowerCase().includes(needle) || logger.toLowerCase().includes(needle);
    });
  }

  function render() {
    const shown = visible();
    const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
    setChildren(list, shown.length
      ? shown.map(([, ts, logger, lvl, message]) =>
        h("div", { class: "log-line", "data-testid": "log-line", "data-level": lvl },
          h("span", { class: "muted" }, fmtDate(ts)),
          h("span", { class: `lvl-${lvl}` }, lvl),
          h("span", { class: "logger", title: logger }, logger),
          h("span", { class: "msg" }, message)))
      : h("div", { class: "muted", style: "padding: 8px 10px", "data-testid": "logs-empty" }, rows.length ? "No lines match the filter." : "The log is empty."));
    count.textContent = `${shown.length} of ${rows.length} lines`;
    if (follow.checked || atBottom) list.scrollTop = list.scrollHeight;
  }

  async function load() {
    try {
      const response = await session.api.get("/logs", { limit: LIMIT });
      if (!alive) return;
      setChildren(error);
      const last = response.logs[response.logs.length - 1];
      const next = `${response.logs.length}:${last ? last[1] : 0}`;
      if (next !== signature) {
        signature = next;
        rows = response.logs;
        render();
      }
      root.dataset.loaded = "true";
    } catch (err) {
      if (alive && err.kind !== "auth") setChildren(error, errorBox(err, { onRetry: load, testid: "logs-error" }));
    }
  }

  function schedule() {
    clearTimeout(timer);
    if (!alive || !live.checked) return;
    timer = setTimeout(async () => {
      await load();
      schedule();
    }, POLL_MS);
  }

  load().then(schedule);
  return () => {
    alive = false;
    clearTimeout(timer);
  };
}
