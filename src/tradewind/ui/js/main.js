// The shell: theme, top bar, navigation, the bot session (API client + WebSocket) and the
// router that mounts one view module at a time.

import { createClient } from "./api.js";
import { h, loading, errorBox, toast, setChildren } from "./dom.js";
import { fmtAmount, fmtPrice, fmtRatio } from "./format.js";
import { adoptPathRoute, currentRoute, navigate, onRouteChange } from "./router.js";
import {
  bus, currentBotId, findBot, loadBots, logoutBot, saveBot, session, setCurrentBotId, storeTheme,
} from "./state.js";
import { connectWs } from "./ws.js";

performance.mark("app-start");

const $ = (id) => document.getElementById(id);
const viewRoot = $("view");
let unmountView = null;
let renderToken = 0;
let pingTimer = null;
let loginNotice = null;

// ---------- theme ----------

function activeTheme() {
  const explicit = document.documentElement.dataset.theme;
  if (explicit) return explicit;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

$("theme-toggle").addEventListener("click", () => {
  const next = activeTheme() === "dark" ? "light" : "dark";
  document.documentElement.dataset.theme = next;
  storeTheme(next);
  bus.emit("theme", next);
});
matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => bus.emit("theme", activeTheme()));

// ---------- reachability banner ----------

function showUnreachable(message) {
  const banner = $("banner");
  setChildren(
    banner,
    h("strong", {}, "Bot unreachable."),
    h("span", {}, message),
    h("button", { type: "button", class: "btn btn-sm", "data-testid": "banner-retry", onClick: () => recover() }, "Retry now"),
  );
  banner.hidden = false;
  const badge = $("bot-state");
  badge.textContent = "unreachable";
  badge.className = "badge badge-error";
  if (!pingTimer) pingTimer = setInterval(probe, 10000);
}

function hideUnreachable() {
  if (!$("banner").hidden) {
    $("banner").hidden = true;
    updateTopbar();
  }
  clearInterval(pingTimer);
  pingTimer = null;
}

async function probe() {
  if (!session.bot) return hideUnreachable();
  try {
    const response = await fetch(`${session.bot.url}/api/v1/ping`, { signal: AbortSignal.timeout(5000) });
    if (response.ok) recover();
  } catch {
    // still unreachable; the banner stays
  }
}

async function recover() {
  hideUnreachable();
  await refreshConfig().catch(() => {});
  renderRoute();
}

/** Wrap a client so that every network failure raises the banner and any success lowers it. */
function watched(client) {
  const wrap = (fn) => async (...args) => {
    try {
      const result = await fn(...args);
      if (!$("banner").hidden) hideUnreachable();
      return result;
    } catch (err) {
      if (err.kind === "network") showUnreachable(err.message);
      throw err;
    }
  };
  return { ...client, get: wrap(client.get), post: wrap(client.post), del: wrap(client.del) };
}

// ---------- session ----------

function updateTopbar() {
  const config = session.config;
  const signedIn = Boolean(session.bot);
  $("bot-meta").hidden = !signedIn;
  $("nav").hidden = !signedIn;
  $("logout").hidden = !signedIn;
  const select = $("bot-switch");
  const bots = loadBots().filter((b) => b.accessToken || b.id === session.bot?.id);
  setChildren(select, bots.map((b) => h("option", { value: b.id, selected: b.id === session.bot?.id }, b.name || b.url)));
  const state = config?.state || "";
  const badge = $("bot-state");
  badge.textContent = state;
  badge.className = `badge badge-${state || "muted"}`;
  $("bot-mode").textContent = config ? (config.dry_run ? "dry-run" : "LIVE") : "";
}

let wsWasOpen = false;

function setWsState(state) {
  if (state === "open" && wsWasOpen) {
    // A reconnect (e.g. after reload_config restarted the server): messages may have been
    // missed, so re-read the state and let the views refresh.
    refreshConfig().then(() => bus.emit("resync")).catch(() => {});
  }
  if (state === "open") wsWasOpen = true;
  const dot = $("ws-status");
  dot.dataset.state = state;
  const label = { open: "Live updates: connected", connecting: "Live updates: connecting…", closed: "Live updates: disconnected, retrying" }[state];
  dot.title = label;
  dot.setAttribute("aria-label", label);
  bus.emit("ws-state", state);
}

export async function refreshConfig() {
  if (!session.api) return null;
  session.config = await session.api.get("/show_config");
  updateTopbar();
  bus.emit("config", session.config);
  return session.config;
}

