// Application state: the saved bots (localStorage), the active session and an event bus.
// Passwords are stored only for bots whose user ticked "remember"; otherwise just tokens.

const BOTS_KEY = "tradewind.bots";
const CURRENT_KEY = "tradewind.currentBot";
const THEME_KEY = "tradewind.theme";

function readJson(key, fallback) {
  try {
    const value = JSON.parse(localStorage.getItem(key));
    return value ?? fallback;
  } catch {
    return fallback;
  }
}

/** Saved bots: [{id, name, url, username, accessToken, refreshToken, password?}]. */
export function loadBots() {
  const bots = readJson(BOTS_KEY, []);
  return Array.isArray(bots) ? bots.filter((b) => b && b.id && b.url) : [];
}

function storable(bot) {
  const { id, name, url, username, accessToken, refreshToken, password } = bot;
  const entry = { id, name, url, username, accessToken: accessToken || null, refreshToken: refreshToken || null };
  if (password) entry.password = password;
  return entry;
}

export function saveBot(bot) {
  const bots = loadBots();
  const index = bots.findIndex((b) => b.id === bot.id);
  if (index >= 0) bots[index] = storable(bot);
  else bots.push(storable(bot));
  localStorage.setItem(BOTS_KEY, JSON.stringify(bots));
}

export function removeBot(id) {
  localStorage.setItem(BOTS_KEY, JSON.stringify(loadBots().filter((b) => b.id !== id)));
  if (currentBotId() === id) localStorage.removeItem(CURRENT_KEY);
}

export function findBot(id) {
  return loadBots().find((b) => b.id === id) || null;
}

export function currentBotId() {
  return localStorage.getItem(CURRENT_KEY);
}

export function setCurrentBotId(id) {
  if (id) localStorage.setItem(CURRENT_KEY, id);
  else localStorage.removeItem(CURRENT_KEY);
}

/** Forget a bot's tokens (and remembered password): the user must log in again. */
export function logoutBot(id) {
  const bot = findBot(id);
  if (!bot) return;
  saveBot({ ...bot, accessToken: null, refreshToken: null, password: null });
}

export function newBotId() {
  return `bot-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`;
}

export function storeTheme(theme) {
  localStorage.setItem(THEME_KEY, theme);
}

/** A tiny publish/subscribe bus; WebSocket messages arrive as `ws:<type>`. */
function createBus() {
  const handlers = new Map();
  return {
    on(type, fn) {
      if (!handlers.has(type)) handlers.set(type, new Set());
      handlers.get(type).add(fn);
      return () => handlers.get(type)?.delete(fn);
    },
    emit(type, data) {
      for (const fn of handlers.get(type) || []) {
        try {
          fn(data);
        } catch (err) {
          console.error(`handler for ${type} failed`, err);
        }
      }
    },
  };
}

export const bus = createBus();

/**
 * The active session: the bot, its API client, its WebSocket and the last show_config.
 * Views read it; main.js owns its lifecycle.
 */
export const session = {
  bot: null,
  api: null,
  ws: null,
  config: null,
  whitelist: [],
  /** Decimals for amounts in the stake currency. */
  get stakeDecimals() {
    const decimals = this.config?.stake_currency_decimals;
    return Number.isInteger(decimals) ? decimals : 3;
  },
  get stakeCurrency() {
    return this.config?.stake_currency || "";
  },
};
