/**
 * Graceful shutdown of a real server process under load. 500 requests are in flight — slow handlers that write a
 * PostgreSQL row then answer, finite streams, event streams that never end by themselves, WebSockets — when the
 * process gets SIGTERM. Every request must complete (streams to their last chunk, event streams ended cleanly,
 * WebSockets closed with 1001), new connections must be refused from the moment the shutdown begins, every 201 must
 * have its row (and no row may lack its 201), and the process must exit 0 well within `gracefulTimeout`.
 * A handler that never finishes is cut at `gracefulTimeout`, and the process still exits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { PG_URL, requirePostgres } from "./fixtures/stores.ts";
import { LoadClient, sleep, until, type Outcome } from "./load-kit.ts";

const SERVER = path.join(import.meta.dirname, "fixtures", "shutdown-server.ts");

interface Child {
  readonly process: ChildProcess;
  readonly url: string;
  output(): string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startServer(env: Record<string, string>): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", SERVER], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c));
  child.stderr!.on("data", (c: Buffer) => (output += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const url = await Promise.race([
    (async () => {
      await until(() => /\{"url":"[^"]+"\}/.test(output), "the server to listen", 30_000);
      return (JSON.parse(/\{"url":"[^"]+"\}/.exec(output)![0]) as { url: string }).url;
    })(),
    exited.then(() => Promise.reject(new Error(`The server exited before listening:\n${output}`))),
  ]);
  return { process: child, url, output: () => output, exited };
}

/** A deterministic PRNG (mulberry32), so the mix of durations is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface SocketOutcome {
  code: number;
  echoes: number;
}

/** A WebSocket client that sends a message every 50 ms once open; `echoed` resolves at the first echo. */
function chatter(url: string): { echoed: Promise<void>; closed: Promise<SocketOutcome> } {
  const ws = new WebSocket(`${url.replace("http://", "ws://")}/ws`);
  let echoes = 0;
  let timer: NodeJS.Timeout | undefined;
  ws.once("open", () => (timer = setInterval(() => ws.send("ping"), 50)));
  const echoed = new Promise<void>((resolve, reject) => {
    ws.once("message", () => resolve());
    ws.once("error", reject);
  });
  ws.on("message", () => echoes++);
  const closed = new Promise<SocketOutcome>((resolve) =>
    ws.once("close", (code) => {
      clearInterval(timer);
      resolve({ code, echoes });
    }),
  );
  return { echoed, closed };
}

/** How a new connection attempt ends: "refused", or "accepted". */
function tryConnect(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), hostname);
    socket.once("connect", () => {
      socket.destroy();
      resolve("accepted");
    });
    socket.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED" ? "refused" : (e.code ?? e.message)));
  });
}

let admin: pg.Client;
let schema: string;
beforeAll(async () => {
  await requirePostgres();
  schema = `tf_shutdown_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.orders (id int PRIMARY KEY)`);
});
afterAll(async () => {
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
});

