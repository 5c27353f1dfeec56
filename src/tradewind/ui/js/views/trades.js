// Trades: open and closed tables (sortable, filtered by pair). "#/trades/<id>" shows one trade
// with its orders and actions (see trade-detail.js).

import { errorList, h, setChildren, throttle } from "../dom.js";
import { fmtStake, profitClass } from "../format.js";
import { replaceQuery } from "../router.js";
import { dataTable } from "../table.js";
import { closedTradeColumns, openTradeColumns } from "../trade-columns.js";
import { mountTradeDetail } from "./trade-detail.js";

const PAGE = 500;
const MAX_CLOSED = 2000;
const TRADE_EVENTS = ["entry", "entry_fill", "entry_cancel", "exit", "exit_fill", "exit_cancel"];

async function fetchClosed(api) {
  const trades = [];
  let total = 0;
  do {
    const page = await api.get("/trades", { limit: PAGE, offset: trades.length, order_by_id: false });
    total = page.total_trades;
    trades.push(...page.trades);
    if (!page.trades.length) break;
  } while (trades.length < total && trades.length < MAX_CLOSED);
  return { trades, total };
}

export function mount(root, ctx) {
  if (ctx.route.id) return mountTradeDetail(root, ctx, ctx.route.id);

  const { session, bus } = ctx;
  let filter = ctx.route.query.get("pair") || "";
  let open = [];
  let closed = { trades: [], total: 0 };
  let alive = true;

  const pairs = h("datalist", { id: "trade-pairs" });
  const filterInput = h("input", {
    type: "search",
    value: filter,
    list: "trade-pairs",
    placeholder: "e.g. ETH/USDT",
    "data-testid": "trades-filter",
    onInput: (e) => {
      filter = e.target.value.trim();
      replaceQuery(filter ? { pair: filter } : {});
      render();
    },
  });
  const errors = h("div");
  const openCount = h("span", { class: "badge", "data-testid": "open-count" });
  const closedCount = h("span", { class: "badge", "data-testid": "closed-count" });
  const closedSum = h("span", { class: "muted", "data-testid": "closed-sum" });
  const goto = (t) => ctx.navigate(`/trades/${t.trade_id}`);
  const openTable = dataTable({ columns: openTradeColumns(session), testid: "trades-open", empty: "No open trades.", onRowClick: goto, rowId: (t) => t.trade_id, sort: { key: "trade_id", dir: "desc" }, caption: "Open trades" });
  const closedTable = dataTable({ columns: closedTradeColumns(session), testid: "trades-closed", empty: "No closed trades.", onRowClick: goto, rowId: (t) => t.trade_id, sort: { key: "close_timestamp", dir: "desc" }, caption: "Closed trades" });

  setChildren(
    root,
    h("div", { class: "view-head" },
      h("h1", {}, "Trades"),
      h("span", { class: "spacer" }),
      h("label", { class: "field field-inline" }, h("span", {}, "Pair"), filterInput, pairs),
      h("button", { type: "button", class: "btn btn-sm", "data-testid": "trades-refresh", onClick: () => load() }, "Refresh")),
    errors,
    h("section", { class: "card" }, h("header", {}, h("h2", {}, "Open trades"), openCount), openTable.el),
    h("section", { class: "card section" }, h("header", {}, h("h2", {}, "Closed trades"), closedCount, h("span", { class: "spacer" }), closedSum), closedTable.el),
  );

  const matches = (t) => !filter || t.pair.toLowerCase().includes(filter.toLowerCase());

  function render() {
    const openRows = open.filter(matches);
    const closedRows = closed.trades.filter(matches);
    openTable.update(openRows);
    closedTable.update(closedRows);
    openCount.textContent = String(openRows.length);
    const shown = closed.trades.length < closed.total ? ` (latest ${closed.trades.length} of ${closed.total})` : "";
    closedCount.textContent = `${closedRows.length}${shown}`;
    const sum = closedRows.reduce((acc, t) => acc + (t.profit_abs || 0), 0);
    closedSum.textContent = closedRows.length ? `Σ ${fmtStake(sum, session.stakeDecimals, session.stakeCurrency)}` : "";
    closedSum.className = profitClass(sum) || "muted";
    const names = [...new Set([...open, ...closed.trades].map((t) => t.pair))].sort();
    setChildren(pairs, names.map((p) => h("option", { value: p })));
  }

  async function load() {
    const problems = [];
    const [openResult, closedResult] = await Promise.allSettled([session.api.get("/status"), fetchClosed(session.api)]);
    if (!alive) return;
    if (openResult.status === "fulfilled") open = openResult.value;
    else problems.push(["Open trades", openResult.reason]);
    if (closedResult.status === "fulfilled") closed = closedResult.value;
    else problems.push(["Closed trades", closedResult.reason]);
    setChildren(errors, errorList(problems, { onRetry: load, testid: "trades-error" }));
    render();
    root.dataset.loaded = "true";
  }

  load();
  const refresh = throttle(() => alive && load(), 1000);
  const refreshOpen = throttle(async () => {
    if (!alive || !open.length) return;
    try {
      open = await session.api.get("/status");
      if (alive) render();
    } catch {
      // the next full refresh reports it
    }
  }, 5000);
  const offs = [
    ...TRADE_EVENTS.map((t) => bus.on(`ws:${t}`, refresh)),
    bus.on("ws:new_candle", refreshOpen),
    bus.on("resync", refresh),
  ];
  return () => {
    alive = false;
    offs.forEach((off) => off());
  };
}