function notify(message) {
  const pair = message.pair ? `${message.pair}` : "";
  switch (message.type) {
    case "entry_fill":
      toast(`Entry filled: ${pair} — ${fmtAmount(message.amount)} @ ${fmtPrice(message.open_rate)}`, "success");
      break;
    case "exit_fill":
      toast(`${message.sub_trade ? "Partial exit" : "Exit"} filled: ${pair} — ${fmtRatio(message.profit_ratio)} (${message.exit_reason || "exit"})`, "success");
      break;
    case "entry_cancel":
    case "exit_cancel":
      toast(`${message.type === "entry_cancel" ? "Entry" : "Exit"} cancelled: ${pair}${message.reason ? ` — ${message.reason}` : ""}`, "warn");
      break;
    case "warning":
      toast(message.status, "warn");
      break;
    case "exception":
      toast(message.status || message.data || "The bot reported an error.", "error");
      break;
    case "status":
      toast(`Bot: ${message.status}`, "info");
      break;
    default:
  }
}

function onWsMessage(message) {
  if (message.type === "whitelist" && Array.isArray(message.data)) session.whitelist = message.data;
  if (message.type === "status") refreshConfig().catch(() => {});
  notify(message);
  bus.emit(`ws:${message.type}`, message);
}

function endSession() {
  session.ws?.close();
  wsWasOpen = false;
  Object.assign(session, { bot: null, api: null, ws: null, config: null, whitelist: [] });
  setWsState("closed");
  hideUnreachable();
  updateTopbar();
}

/** Make `bot` the active bot: API client, show_config, WebSocket. */
export async function startSession(bot) {
  endSession();
  setCurrentBotId(bot.id);
  session.bot = bot;
  const client = createClient(bot, {
    onTokens: (b) => saveBot(b),
    onAuthLost: (message) => {
      logoutBot(bot.id);
      endSession();
      loginNotice = message;
      navigate("/login");
    },
  });
  session.api = watched(client);
  updateTopbar();
  try {
    await refreshConfig();
  } catch (err) {
    if (err.kind === "auth") return;
    // unreachable or failing: the banner/views show it; the WebSocket keeps retrying
  }
  if (session.bot !== bot) return;
  session.ws = connectWs({
    bot: () => bot,
    renew: () => client.refresh(),
    onMessage: onWsMessage,
    onState: setWsState,
  });
}

function logout() {
  if (session.bot) logoutBot(session.bot.id);
  endSession();
  loginNotice = "Logged out.";
  navigate("/login");
}

$("logout").addEventListener("click", logout);
$("bot-switch").addEventListener("change", async (event) => {
  const bot = findBot(event.target.value);
  if (!bot) return;
  await startSession(bot);
  if (session.bot) renderRoute();
});

// ---------- router ----------

function markNav(name) {
  for (const link of document.querySelectorAll("#nav a")) {
    if (link.dataset.route === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

async function renderRoute() {
  const route = currentRoute();
  if (route.name !== "login" && !session.bot) {
    navigate("/login");
    return;
  }
  const token = ++renderToken;
  if (unmountView) {
    try {
      unmountView();
    } catch (err) {
      console.error("view cleanup failed", err);
    }
    unmountView = null;
  }
  markNav(route.name);
  document.title = `tradewind · ${route.name}`;
  setChildren(viewRoot, loading());
  let module;
  try {
    module = await import(`./views/${route.name}.js`);
  } catch (err) {
    setChildren(viewRoot, errorBox(new Error(`The ${route.name} view could not be loaded (${err.message}).`)));
    return;
  }
  if (token !== renderToken) return;
  const container = h("div", { "data-testid": `view-${route.name}` });
  setChildren(viewRoot, container);
  const notice = loginNotice;
  loginNotice = null;
  unmountView = module.mount(container, {
    route,
    session,
    bus,
    navigate,
    refreshConfig,
    startSession,
    notice,
  }) || null;
}

onRouteChange(renderRoute);
bus.on("session-changed", () => renderRoute());

// ---------- start ----------

adoptPathRoute();
const saved = findBot(currentBotId());
if (saved?.accessToken) {
  setChildren(viewRoot, loading("Connecting to the bot…"));
  await startSession(saved);
  if (session.bot) renderRoute(); // otherwise the session ended and the login view is coming
} else {
  updateTopbar();
  if (currentRoute().name !== "login") navigate("/login");
  else renderRoute();
}
