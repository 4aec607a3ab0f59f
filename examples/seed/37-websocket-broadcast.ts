/**
 * Seed example 37 — a WebSocket connection manager for broadcasting (a chat room).
 *
 * `ConnectionManager` keeps this process's connections; `broadcast()` goes through a `Broadcaster`: in memory by
 * default, or Redis pub/sub (`REDIS_URL`) so that every app process behind a load balancer delivers it to its own
 * clients. Sends never wait for a client, so a slow or dead one cannot hold up the room. `GET /` is the chat page.
 */
import { z } from "zod";
import { App, ConnectionManager, HTMLResponse, Path, RedisBroadcaster, type Broadcaster } from "../../src/index.ts";

/** Builds the chat app on a broadcaster (in memory unless one is given). */
export function createApp(broadcaster?: Broadcaster): { app: App; manager: ConnectionManager } {
  const app = new App({ title: "Chat" });
  const manager = new ConnectionManager({ broadcaster });

  app.get("/", {}, function chatPage() {
    return new HTMLResponse(page(app.rootPath));
  });

  app.websocket(
    "/ws/{client_id}",
    { params: { client_id: Path(z.int()) }, summary: "Chat: every message goes to every client" },
    async function websocket_endpoint({ client_id }, websocket) {
      await manager.connect(websocket);
      app.logger.info(`Client connected. Total here: ${manager.count()}`);
      for await (const data of websocket.iterText()) {
        await manager.sendPersonal(`[You] ${data}`, websocket);
        await manager.broadcast(`[Client ${client_id}] ${data}`);
      }
      // The loop ends when the client leaves; the manager has already dropped the connection.
      app.logger.info(`Client disconnected. Total here: ${manager.count()}`);
      await manager.broadcast(`[System] Client ${client_id} left the chat`);
    },
  );
  return { app, manager };
}

/** The chat page: pick an id, then every line you send shows up in every open page. */
function page(rootPath: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Chat</title></head>
<body>
<h1>Chat</h1>
<p>You are client <span id="id"></span></p>
<form id="form"><input id="text" autocomplete="off"><button>Send</button></form>
<ul id="messages"></ul>
<script>
  const clientId = Math.floor(Math.random() * 1e6);
  document.getElementById("id").textContent = clientId;
  const url = new URL(${JSON.stringify(`${rootPath}/ws/`)} + clientId, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url);
  ws.onmessage = (event) => {
    const li = document.createElement("li");
    li.textContent = event.data;
    document.getElementById("messages").append(li);
  };
  document.getElementById("form").onsubmit = (event) => {
    event.preventDefault();
    const input = document.getElementById("text");
    ws.send(input.value);
    input.value = "";
  };
</script>
</body>
</html>
`;
}

// One manager for the whole process; Redis when REDIS_URL is set, so several processes share one chat.
const shared = createApp(process.env.REDIS_URL ? new RedisBroadcaster({ url: process.env.REDIS_URL }) : undefined);
export const app = shared.app;
export const manager = shared.manager;
