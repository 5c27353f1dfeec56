// The message WebSocket: connect with the JWT access token, subscribe, hand each message to
// `onMessage`, and reconnect with exponential backoff (renewing the token first when it is about
// to expire or the handshake was refused — the server checks the token only at connect time).

import { expiresSoon } from "./api.js";

const SUBSCRIPTIONS = [
  "status", "warning", "startup", "exception",
  "entry", "entry_fill", "entry_cancel", "exit", "exit_fill", "exit_cancel",
  "whitelist", "new_candle",
];

const MAX_BACKOFF_MS = 30000;

function wsUrl(baseUrl, token) {
  const url = new URL(`${baseUrl.replace(/\/+$/, "")}/api/v1/message/ws`);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.searchParams.set("token", token);
  return url.toString();
}

/**
 * @param {object} options
 * @param {() => object} options.bot             current bot (read on every connect for the token)
 * @param {() => Promise<void>} options.renew    renews the access token
 * @param {(msg:object) => void} options.onMessage
 * @param {(state:"connecting"|"open"|"closed") => void} options.onState
 */
export function connectWs({ bot, renew, onMessage, onState, subscriptions = SUBSCRIPTIONS }) {
  let socket = null;
  let stopped = false;
  let attempt = 0;
  let timer = null;

  async function connect() {
    if (stopped) return;
    onState("connecting");
    let opened = false;
    if (expiresSoon(bot().accessToken)) {
      try {
        await renew();
      } catch {
        // reported by the API client; the connection attempt below will fail and retry
      }
      if (stopped) return;
    }
    const current = bot();
    socket = new WebSocket(wsUrl(current.url, current.accessToken));
    socket.addEventListener("open", () => {
      opened = true;
      attempt = 0;
      socket.send(JSON.stringify({ type: "subscribe", data: subscriptions }));
      socket.send(JSON.stringify({ type: "whitelist", data: "" }));
      onState("open");
    });
    socket.addEventListener("message", (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return; // not JSON: nothing a UI can do with it
      }
      if (message && typeof message.type === "string") onMessage(message);
    });
    socket.addEventListener("close", () => {
      socket = null;
      if (stopped) return;
      onState("closed");
      scheduleReconnect(!opened);
    });
  }

  function scheduleReconnect(refused) {
    const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) + Math.random() * 500;
    attempt += 1;
    timer = setTimeout(async () => {
      if (refused) {
        try {
          await renew(); // an expired access token is the usual reason for a refused handshake
        } catch {
          // the API client already reported it (login screen or "bot unreachable")
        }
      }
      connect();
    }, delay);
  }

  connect();
  return {
    close() {
      stopped = true;
      clearTimeout(timer);
      if (socket) socket.close(1000, "bye");
      socket = null;
    },
  };
}
