/**
 * Broadcast latency: N clients (default 1 000) in a `ConnectionManager` room on one server process (and, as the
 * baseline, on a bare `ws` server looping over its clients); one client
 * triggers a broadcast, and every client records when it arrives. Prints p50/p99/max over every delivery, and the
 * p99 of the time until the last client of a round has it. Client and server run in separate processes; the
 * clients share one event loop, so the numbers include the time that loop takes to read N sockets.
 *
 *   node --import tsx bench/realtime-broadcast.ts [--clients 1000] [--rounds 200]
 */
import http from "node:http";
import { performance } from "node:perf_hooks";
import { WebSocket as WsClient, WebSocketServer } from "ws";
import { App, ConnectionManager, serve, silentLogger } from "../src/index.ts";
import { arg, quantile, serveChild, startServer } from "./realtime-lib.ts";

async function child(mode: string): Promise<void> {
  if (mode === "ws") {
    // The baseline: a bare `ws` server sending each message to every socket in a loop.
    const server = http.createServer();
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    server.on("upgrade", (req, socket, head) =>
      wss.handleUpgrade(req, socket, head, (ws) => ws.on("message", (data) => wss.clients.forEach((c) => c.send(String(data))))),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    serveChild((server.address() as { port: number }).port, { count: () => wss.clients.size });
    return;
  }
  const manager = new ConnectionManager();
  const app = new App({ logger: silentLogger });
  app.websocket("/ws", {}, async (_, ws) => {
    await manager.connect(ws);
    for await (const text of ws.iterText()) await manager.broadcast(text);
  });
  const server = await serve(app, { port: 0, announce: false, handleSignals: false });
  serveChild(server.port, { count: () => manager.count() });
}

async function run(mode: string): Promise<void> {
  const n = Number(arg("clients", "1000"));
  const rounds = Number(arg("rounds", "200"));
  const warmup = 20;
  const server = await startServer(import.meta.url, mode);
  const url = `ws://127.0.0.1:${server.port}/ws`;
  const clients: WsClient[] = [];
  for (let i = 0; i < n; i += 100) {
    const batch = Array.from({ length: Math.min(100, n - i) }, () => new WsClient(url, { perMessageDeflate: false }));
    await Promise.all(batch.map((ws) => new Promise((resolve) => ws.once("open", resolve))));
    clients.push(...batch);
  }
  while ((await server.ask<number>({ op: "count" })) < n) await new Promise((r) => setTimeout(r, 50));

  const deliveries: number[] = [];
  const lastPerRound: number[] = [];
  for (let round = 0; round < warmup + rounds; round++) {
    const tag = `r${round}`;
    let remaining = n;
    let t0 = 0;
    let last = 0;
    const done = new Promise<void>((resolve) => {
      for (const ws of clients) {
        const onMessage = (data: Buffer): void => {
          if (String(data) !== tag) return;
          ws.off("message", onMessage);
          const latency = performance.now() - t0;
          if (round >= warmup) deliveries.push(latency);
          last = Math.max(last, latency);
          if (--remaining === 0) resolve();
        };
        ws.on("message", onMessage);
      }
    });
    t0 = performance.now();
    clients[round % n]!.send(tag);
    await done;
    if (round >= warmup) lastPerRound.push(last);
  }
  const ms = (v: number): string => `${v.toFixed(2)} ms`;
  console.log(`${mode}: broadcast to ${n} clients on one process, ${rounds} rounds (${deliveries.length} deliveries)`);
  console.log(`per delivery   p50 ${ms(quantile(deliveries, 0.5))}   p99 ${ms(quantile(deliveries, 0.99))}   max ${ms(deliveries.reduce((a, b) => Math.max(a, b), 0))}`);
  console.log(`last client    p50 ${ms(quantile(lastPerRound, 0.5))}   p99 ${ms(quantile(lastPerRound, 0.99))}`);
  for (const ws of clients) ws.terminate();
  await server.stop();
}

const serving = arg("serve", "");
if (serving) await child(serving);
else for (const mode of ["ws", "typefast"]) await run(mode);
