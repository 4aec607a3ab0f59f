/**
 * Memory per idle WebSocket connection: N connections (default 10 000) to a Typefast WebSocket route, and the same
 * to a bare `ws` server (the baseline), each server in its own process; prints the heap and RSS growth per
 * connection and Typefast's overhead over `ws`.
 *
 *   node --import tsx bench/realtime-ws-memory.ts [--connections 10000]
 */
import http from "node:http";
import { WebSocket as WsClient, WebSocketServer } from "ws";
import { App, serve, silentLogger } from "../src/index.ts";
import { arg, serveChild, settledMemory, startServer } from "./realtime-lib.ts";

async function child(mode: string): Promise<void> {
  let port: number;
  if (mode === "ws") {
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
    server.on("upgrade", (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => {
        ws.on("message", (data) => ws.send(data));
        ws.on("error", () => undefined);
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as { port: number }).port;
  } else {
    const app = new App({ logger: silentLogger });
    // The idiomatic idle handler: accepted, waiting for the next message.
    app.websocket("/ws", {}, async (_, ws) => {
      await ws.accept();
      for await (const message of ws) await ws.sendText(String(message));
    });
    const server = await serve(app, { port: 0, announce: false, handleSignals: false });
    port = server.port;
  }
  serveChild(port, { memory: () => settledMemory() });
}

async function measure(mode: string, connections: number): Promise<{ heap: number; rss: number }> {
  const server = await startServer(import.meta.url, mode);
  const url = `ws://127.0.0.1:${server.port}/ws`;
  // Warm up (lazy module init, JIT) so the baseline excludes one-time costs.
  await openClients(url, 200).then((clients) => closeClients(clients));
  const before = await server.ask<{ heap: number; external: number; rss: number }>({ op: "memory" });
  const clients = await openClients(url, connections);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const after = await server.ask<{ heap: number; external: number; rss: number }>({ op: "memory" });
  await closeClients(clients);
  await server.stop();
  return { heap: (after.heap + after.external - before.heap - before.external) / connections, rss: (after.rss - before.rss) / connections };
}

async function openClients(url: string, n: number): Promise<WsClient[]> {
  const clients: WsClient[] = [];
  for (let i = 0; i < n; i += 250) {
    const batch = Array.from({ length: Math.min(250, n - i) }, () => new WsClient(url, { perMessageDeflate: false }));
    await Promise.all(batch.map((ws) => new Promise((resolve, reject) => (ws.once("open", resolve), ws.once("error", reject)))));
    clients.push(...batch);
  }
  return clients;
}

async function closeClients(clients: WsClient[]): Promise<void> {
  await Promise.all(clients.map((ws) => new Promise((resolve) => (ws.once("close", resolve), ws.terminate()))));
}

const serving = arg("serve", "");
if (serving) await child(serving);
else {
  const connections = Number(arg("connections", "10000"));
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(2)} KB`;
  const ws = await measure("ws", connections);
  const typefast = await measure("typefast", connections);
  console.log(`idle WebSocket connections: ${connections}`);
  console.log(`ws baseline   heap+external ${kb(ws.heap)}/conn   rss ${kb(ws.rss)}/conn`);
  console.log(`typefast      heap+external ${kb(typefast.heap)}/conn   rss ${kb(typefast.rss)}/conn`);
  console.log(`overhead      heap+external ${kb(typefast.heap - ws.heap)}/conn   rss ${kb(typefast.rss - ws.rss)}/conn   (goal ≤ 10 KB)`);
}
