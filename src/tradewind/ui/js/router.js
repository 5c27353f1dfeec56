// Hash routing: "#/<view>[/<id>][?query]". Hash routes work behind any proxy; deep links such as
// "/trades" (served as index.html by the bot's SPA fallback) are rewritten to "/#/trades".

export const VIEWS = ["login", "dashboard", "trades", "chart", "control", "pairs", "logs", "system"];

/** The current route: {name, id, query}. Unknown views fall back to the dashboard. */
export function currentRoute() {
  const hash = location.hash.replace(/^#\/?/, "");
  const [pathPart, queryPart = ""] = hash.split("?");
  const [name, id = null] = pathPart.split("/").filter(Boolean);
  return {
    name: VIEWS.includes(name) ? name : "dashboard",
    id: id ? decodeURIComponent(id) : null,
    query: new URLSearchParams(queryPart),
  };
}

export function navigate(path) {
  const target = `#${path.startsWith("/") ? path : `/${path}`}`;
  if (location.hash === target) window.dispatchEvent(new HashChangeEvent("hashchange"));
  else location.hash = target;
}

/** Update the query part of the current route without re-rendering the view. */
export function replaceQuery(params) {
  const { name, id } = currentRoute();
  const query = new URLSearchParams(params).toString();
  const path = `#/${name}${id ? `/${encodeURIComponent(id)}` : ""}${query ? `?${query}` : ""}`;
  history.replaceState(null, "", path);
}

/** Turn a history-style deep link ("/trades/3") into the hash route ("/#/trades/3"). */
export function adoptPathRoute() {
  const path = location.pathname.replace(/^\/+|\/+$/g, "");
  if (!path || path === "index.html") return;
  const name = path.split("/")[0];
  const hash = VIEWS.includes(name) ? `#/${path}` : location.hash || "#/dashboard";
  history.replaceState(null, "", `/${location.search}${hash}`);
}

export function onRouteChange(handler) {
  window.addEventListener("hashchange", handler);
}
