// Pairs: the active whitelist, the blacklist (add/remove, wildcards allowed), pair locks
// (add/delete) and the closed-trade performance per pair.

import { actionButton, confirmDialog, errorList, field, h, setChildren, toast } from "../dom.js";
import { fmtDate, fmtPct, fmtStake, profitClass } from "../format.js";
import { dataTable } from "../table.js";

function chip(text, onRemove) {
  return h("li", { class: onRemove ? "chip" : "chip plain", "data-testid": onRemove ? "blacklist-item" : "whitelist-item", "data-pair": text },
    text,
    onRemove ? h("button", { type: "button", "aria-label": `Remove ${text} from the blacklist`, "data-testid": "blacklist-remove", onClick: onRemove }, "×") : null);
}

function reportErrors(response) {
  for (const [pair, info] of Object.entries(response.errors || {})) toast(info.error_msg || `${pair}: rejected`, "warn");
}

/** <input type=datetime-local> value (local time) → aware ISO string in UTC. */
function localToIso(value) {
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) throw new Error("Enter the lock's end date and time.");
  if (ms <= Date.now()) throw new Error("The lock must end in the future.");
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function mount(root, ctx) {
  const { session, bus } = ctx;
  let alive = true;
  const whitelist = h("ul", { class: "chips", "data-testid": "whitelist" });
  const whitelistMeta = h("span", { class: "muted" });
  const blacklist = h("ul", { class: "chips", "data-testid": "blacklist" });
  const blacklistMeta = h("span", { class: "muted" });
  const errors = h("div");
  const blInput = h("input", { name: "pair", placeholder: "ETH/USDT or BNB/.*", autocomplete: "off", "data-testid": "blacklist-input" });
  const locks = dataTable({
    testid: "locks",
    empty: "No active locks.",
    caption: "Pair locks",
    sort: { key: "lock_end_timestamp", dir: "asc" },
    columns: [
      { key: "pair", label: "Pair", render: (l) => h("span", { class: "mono" }, l.pair) },
      { key: "side", label: "Side" },
      { key: "lock_timestamp", label: "Since", render: (l) => fmtDate(l.lock_timestamp) },
      { key: "lock_end_timestamp", label: "Until", render: (l) => fmtDate(l.lock_end_timestamp) },
      { key: "reason", label: "Reason" },
      { key: "delete", label: "", sortable: false, render: (l) => actionButton("Unlock", () => deleteLock(l), { class: "btn btn-sm", "data-testid": "lock-delete" }) },
    ],
  });
  const perfTable = dataTable({
    testid: "performance",
    empty: "No closed trades yet.",
    caption: "Performance per pair",
    sort: { key: "profit_abs", dir: "desc" },
    columns: [
      { key: "pair", label: "Pair", render: (p) => h("span", { class: "mono" }, p.pair) },
      { key: "count", label: "Trades", num: true },
      { key: "profit_pct", label: "Profit %", num: true, render: (p) => fmtPct(p.profit_pct), cls: (p) => profitClass(p.profit_pct) },
      { key: "profit_abs", label: "Profit", num: true, render: (p) => fmtStake(p.profit_abs, session.stakeDecimals, session.stakeCurrency), cls: (p) => profitClass(p.profit_abs) },
    ],
  });

  const lockForm = h("form", { class: "form-row", "data-testid": "lock-form", novalidate: true },
    field("Pair", h("input", { name: "pair", required: true, placeholder: "ETH/USDT or *", autocomplete: "off", "data-testid": "lock-pair" })),
    field("Until", h("input", { name: "until", type: "datetime-local", required: true, "data-testid": "lock-until" })),
    field("Side", h("select", { name: "side", "data-testid": "lock-side" }, ["*", "long", "short"].map((s) => h("option", { value: s }, s === "*" ? "both" : s)))),
    field("Reason", h("input", { name: "reason", autocomplete: "off", placeholder: "optional", "data-testid": "lock-reason" })),
    h("button", { type: "submit", class: "btn btn-primary", "data-testid": "lock-add" }, "Lock"));
  lockForm.addEventListener("submit", addLock);
  const blForm = h("form", { class: "form-row", "data-testid": "blacklist-form", novalidate: true },
    field("Add to blacklist", blInput, "A pair or a regular expression; wildcards such as BNB/.* block every match."),
    h("button", { type: "submit", class: "btn btn-primary", "data-testid": "blacklist-add" }, "Add"));
  blForm.addEventListener("submit", addBlacklist);

  setChildren(root,
    h("div", { class: "view-head" }, h("h1", {}, "Pairs"), h("span", { class: "spacer" }),
      h("button", { type: "button", class: "btn btn-sm", "data-testid": "pairs-refresh", onClick: () => load() }, "Refresh")),
    errors,
    h("div", { class: "grid grid-2" },
      h("section", { class: "card" }, h("header", {}, h("h2", {}, "Whitelist"), h("span", { class: "spacer" }), whitelistMeta), whitelist),
      h("section", { class: "card" }, h("header", {}, h("h2", {}, "Blacklist"), h("span", { class: "spacer" }), blacklistMeta), blacklist, h("div", { class: "section" }, blForm))),
    h("section", { class: "card section" }, h("h2", {}, "Locks"), locks.el, h("div", { class: "section" }, lockForm)),
    h("section", { class: "card section" }, h("h2", {}, "Performance"), perfTable.el));

  let method = [];
  function renderWhitelist(w) {
    session.whitelist = w.whitelist;
    if (w.method?.length) method = w.method;
    setChildren(whitelist, w.whitelist.length ? w.whitelist.map((p) => chip(p)) : h("li", { class: "muted" }, "Empty."));
    whitelistMeta.textContent = [`${w.length} pairs`, method.join(", ")].filter(Boolean).join(" · ");
  }

  function renderBlacklist(b) {
    setChildren(blacklist, b.blacklist.length ? b.blacklist.map((p) => chip(p, () => removeBlacklist(p))) : h("li", { class: "muted", "data-testid": "blacklist-empty" }, "Empty."));
    const expanded = (b.blacklist_expanded || []).filter((p) => !b.blacklist.includes(p));
    blacklistMeta.textContent = `${b.length} entries${expanded.length ? ` · also blocks ${expanded.join(", ")}` : ""}`;
  }

  async function load() {
    const jobs = [
      ["Whitelist", () => session.api.get("/whitelist"), renderWhitelist],
      ["Blacklist", () => session.api.get("/blacklist"), renderBlacklist],
      ["Locks", () => session.api.get("/locks"), (l) => locks.update(l.locks)],
      ["Performance", () => session.api.get("/performance"), (p) => perfTable.update(p)],
    ];
    const results = await Promise.allSettled(jobs.map(([, fetcher]) => fetcher()));
    if (!alive) return;
    const problems = [];
    results.forEach((r, i) => {
      if (r.status === "fulfilled") jobs[i][2](r.value);
      else problems.push([jobs[i][0], r.reason]);
    });
    setChildren(errors, errorList(problems, { onRetry: load, testid: "pairs-error" }));
    root.dataset.loaded = "true";
  }

  async function mutate(fn, after) {
    try {
      const response = await fn();
      if (alive) after(response);
      return response;
    } catch (err) {
      if (err.kind !== "auth") toast(err.message, "error");
      return null;
    }
  }

  async function addBlacklist(event) {
    event.preventDefault();
    const entries = blInput.value.split(/[\s,]+/).filter(Boolean);
    if (!entries.length) return toast("Enter a pair or pattern to blacklist.", "warn");
    const response = await mutate(() => session.api.post("/blacklist", { blacklist: entries }), renderBlacklist);
    if (!response) return;
    reportErrors(response);
    const added = entries.filter((e) => response.blacklist.includes(e) && !response.errors?.[e]);
    if (added.length) toast(`Blacklisted ${added.join(", ")}`, "success");
    blInput.value = "";
  }

  async function removeBlacklist(pair) {
    const response = await mutate(() => session.api.del("/blacklist", { pairs_to_delete: [pair] }), renderBlacklist);
    if (!response) return;
    reportErrors(response);
    if (!response.errors?.[pair]) toast(`Removed ${pair} from the blacklist`, "success");
  }

  async function addLock(event) {
    event.preventDefault();
    const data = new FormData(lockForm);
    let until;
    try {
      const pair = String(data.get("pair") || "").trim();
      if (!pair) throw new Error("Enter the pair to lock (or * for all pairs).");
      until = localToIso(data.get("until"));
      const reason = String(data.get("reason") || "").trim() || null;
      const body = [{ pair, until, side: data.get("side"), reason }];
      const response = await mutate(() => session.api.post("/locks", body), (l) => locks.update(l.locks));
      if (response) {
        toast(`Locked ${pair}`, "success");
        lockForm.reset();
      }
    } catch (err) {
      toast(err.message, "error");
    }
  }

  async function deleteLock(lock) {
    if (!(await confirmDialog({ title: `Unlock ${lock.pair}?`, body: `The lock (${lock.reason || "no reason"}) ends now.`, confirmLabel: "Unlock" }))) return;
    const response = await mutate(() => session.api.del(`/locks/${lock.id}`), (l) => locks.update(l.locks));
    if (response) toast(`Unlocked ${lock.pair}`, "success");
  }

  load();
  const off = bus.on("ws:whitelist", (msg) => {
    if (alive && Array.isArray(msg.data)) renderWhitelist({ whitelist: msg.data, length: msg.data.length, method: [] });
  });
  const offResync = bus.on("resync", () => alive && load());
  return () => {
    alive = false;
    off();
    offResync();
  };
}
