// The REST client: fetch with a JWT bearer token, one automatic refresh on 401, and errors that
// carry a message a person can act on (the API's `detail`/`error` text, or "bot unreachable").

const TIMEOUT_MS = 20000;

/** A failed API call. kind: "network" (no answer), "auth" (log in again) or "http". */
export class ApiError extends Error {
  constructor(message, { status = 0, kind = "http", body = null } = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.kind = kind;
    this.body = body;
  }
}

export function normaliseUrl(url) {
  return String(url || "").trim().replace(/\/+$/, "");
}

function buildUrl(base, path, query) {
  const url = new URL(`${normaliseUrl(base)}/api/v1${path}`);
  for (const [key, value] of Object.entries(query || {})) {
    if (value === null || value === undefined || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) url.searchParams.append(key, item);
  }
  return url.toString();
}

/**
 * True when a JWT expires within `marginMs` (tokens are opaque to the API contract, so anything
 * that does not decode as a JWT with `exp` simply counts as fresh).
 */
export function expiresSoon(token, marginMs = 30000) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const { exp } = JSON.parse(atob(part));
    return typeof exp === "number" && exp * 1000 < Date.now() + marginMs;
  } catch {
    return false;
  }
}

function basicAuth(username, password) {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

async function send(base, method, path, { query, body, authorization } = {}) {
  const headers = { Accept: "application/json" };
  if (authorization) headers.Authorization = authorization;
  const init = { method, headers, signal: AbortSignal.timeout(TIMEOUT_MS) };
  if (method !== "GET" && method !== "HEAD") {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body ?? {});
  }
  try {
    return await fetch(buildUrl(base, path, query), init);
  } catch (err) {
    const reason = err?.name === "TimeoutError" ? `no answer within ${TIMEOUT_MS / 1000} s` : "connection failed";
    throw new ApiError(`Cannot reach the bot at ${normaliseUrl(base)} (${reason}).`, { kind: "network" });
  }
}

/** The human-readable text of an error response (FastAPI `detail`, bot `error`, or status). */
function describe(status, body) {
  if (body && typeof body === "object") {
    if (typeof body.detail === "string") return body.detail;
    if (Array.isArray(body.detail)) {
      return body.detail
        .map((item) => {
          const where = Array.isArray(item.loc) ? item.loc.filter((p) => p !== "body" && p !== "query").join(".") : "";
          return where ? `${where}: ${item.msg}` : item.msg;
        })
        .join("; ");
    }
    if (typeof body.error === "string") return body.error.replace(/^Error querying \/api\/v1\/[^:]*: /, "");
  }
  if (status >= 500) return `The bot reported an internal error (HTTP ${status}).`;
  return `Request failed (HTTP ${status}).`;
}

async function readBody(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function parse(response) {
  const body = await readBody(response);
  if (response.ok) return body;
  throw new ApiError(describe(response.status, body), { status: response.status, body });
}

/** POST /token/login with HTTP Basic credentials → {access_token, refresh_token}. */
export async function login(baseUrl, username, password) {
  const response = await send(baseUrl, "POST", "/token/login", {
    authorization: basicAuth(username, password),
  });
  if (response.status === 401) {
    await readBody(response);
    throw new ApiError("Wrong username or password.", { status: 401, kind: "auth" });
  }
  const body = await parse(response);
  if (!body?.access_token || !body?.refresh_token) {
    throw new ApiError("The server did not return tokens — is this a tradewind or Freqtrade bot?");
  }
  return body;
}

/**
 * A client bound to one bot. `bot` holds url, accessToken, refreshToken (and password only
 * when the user chose "remember"). Hooks: onTokens(bot) after a refresh, onAuthLost(message)
 * when the session cannot be renewed.
 */
export function createClient(bot, { onTokens = () => {}, onAuthLost = () => {} } = {}) {
  let refreshing = null;

  async function renew() {
    if (bot.refreshToken) {
      const response = await send(bot.url, "POST", "/token/refresh", {
        authorization: `Bearer ${bot.refreshToken}`,
      });
      if (response.ok) {
        const body = await readBody(response);
        bot.accessToken = body.access_token;
        onTokens(bot);
        return;
      }
      await readBody(response);
      if (response.status !== 401) {
        throw new ApiError(describe(response.status, null), { status: response.status });
      }
    }
    if (bot.password) {
      const tokens = await login(bot.url, bot.username, bot.password);
      bot.accessToken = tokens.access_token;
      bot.refreshToken = tokens.refresh_token;
      onTokens(bot);
      return;
    }
    const message = "Your session has expired — please log in again.";
    onAuthLost(message);
    throw new ApiError(message, { status: 401, kind: "auth" });
  }

  /** Renew the access token; concurrent callers share one refresh request. */
  function refresh() {
    if (!refreshing) refreshing = renew().finally(() => { refreshing = null; });
    return refreshing;
  }

  async function request(method, path, { query, body } = {}) {
    if (bot.accessToken && expiresSoon(bot.accessToken)) await refresh();
    let response = await send(bot.url, method, path, { query, body, authorization: `Bearer ${bot.accessToken}` });
    if (response.status === 401) {
      await readBody(response);
      await refresh();
      response = await send(bot.url, method, path, { query, body, authorization: `Bearer ${bot.accessToken}` });
      if (response.status === 401) {
        const message = "The bot rejected the renewed session — please log in again.";
        onAuthLost(message);
        throw new ApiError(message, { status: 401, kind: "auth" });
      }
    }
    return parse(response);
  }

  return {
    bot,
    refresh,
    get: (path, query) => request("GET", path, { query }),
    post: (path, body, query) => request("POST", path, { body, query }),
    del: (path, query) => request("DELETE", path, { query }),
  };
}
