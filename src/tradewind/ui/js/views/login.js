// Login and the list of saved bots (URL, name, user; tokens in localStorage, the password only
// when "remember" is ticked).

import { login, normaliseUrl } from "../api.js";
import { alertBox, confirmDialog, field, h, setChildren } from "../dom.js";
import { currentBotId, findBot, loadBots, newBotId, removeBot, saveBot } from "../state.js";

function unreachable(err, url) {
  const crossOrigin = new URL(url).origin !== location.origin;
  const hint = crossOrigin
    ? ` If it is running, its api_server.CORS_origins must list ${location.origin}.`
    : "";
  return `Bot unreachable: ${err.message}${hint}`;
}

function loginForm(ctx, prefill, onDone) {
  const name = h("input", { name: "name", required: true, value: prefill.name || "", autocomplete: "off", "data-testid": "login-name" });
  const url = h("input", { name: "url", type: "url", required: true, value: prefill.url || location.origin, "data-testid": "login-url" });
  const username = h("input", { name: "username", required: true, value: prefill.username || "", placeholder: "tradewind", autocomplete: "username", "data-testid": "login-username" });
  const password = h("input", { name: "password", type: "password", autocomplete: "current-password", "data-testid": "login-password" });
  const remember = h("input", { type: "checkbox", name: "remember", "data-testid": "login-remember" });
  const error = h("div", { "aria-live": "assertive" });
  const submit = h("button", { type: "submit", class: "btn btn-primary", "data-testid": "login-submit" }, "Log in");

  const form = h(
    "form",
    { "data-testid": "login-form", novalidate: true },
    field("Bot name", name, "Shown in the bot switcher."),
    field("Bot URL", url, "Where the bot's API server listens, e.g. http://127.0.0.1:8080"),
    field("Username", username),
    field("Password", password),
    h("label", { class: "field field-inline" }, remember, h("span", {}, "Remember the password on this device")),
    h("small", { class: "hint" }, "Without it only the session tokens are kept; you log in again when they expire."),
    error,
    h("div", { class: "btn-row" }, submit),
  );

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    setChildren(error);
    const values = {
      name: name.value.trim(),
      url: normaliseUrl(url.value),
      username: username.value.trim(),
      password: password.value,
    };
    if (!values.url || !/^https?:\/\//.test(values.url)) return showError("Enter the bot URL, starting with http:// or https://.");
    if (!values.username) return showError("Enter the username.");
    submit.disabled = true;
    submit.textContent = "Logging in…";
    try {
      const tokens = await login(values.url, values.username, values.password);
      const existing = loadBots().find((b) => b.url === values.url && b.username === values.username);
      const bot = {
        id: existing?.id || newBotId(),
        name: values.name || new URL(values.url).host,
        url: values.url,
        username: values.username,
        accessToken: tokens.access_token,
        refreshToken: tokens.refresh_token,
        password: remember.checked ? values.password : null,
      };
      saveBot(bot);
      await onDone(bot);
    } catch (err) {
      showError(err.kind === "network" ? unreachable(err, values.url) : err.message);
    } finally {
      if (submit.isConnected) {
        submit.disabled = false;
        submit.textContent = "Log in";
      }
    }
  });

  function showError(message) {
    setChildren(error, h("div", { class: "alert alert-error", role: "alert", "data-testid": "login-error" }, message));
  }

  return { form, focus: () => (username.value ? password : username).focus() };
}

function botList(ctx, { onOpen, onRemoved }) {
  const list = h("ul", { class: "bot-list", "data-testid": "bot-list" });
  function render() {
    const bots = loadBots();
    const current = ctx.session.bot?.id || currentBotId();
    if (!bots.length) {
      setChildren(list, h("li", { class: "muted" }, "No bots yet. Add one with the form."));
      return;
    }
    setChildren(
      list,
      bots.map((bot) =>
        h(
          "li",
          { "data-testid": "bot-item", "aria-current": bot.id === current ? "true" : "false" },
          h("div", { class: "bot-info" }, h("div", { class: "bot-name" }, bot.name), h("div", { class: "muted mono" }, `${bot.username} @ ${bot.url}`)),
          h("div", { class: "btn-row" },
          h("span", { class: `badge ${bot.accessToken ? "badge-ok" : "badge-muted"}` }, bot.accessToken ? "signed in" : "signed out"),
          h("button", { type: "button", class: "btn btn-sm", "data-testid": "bot-open", onClick: () => onOpen(bot) }, bot.accessToken ? "Open" : "Log in"),
          h("button", {
            type: "button",
            class: "btn btn-sm btn-ghost",
            "data-testid": "bot-remove",
            "aria-label": `Remove ${bot.name}`,
            onClick: async () => {
              const ok = await confirmDialog({ title: `Remove ${bot.name}?`, body: "Its URL and tokens are deleted from this browser.", confirmLabel: "Remove", danger: true });
              if (!ok) return;
              removeBot(bot.id);
              onRemoved(bot);
              render();
            },
          }, "Remove")),
        ),
      ),
    );
  }
  render();
  return list;
}

export function mount(root, ctx) {
  const fromQuery = ctx.route.query.get("bot");
  // Signed in: the form adds another bot. Signed out: it logs the last bot in again.
  const prefill = findBot(fromQuery) || (ctx.session.bot ? {} : findBot(currentBotId())) || {};
  const formHost = h("div");
  let current = null;

  const open = async (bot) => {
    await ctx.startSession(bot);
    ctx.navigate("/dashboard");
  };
  const showForm = (values) => {
    current = loginForm(ctx, values, open);
    setChildren(formHost, current.form);
  };

  const notice = ctx.notice
    ? alertBox(/expired|rejected/.test(ctx.notice) ? "warn" : "info", h("span", { "data-testid": "login-notice" }, ctx.notice))
    : null;

  setChildren(
    root,
    h(
      "div",
      { class: "login-wrap" },
      h(
        "section",
        { class: "card login-card", "aria-labelledby": "login-title" },
        h("h1", { id: "login-title" }, ctx.session.bot ? "Add a bot" : "Log in to a bot"),
        notice,
        formHost,
      ),
      h(
        "section",
        { class: "card", "aria-labelledby": "bots-title" },
        h("header", {}, h("h2", { id: "bots-title" }, "Saved bots"), h("span", { class: "spacer" }),
          h("button", { type: "button", class: "btn btn-sm", "data-testid": "bot-add", onClick: () => { showForm({}); current.focus(); } }, "Add bot")),
        botList(ctx, {
          onOpen: (bot) => {
            if (bot.accessToken) return open(bot);
            showForm(bot);
            current.focus();
          },
          onRemoved: (bot) => {
            if (ctx.session.bot?.id === bot.id) location.reload();
          },
        }),
      ),
    ),
  );
  showForm(prefill);
  current.focus();
}
