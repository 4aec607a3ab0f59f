/**
 * Slow clients: a slowloris head (one byte at a time, never finished) and a slow body are cut by serve()'s
 * `headersTimeout` and `requestTimeout`, close to the configured time, while other clients keep being served
 * quickly. Short timeouts keep the test fast; `bench/slow-clients.ts` runs a larger attack and prints latencies.
 */
import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, type Server } from "../../src/index.ts";
import { collectingLogger } from "../core/helpers.ts";
import { listen, sleep, statusOf } from "./attack-helpers.ts";

const HEADERS_TIMEOUT = 800;
const REQUEST_TIMEOUT = 1600;

const servers: Server[] = [];
const sockets: net.Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start() {
  const logger = collectingLogger();
  const app = new App({ logger });
  app.get("/ping", {}, () => ({ pong: true }));
  app.post("/echo", { params: { data: Body(z.unknown()) } }, ({ data }) => data);
  const server = await listen(app, { headersTimeout: HEADERS_TIMEOUT, requestTimeout: REQUEST_TIMEOUT, keepAliveTimeout: 500 });
  servers.push(server);
  return { server, logger };
}

/** A client that sends `prefix`, then `trickle` one byte every `everyMs` (forever); resolves when the server closes it. */
function trickler(port: number, prefix: string, trickle: string, everyMs: number): Promise<{ text: string; closedAfterMs: number }> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = net.connect(port, "127.0.0.1");
    sockets.push(socket);
    const chunks: Buffer[] = [];
    let i = 0;
    // Written at once (queued until connected), so the first trickled byte can never overtake it.
    socket.write(prefix);
    const timer = trickle === "" ? undefined : setInterval(() => socket.writable && socket.write(trickle[i++ % trickle.length]!), everyMs);
    socket.on("data", (c) => chunks.push(c));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ text: Buffer.concat(chunks).toString("latin1"), closedAfterMs: performance.now() - started });
    });
  });
}

/** Latency of one `GET /ping` on a new connection, in ms. */
function pingLatency(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get({ host: "127.0.0.1", port, path: "/ping", agent: false }, (res) => {
      res.resume();
      res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on("error", reject);
  });
}

async function latencies(port: number, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await pingLatency(port));
  return out.sort((a, b) => a - b);
}

describe("slow clients", () => {
  it("a slowloris head is answered 408 and closed at headersTimeout, not 30 s later", async () => {
    const { server } = await start();
    // Node checks timeouts every `connectionsCheckingInterval` (30 s by default); serve() derives a shorter one.
    const cut = await trickler(server.port, "GET /ping HTTP/1.1\r\nHost: x\r\n", "X-Slow: aaaaaaaaaaaaaaaa\r\n", 100);
    expect(statusOf(cut.text)).toBe(408);
    expect(cut.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT - 50);
    expect(cut.closedAfterMs).toBeLessThan(HEADERS_TIMEOUT * 1.5);
  });

  it("a slow body is answered 408 and closed at requestTimeout, and nothing is logged as a server error", async () => {
    const { server, logger } = await start();
    const head = "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    const cut = await trickler(server.port, head, '{"a":"' + "x".repeat(990), 100);
    expect(statusOf(cut.text)).toBe(408);
    expect(cut.closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT - 50);
    expect(cut.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT * 1.5);
    await sleep(50);
    expect(logger.errors).toEqual([]);
  });

  it("keeps serving other clients quickly during a slowloris attack of 200 connections", async () => {
    const { server } = await start();
    const baseline = await latencies(server.port, 20);
    const attack = Array.from({ length: 200 }, (_, i) =>
      i % 2 === 0
        ? trickler(server.port, "GET /ping HTTP/1.1\r\nHost: x\r\n", "X-Slow: a\r\n", 100)
        : trickler(server.port, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", "x", 100),
    );
    await sleep(200);
    const during = await latencies(server.port, 20);
    const results = await Promise.all(attack);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
    console.info(
      `ping latency without attack: median ${median(baseline).toFixed(1)} ms, max ${baseline.at(-1)!.toFixed(1)} ms; ` +
        `during 200 slow connections: median ${median(during).toFixed(1)} ms, max ${during.at(-1)!.toFixed(1)} ms; ` +
        `attackers cut after ${Math.min(...results.map((r) => r.closedAfterMs)).toFixed(0)}–${Math.max(...results.map((r) => r.closedAfterMs)).toFixed(0)} ms`,
    );
    // Served meanwhile, with no more than a small delay (a generous bound: CI machines are shared).
    expect(median(during)).toBeLessThan(Math.max(50, median(baseline) * 10));
    // Every attacker was cut: head by headersTimeout, body by requestTimeout.
    for (const r of results) expect(r.closedAfterMs).toBeLessThan(REQUEST_TIMEOUT * 1.5);
    expect(await pingLatency(server.port)).toBeLessThan(1000);
  });

  it("closes idle keep-alive connections after keepAliveTimeout", async () => {
    const { server } = await start();
    const idle = await trickler(server.port, "GET /ping HTTP/1.1\r\nHost: x\r\n\r\n", "", 0);
    expect(statusOf(idle.text)).toBe(200);
    // Node 20 keeps the socket up to one second past keepAliveTimeout (its margin for responses in flight).
    expect(idle.closedAfterMs).toBeLessThan(500 + 1000 + 1000);
  });
});
