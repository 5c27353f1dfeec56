// Small DOM helpers: element builder, messages, toasts, confirmation and form dialogs.
// Text is always inserted as text nodes (never innerHTML), so API data cannot inject markup.

/**
 * Create an element. `attrs` keys: `class`, `text`, `on<Event>` (functions), `dataset`,
 * boolean/prop keys (`disabled`, `checked`, `value`, `hidden`, `selected`), everything else
 * becomes an attribute (`data-testid`, `aria-*`, `type`, `for` …). `null`/`false` are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (["value", "checked", "disabled", "hidden", "selected", "open"].includes(key)) {
      el[key] = value;
    } else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replace all children of `el`. */
export function setChildren(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export function loading(text = "Loading…") {
  return h("div", { class: "loading", role: "status", "data-testid": "loading" }, text);
}

/** An inline error box for a failed request (see api.js ApiError). */
export function errorBox(err, { onRetry, testid = "error" } = {}) {
  const message = err?.message || String(err);
  return h(
    "div",
    { class: "alert alert-error", role: "alert", "data-testid": testid },
    h("strong", {}, err?.kind === "network" ? "Bot unreachable. " : "Error. "),
    message,
    onRetry ? [" ", h("button", { type: "button", class: "btn btn-sm", onClick: onRetry }, "Retry")] : null,
  );
}

/**
 * Error boxes for several failed sections: unreachable-bot errors collapse into one line (the
 * top banner explains them), every other error keeps its own box. `failures`: [[label, err]].
 */
export function errorList(failures, { onRetry, testid = "error" } = {}) {
  const shown = failures.filter(([, err]) => err.kind !== "auth");
  const offline = shown.filter(([, err]) => err.kind === "network");
  const boxes = shown
    .filter(([, err]) => err.kind !== "network")
    .map(([label, err]) => errorBox(new Error(`${label}: ${err.message}`), { onRetry, testid }));
  if (offline.length) {
    const labels = offline.map(([label]) => label.toLowerCase()).join(", ");
    boxes.unshift(errorBox(Object.assign(new Error(`Could not refresh ${labels}; showing the last known values.`), { kind: "network" }), { onRetry, testid }));
  }
  return boxes;
}

export function alertBox(kind, ...children) {
  return h("div", { class: `alert alert-${kind}`, role: kind === "error" ? "alert" : "status" }, ...children);
}

/** A short-lived notification in the bottom-right corner. */
export function toast(message, kind = "info", timeout = 6000) {
  const host = document.getElementById("toasts");
  if (!host) return;
  const el = h("div", { class: `toast toast-${kind}`, role: kind === "error" ? "alert" : "status", "data-testid": `toast-${kind}` }, message);
  host.append(el);
  while (host.children.length > 5) host.firstElementChild.remove();
  setTimeout(() => el.remove(), kind === "error" ? timeout * 2 : timeout);
}

/** Show a modal <dialog>; resolves with the submit result or null when cancelled. */
function openDialog(build) {
  return new Promise((resolve) => {
    const dialog = h("dialog", { "data-testid": "dialog" });
    let result = null;
    const close = (value) => {
      result = value;
      dialog.close();
    };
    dialog.append(build(close));
    dialog.addEventListener("close", () => {
      dialog.remove();
      resolve(result);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

/** Ask for confirmation. Resolves true only when the user confirms. */
export async function confirmDialog({ title, body, confirmLabel = "Confirm", danger = false }) {
  const answer = await openDialog((close) =>
    h(
      "form",
      { method: "dialog", onSubmit: (e) => { e.preventDefault(); close(true); } },
      h("h2", {}, title),
      body ? h("div", { class: "dialog-body" }, body) : null,
      h(
        "div",
        { class: "btn-row" },
        h("button", { type: "button", class: "btn", "data-testid": "dialog-cancel", onClick: () => close(false) }, "Cancel"),
        h("button", { type: "submit", class: danger ? "btn btn-danger" : "btn btn-primary", "data-testid": "dialog-confirm", autofocus: true }, confirmLabel),
      ),
    ),
  );
  return answer === true;
}

/**
 * A form in a dialog. `fields(form)` returns the form's body; `read(form)` turns the form into
 * a value or throws an Error whose message is shown inline. Resolves with the value or null.
 */
export function formDialog({ title, fields, read, submitLabel = "Submit", danger = false, testid = "form-dialog" }) {
  return openDialog((close) => {
    const error = h("div", { class: "alert alert-error", role: "alert", hidden: true, "data-testid": "dialog-error" });
    const form = h("form", { method: "dialog", "data-testid": testid, novalidate: true });
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      try {
        close(read(form));
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      }
    });
    append(form, [
      h("h2", {}, title),
      fields(form),
      error,
      h(
        "div",
        { class: "btn-row" },
        h("button", { type: "button", class: "btn", "data-testid": "dialog-cancel", onClick: () => close(null) }, "Cancel"),
        h("button", { type: "submit", class: danger ? "btn btn-danger" : "btn btn-primary", "data-testid": "dialog-confirm" }, submitLabel),
      ),
    ]);
    return form;
  });
}

/** A labelled form control. */
export function field(label, control, hint) {
  return h("label", { class: "field" }, h("span", {}, label), control, hint ? h("small", { class: "hint" }, hint) : null);
}

/** A button that disables itself while its async action runs. */
export function actionButton(label, action, attrs = {}) {
  const button = h("button", { type: "button", class: "btn", ...attrs }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await action();
    } finally {
      if (button.isConnected) button.disabled = false;
    }
  });
  return button;
}

/** Run `fn` at most once per `wait` ms, trailing call included. */
export function throttle(fn, wait) {
  let last = 0;
  let timer = null;
  return (...args) => {
    const now = Date.now();
    const remaining = wait - (now - last);
    clearTimeout(timer);
    if (remaining <= 0) {
      last = now;
      fn(...args);
    } else {
      timer = setTimeout(() => {
        last = Date.now();
        fn(...args);
      }, remaining);
    }
  };
}
