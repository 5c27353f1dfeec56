// One trade: its figures, its orders, and the actions a person takes on it — force exit (full
// or partial, market or limit), cancel the open order, reload, delete — each confirmed first.

import { actionButton, confirmDialog, errorBox, field, formDialog, h, loading, setChildren, throttle, toast } from "../dom.js";
import { DASH, fmtAmount, fmtDate, fmtDuration, fmtPrice, fmtRatio, fmtStake, profitClass } from "../format.js";
import { dataTable } from "../table.js";

const ORDER_COLUMNS = [
  { key: "order_timestamp", label: "Placed", render: (o) => fmtDate(o.order_timestamp) },
  { key: "ft_order_side", label: "Side" },
  { key: "order_type", label: "Type" },
  { key: "status", label: "Status", render: (o) => h("span", { class: `badge ${o.is_open ? "badge-warn" : o.status === "closed" ? "badge-ok" : ""}` }, o.status || DASH) },
  { key: "amount", label: "Amount", num: true, render: (o) => fmtAmount(o.amount) },
  { key: "filled", label: "Filled", num: true, render: (o) => fmtAmount(o.filled) },
  { key: "remaining", label: "Remaining", num: true, render: (o) => fmtAmount(o.remaining) },
  { key: "safe_price", label: "Price", num: true, render: (o) => fmtPrice(o.safe_price) },
  { key: "cost", label: "Cost", num: true, render: (o) => fmtAmount(o.cost) },
  { key: "order_filled_timestamp", label: "Filled at", render: (o) => fmtDate(o.order_filled_timestamp) },
  { key: "ft_order_tag", label: "Tag" },
];

