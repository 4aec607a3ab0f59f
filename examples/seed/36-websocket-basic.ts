/**
 * Seed example 36 — a basic WebSocket connection.
 *
 * `app.websocket()` declares the route; the handler receives its (here: no) parameters and the connection, must
 * `accept()` it, then loops on `receiveText()` / `sendText()` until the client leaves, which surfaces as
 * `WebSocketDisconnect`. `GET /` serves a small page that talks to it from a browser.
 */
import { App, HTMLResponse, WebSocketDisconnect } from "../../src/index.ts";

export const app = new App({ title: "WebSocket echo" });

/** The test page: connects to `/ws` on the host it was served from (ws: or wss:), and echoes what you type. */
function page(rootPath: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>WebSocket echo</title></head>
<body>
<form id="form"><input id="text" value="Hello Server" autocomplete="off"><button>Send</button></form>
<ul id="log"></ul>
<script>
  const url = new URL(${JSON.stringify(`${rootPath}/ws`)}, location.href);
  url.protocol = location.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url);
  const log = (text) => { const li = document.createElement("li"); li.textContent = text; document.getElementById("log").append(li); };
  ws.onopen = () => { document.body.dataset.state = "open"; };
  ws.onmessage = (event) => { console.log("Received:", event.data); log(event.data); };
  ws.onclose = (event) => { document.body.dataset.state = "closed"; log("closed " + event.code); };
  function send(message) { ws.send(message); }
  document.getElementById("form").onsubmit = (event) => { event.preventDefault(); send(document.getElementById("text").value); };
</script>
</body>
</html>
`;
}

app.get("/", {}, function home() {
  return new HTMLResponse(page(app.rootPath));
});

app.websocket("/ws", { summary: "Echo every text message" }, async function websocket_endpoint(_, websocket) {
  await websocket.accept();
  try {
    for (;;) {
      const data = await websocket.receiveText();
      app.logger.info(`Received: ${data}`);
      await websocket.sendText(`Echo: ${data}`);
    }
  } catch (error) {
    if (!(error instanceof WebSocketDisconnect)) throw error;
    app.logger.info("Client disconnected");
  }
});
