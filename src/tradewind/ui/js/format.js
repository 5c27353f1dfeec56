// Formatting helpers shared by every view: numbers, money, percentages, dates.
// Missing values are shown as an em dash so an empty cell never looks like a zero.

export const DASH = "—";

const numberFormats = new Map();

function numberFormat(minDigits, maxDigits) {
  const key = `${minDigits}:${maxDigits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(undefined, {
      minimumFractionDigits: minDigits,
      maximumFractionDigits: maxDigits,
    });
    numberFormats.set(key, format);
  }
  return format;
}

function isNumber(value) {
  return typeof value === "number" && Number.isFinite(value);
}

/** A number with exactly `decimals` fraction digits. */
export function fmtNumber(value, decimals = 2) {
  if (!isNumber(value)) return DASH;
  return numberFormat(decimals, decimals).format(value);
}

/** An amount in the stake currency, with the bot's stake_currency_decimals. */
export function fmtStake(value, decimals = 3, currency = "") {
  if (!isNumber(value)) return DASH;
  const text = numberFormat(decimals, decimals).format(value);
  return currency ? `${text} ${currency}` : text;
}

/** A price with about six significant digits (cheap coins get more decimals). */
export function fmtPrice(value) {
  if (!isNumber(value)) return DASH;
  if (value === 0) return "0";
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.min(10, Math.max(2, 5 - magnitude));
  return numberFormat(0, decimals).format(value);
}

/** A coin amount: up to 8 decimals, trailing zeros dropped. */
export function fmtAmount(value) {
  if (!isNumber(value)) return DASH;
  return numberFormat(0, 8).format(value);
}

/** A ratio (0.0123) as a percentage ("1.23 %"). */
export function fmtRatio(ratio, decimals = 2) {
  if (!isNumber(ratio)) return DASH;
  return `${numberFormat(decimals, decimals).format(ratio * 100)} %`;
}

/** A value that is already in percent (1.23) as "1.23 %". */
export function fmtPct(pct, decimals = 2) {
  if (!isNumber(pct)) return DASH;
  return `${numberFormat(decimals, decimals).format(pct)} %`;
}

/** CSS class for a profit figure: green when above zero, red when below. */
export function profitClass(value) {
  if (!isNumber(value) || value === 0) return "";
  return value > 0 ? "pos" : "neg";
}

const pad = (n, width = 2) => String(n).padStart(width, "0");

/** Epoch milliseconds → "YYYY-MM-DD HH:MM:SS" in the browser's local time zone. */
export function fmtDate(ms, withSeconds = true) {
  if (!isNumber(ms) || ms <= 0) return DASH;
  const d = new Date(ms);
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return withSeconds ? `${date} ${time}:${pad(d.getSeconds())}` : `${date} ${time}`;
}

/** Epoch milliseconds → a local time string plotly understands (it has no time zones). */
export function plotDate(ms) {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A duration in milliseconds as "3d 4h", "2h 5m", "45s". */
export function fmtDuration(ms) {
  if (!isNumber(ms) || ms < 0) return DASH;
  const s = Math.floor(ms / 1000);
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days) return `${days}d ${hours}h`;
  if (hours) return `${hours}h ${minutes}m`;
  if (minutes) return `${minutes}m ${s % 60}s`;
  return `${s}s`;
}

/** How long ago an epoch-ms moment was ("12s ago"). */
export function fmtAgo(ms, now = Date.now()) {
  if (!isNumber(ms) || ms <= 0) return DASH;
  return `${fmtDuration(Math.max(0, now - ms))} ago`;
}

/** Date → "YYYYMMDD" for timeranges. */
export function compactDay(date) {
  return `${date.getFullYear()}${pad(date.getMonth() + 1)}${pad(date.getDate())}`;
}

/** Date → "YYYY-MM-DD" in local time (for <input type=date>). */
export function inputDay(date) {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