function summary(trade, session) {
  const dec = session.stakeDecimals;
  const cur = session.stakeCurrency;
  const rate = trade.is_open ? trade.current_rate : trade.close_rate;
  const profitRatio = trade.is_open ? (trade.total_profit_ratio ?? trade.profit_ratio) : trade.profit_ratio;
  const profitAbs = trade.is_open ? (trade.total_profit_abs ?? trade.profit_abs) : trade.profit_abs;
  const end = trade.close_timestamp || Date.now();
  const rows = [
    ["Pair", h("span", { class: "mono" }, trade.pair)],
    ["Direction", trade.is_short ? "short" : "long"],
    ["Amount", fmtAmount(trade.amount)],
    ["Stake", fmtStake(trade.stake_amount, dec, cur)],
    ["Open rate", fmtPrice(trade.open_rate)],
    [trade.is_open ? "Current rate" : "Close rate", fmtPrice(rate)],
    ["Profit", h("span", { class: profitClass(profitAbs), "data-testid": "trade-profit" }, `${fmtStake(profitAbs, dec, cur)} (${fmtRatio(profitRatio)})`)],
    ["Realized", fmtStake(trade.realized_profit, dec, cur)],
    ["Stop loss", trade.stop_loss_abs ? `${fmtPrice(trade.stop_loss_abs)} (${fmtRatio(trade.stop_loss_ratio)})` : DASH],
    ["Entry tag", trade.enter_tag || DASH],
    ["Exit reason", trade.exit_reason || DASH],
    ["Opened", fmtDate(trade.open_timestamp)],
    ["Closed", fmtDate(trade.close_timestamp)],
    ["Duration", fmtDuration(end - trade.open_timestamp)],
    ["Fees", `${fmtRatio(trade.fee_open, 3)} open · ${fmtRatio(trade.fee_close, 3)} close`],
    ["Leverage", trade.leverage ?? 1],
  ];
  return h("dl", { class: "kv", "data-testid": "trade-summary" }, rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

function exitForm(trade, session) {
  const defaultType = session.config?.order_types?.force_exit || session.config?.order_types?.exit || "market";
  return (form) => {
    const partial = h("input", { type: "checkbox", name: "partial", "data-testid": "exit-partial" });
    const amount = h("input", { type: "number", name: "amount", step: "any", min: "0", value: String(trade.amount), disabled: true, "data-testid": "exit-amount" });
    const type = h("select", { name: "ordertype", "data-testid": "exit-ordertype" },
      ["market", "limit"].map((t) => h("option", { value: t, selected: t === defaultType }, t)));
    const price = h("input", { type: "number", name: "price", step: "any", min: "0", placeholder: `current ${fmtPrice(trade.current_rate)}`, "data-testid": "exit-price" });
    const priceField = field("Limit price (optional)", price, "Empty: the current exit rate.");
    const sync = () => {
      amount.disabled = !partial.checked;
      priceField.hidden = type.value !== "limit";
    };
    partial.addEventListener("change", sync);
    type.addEventListener("change", sync);
    form.addEventListener("input", sync);
    queueMicrotask(sync);
    return h("div", { class: "form-grid" },
      h("p", { class: "muted", style: "grid-column: 1 / -1; margin: 0" }, `${trade.pair}: ${fmtAmount(trade.amount)} held, opened at ${fmtPrice(trade.open_rate)}.`),
      h("label", { class: "field field-inline", style: "grid-column: 1 / -1" }, partial, h("span", {}, "Partial exit")),
      field(`Amount (${trade.base_currency || "base"})`, amount),
      field("Order type", type),
      priceField);
  };
}

function readExit(trade) {
  return (form) => {
    const data = new FormData(form);
    const body = { tradeid: String(trade.trade_id), ordertype: data.get("ordertype") };
    if (form.elements.partial.checked) {
      const amount = Number(form.elements.amount.value);
      if (!(amount > 0)) throw new Error("Enter an amount above zero.");
      if (amount > trade.amount) throw new Error(`The trade holds only ${fmtAmount(trade.amount)}.`);
      if (amount < trade.amount) body.amount = amount;
    }
    const price = form.elements.price.value;
    if (body.ordertype === "limit" && price !== "") {
      if (!(Number(price) > 0)) throw new Error("The limit price must be above zero.");
      body.price = Number(price);
    }
    return body;
  };
}

export function mountTradeDetail(root, ctx, tradeId) {
  const { session, bus } = ctx;
  let alive = true;
  let trade = null;
  const body = h("div", {}, loading());
  const title = h("h1", { "data-testid": "trade-title" }, `Trade #${tradeId}`);
  const stateBadge = h("span", { class: "badge", "data-testid": "trade-state" });
  const actions = h("div", { class: "btn-row", "data-testid": "trade-actions" });
  const orders = dataTable({ columns: ORDER_COLUMNS, testid: "trade-orders", empty: "No orders.", sort: { key: "order_timestamp", dir: "asc" }, caption: "Orders" });

  setChildren(root,
    h("div", { class: "view-head" }, h("a", { href: "#/trades", class: "btn btn-sm btn-ghost", "data-testid": "trade-back" }, "← Trades"), title, stateBadge, h("span", { class: "spacer" }), actions),
    body);

  async function act(fn, success) {
    try {
      const result = await fn();
      toast(success(result), "success");
      return result;
    } catch (err) {
      if (err.kind !== "auth") toast(err.message, "error");
      return null;
    }
  }

  // While an action runs, WebSocket-triggered refreshes wait: the trade may be about to vanish.
  let busy = false;
  const exclusive = (fn) => async () => {
    busy = true;
    try {
      await fn();
    } finally {
      busy = false;
    }
  };
  const quiet = () => alive && !busy;

  const forceExit = async () => {
    const payload = await formDialog({ title: `Exit trade #${trade.trade_id}`, fields: exitForm(trade, session), read: readExit(trade), submitLabel: "Exit trade", danger: true, testid: "exit-form" });
    if (!payload) return;
    await act(() => session.api.post("/forceexit", payload), (r) => r.result || "Exit order created.");
    load();
  };
  const cancelOrder = async () => {
    if (!(await confirmDialog({ title: `Cancel the open order of trade #${trade.trade_id}?`, body: "A partly filled entry keeps its filled part; an unfilled first entry removes the trade.", confirmLabel: "Cancel order", danger: true }))) return;
    try {
      await session.api.del(`/trades/${trade.trade_id}/open-order`);
      toast("Open order cancelled.", "success");
      load();
    } catch (err) {
      if (/no active trade/i.test(err.message)) {
        // The cancelled order was the trade's only, unfilled entry: the bot removed the trade.
        toast(`Order cancelled; trade #${trade.trade_id} had no fill and was removed.`, "success");
        leave();
      } else if (err.kind !== "auth") {
        toast(err.message, "error");
      }
    }
  };
  const reload = async () => {
    await act(() => session.api.post(`/trades/${trade.trade_id}/reload`), () => "Trade re-synced from the exchange.");
    load();
  };
  const remove = async () => {
    if (!(await confirmDialog({ title: `Delete trade #${trade.trade_id}?`, body: "The trade is removed from the database and its open orders are cancelled. A position on the exchange is NOT closed.", confirmLabel: "Delete trade", danger: true }))) return;
    const result = await act(() => session.api.del(`/trades/${trade.trade_id}`), (r) => r.result_msg || "Trade deleted.");
    if (result) leave();
  };
  /** The trade no longer exists: stop refreshing it before the route changes. */
  const leave = () => {
    alive = false;
    ctx.navigate("/trades");
  };

  function render() {
    title.textContent = `Trade #${trade.trade_id} · ${trade.pair}`;
    stateBadge.textContent = trade.is_open ? "open" : "closed";
    stateBadge.className = `badge ${trade.is_open ? "badge-running" : "badge-muted"}`;
    setChildren(actions,
      trade.is_open ? actionButton("Force exit…", exclusive(forceExit), { class: "btn btn-primary", "data-testid": "trade-forceexit" }) : null,
      trade.is_open && trade.has_open_orders ? actionButton("Cancel open order", exclusive(cancelOrder), { "data-testid": "trade-cancel-order" }) : null,
      trade.is_open ? actionButton("Reload", reload, { "data-testid": "trade-reload" }) : null,
      actionButton("Delete", exclusive(remove), { class: "btn btn-danger", "data-testid": "trade-delete" }));
    orders.update(trade.orders || []);
    setChildren(body, h("div", { class: "grid grid-2" },
      h("section", { class: "card" }, h("h2", {}, "Summary"), summary(trade, session)),
      h("section", { class: "card" }, h("h2", {}, "Orders"), orders.el)));
  }

  async function load() {
    try {
      const next = await session.api.get(`/trade/${encodeURIComponent(tradeId)}`);
      if (!alive) return;
      trade = next;
      render();
    } catch (err) {
      if (!alive || err.kind === "auth") return;
      const message = err.status === 404 ? `Trade #${tradeId} does not exist (any more).` : err.message;
      setChildren(actions);
      setChildren(body, errorBox(Object.assign(new Error(message), { kind: err.kind }), { onRetry: load, testid: "trade-error" }));
    }
  }

  load();
  const refresh = throttle(() => quiet() && load(), 1000);
  const onEvent = (msg) => { if (String(msg.trade_id) === String(tradeId)) refresh(); };
  const offs = ["entry_fill", "entry_cancel", "exit", "exit_fill", "exit_cancel"].map((t) => bus.on(`ws:${t}`, onEvent));
  offs.push(bus.on("ws:new_candle", throttle(() => quiet() && trade?.is_open && load(), 5000)));
  offs.push(bus.on("resync", refresh));
  return () => {
    alive = false;
    offs.forEach((off) => off());
  };
}
