// Column sets for trade tables (dashboard, trades view), so both show trades the same way.

import { h } from "./dom.js";
import { fmtAmount, fmtDate, fmtDuration, fmtPrice, fmtRatio, fmtStake, profitClass } from "./format.js";

function pairCell(trade) {
  return h(
    "span",
    {},
    h("span", { class: "mono" }, trade.pair),
    trade.is_short ? [" ", h("span", { class: "badge badge-warn" }, "short")] : null,
    trade.has_open_orders ? [" ", h("span", { class: "badge", title: "has an open order" }, "order")] : null,
  );
}

function idCell(trade) {
  return h("a", { href: `#/trades/${trade.trade_id}`, "data-testid": "trade-link" }, `#${trade.trade_id}`);
}

export function openTradeColumns(session) {
  const dec = session.stakeDecimals;
  return [
    { key: "trade_id", label: "ID", num: true, render: idCell },
    { key: "pair", label: "Pair", render: pairCell },
    { key: "amount", label: "Amount", num: true, render: (t) => fmtAmount(t.amount) },
    { key: "stake_amount", label: "Stake", num: true, render: (t) => fmtStake(t.stake_amount, dec) },
    { key: "open_rate", label: "Open rate", num: true, render: (t) => fmtPrice(t.open_rate) },
    { key: "current_rate", label: "Current", num: true, render: (t) => fmtPrice(t.current_rate) },
    { key: "profit_ratio", label: "Profit %", num: true, render: (t) => fmtRatio(t.profit_ratio), cls: (t) => profitClass(t.profit_ratio) },
    { key: "profit_abs", label: "Profit", num: true, render: (t) => fmtStake(t.profit_abs, dec), cls: (t) => profitClass(t.profit_abs) },
    { key: "open_timestamp", label: "Opened", render: (t) => fmtDate(t.open_timestamp, false) },
  ];
}

export function closedTradeColumns(session) {
  const dec = session.stakeDecimals;
  return [
    { key: "trade_id", label: "ID", num: true, render: idCell },
    { key: "pair", label: "Pair", render: pairCell },
    { key: "amount", label: "Amount", num: true, render: (t) => fmtAmount(t.amount) },
    { key: "stake_amount", label: "Stake", num: true, render: (t) => fmtStake(t.stake_amount, dec) },
    { key: "open_rate", label: "Open rate", num: true, render: (t) => fmtPrice(t.open_rate) },
    { key: "close_rate", label: "Close rate", num: true, render: (t) => fmtPrice(t.close_rate) },
    { key: "profit_ratio", label: "Profit %", num: true, render: (t) => fmtRatio(t.profit_ratio), cls: (t) => profitClass(t.profit_ratio) },
    { key: "profit_abs", label: "Profit", num: true, render: (t) => fmtStake(t.profit_abs, dec), cls: (t) => profitClass(t.profit_abs) },
    { key: "exit_reason", label: "Exit reason" },
    { key: "open_timestamp", label: "Opened", render: (t) => fmtDate(t.open_timestamp, false) },
    { key: "close_timestamp", label: "Closed", render: (t) => fmtDate(t.close_timestamp, false) },
    {
      key: "duration",
      label: "Duration",
      num: true,
      value: (t) => (t.close_timestamp && t.open_timestamp ? t.close_timestamp - t.open_timestamp : null),
      render: (t) => (t.close_timestamp ? fmtDuration(t.close_timestamp - t.open_timestamp) : "—"),
    },
  ];
}