describe("SIGTERM with 500 requests in flight", () => {
  it("finishes them all, loses no write, refuses new connections and exits 0 in time", { timeout: 90_000 }, async () => {
    const GRACE = 15_000;
    const server = await startServer({ TF_SCHEMA: schema, TF_GRACE: String(GRACE) });
    const random = prng(7);
    const client = new LoadClient(server.url, 1000);
    const orders = Array.from({ length: 400 }, (_, i) => ({ id: i + 1, ms: 2000 + Math.floor(random() * 2000) }));
    const streams = Array.from({ length: 60 }, () => ({ chunks: 20 + Math.floor(random() * 20), ms: 100 }));
    const eventStreams = 30;
    const sockets = Array.from({ length: 10 }, () => chatter(server.url));

    const orderOutcomes = Promise.all(orders.map((o) => client.request({ method: "POST", path: `/orders?id=${o.id}&ms=${o.ms}` })));
    const streamOutcomes = Promise.all(streams.map((s) => client.request({ path: `/stream?chunks=${s.chunks}&ms=${s.ms}` })));
    const eventOutcomes = Promise.all(Array.from({ length: eventStreams }, () => client.request({ path: "/events" })));
    await Promise.all(sockets.map((s) => s.echoed));
    const probe = new LoadClient(server.url, 1);
    const inFlight = orders.length + streams.length + eventStreams + sockets.length;
    expect(inFlight).toBe(500);
    const count = async () => JSON.parse((await probe.request({ path: "/inflight" })).body) as { started: number; active: number };
    for (let i = 0; i < 200 && (await count()).started < inFlight; i++) await sleep(25);
    // All 500 are still running at the moment the signal goes (the shortest order takes 2 s).
    expect(await count()).toEqual({ started: inFlight, active: inFlight });
    probe.close();

    const signalled = Date.now();
    server.process.kill("SIGTERM");
    await until(() => server.output().includes("SIGTERM received"), "the shutdown to begin");
    // The line is printed just before the listener closes: give the child a moment to get there.
    await sleep(200);
    expect(await tryConnect(server.url)).toBe("refused");
    const newcomer = new LoadClient(server.url, 1);
    expect(await newcomer.request({ path: "/inflight" })).toMatchObject({ status: 0, error: "ECONNREFUSED" });
    newcomer.close();

    const [orderResults, streamResults, eventResults, socketResults, exit] = await Promise.all([
      orderOutcomes,
      streamOutcomes,
      eventOutcomes,
      Promise.all(sockets.map((s) => s.closed)),
      server.exited,
    ]);
    client.close();
    const summary = (outcomes: Outcome[]) => outcomes.map((o) => `${o.status}${o.complete ? "" : " cut"}${o.error ? ` ${o.error}` : ""}`);

    expect(new Set(summary(orderResults))).toEqual(new Set(["201"]));
    expect(new Set(summary(streamResults))).toEqual(new Set(["200"]));
    streamResults.forEach((o, i) => expect(o.body.split("\n").length - 1).toBe(streams[i]!.chunks));
    // Event streams never end by themselves: the shutdown ends them with the final chunk, so clients reconnect.
    expect(new Set(summary(eventResults))).toEqual(new Set(["200"]));
    for (const o of eventResults) expect(o.body).toMatch(/^id: 0\ndata: \{"i":0\}\n\n/);
    expect(new Set(socketResults.map((s) => s.code))).toEqual(new Set([1001]));

    const { rows } = await admin.query<{ id: number }>(`SELECT id FROM ${schema}.orders ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual(orders.filter((_, i) => orderResults[i]!.status === 201).map((o) => o.id));

    expect(exit).toMatchObject({ code: 0, signal: null });
    const took = exit.at - signalled;
    const longest = Math.max(...orders.map((o) => o.ms));
    expect(took).toBeLessThan(GRACE);
    expect(server.output()).toContain("lifespan shutdown done");
    console.info(`shutdown with ${inFlight} in flight: exit ${exit.code} after ${took} ms (longest order ${longest} ms, gracefulTimeout ${GRACE} ms)`);
  });
});

describe("SIGTERM with a handler that never finishes", () => {
  it("cuts it at gracefulTimeout, still finishes the others, and exits 0", { timeout: 60_000 }, async () => {
    const GRACE = 1500;
    const server = await startServer({ TF_SCHEMA: schema, TF_GRACE: String(GRACE) });
    const client = new LoadClient(server.url, 100);
    const hang = client.request({ path: "/hang" });
    const orders = Array.from({ length: 20 }, (_, i) => ({ id: 10_000 + i, ms: 1000 + i * 20 }));
    const done = Promise.all(orders.map((o) => client.request({ method: "POST", path: `/orders?id=${o.id}&ms=${o.ms}` })));
    const events = client.request({ path: "/events" });
    const probe = new LoadClient(server.url, 1);
    let active = 0;
    for (let i = 0; i < 200 && active < orders.length + 2; i++) {
      ({ active } = JSON.parse((await probe.request({ path: "/inflight" })).body) as { active: number });
      if (active < orders.length + 2) await sleep(25);
    }
    expect(active).toBe(orders.length + 2);
    probe.close();
    const signalled = Date.now();
    server.process.kill("SIGTERM");
    const [hung, answered, stream, exit] = await Promise.all([hang, done, events, server.exited]);
    client.close();
    expect(answered.map((o) => o.status)).toEqual(orders.map(() => 201));
    expect(stream).toMatchObject({ status: 200, complete: true });
    // No head was ever written for the stuck request: its connection is closed without an answer.
    expect(hung).toMatchObject({ status: 0, complete: false });
    expect(exit).toMatchObject({ code: 0, signal: null });
    const took = exit.at - signalled;
    expect(took).toBeGreaterThanOrEqual(GRACE - 50);
    expect(took).toBeLessThan(GRACE + 2000);
    expect(server.output()).toMatch(/gracefulTimeout of 1500 ms exceeded/);
    expect(server.output()).toContain("lifespan shutdown done");
    console.info(`shutdown with a stuck handler: exit ${exit.code} after ${took} ms (gracefulTimeout ${GRACE} ms)`);
  });
});
