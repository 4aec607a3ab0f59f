/**
 * A slowloris attack on serve(): `--connections` clients each send a request head one byte per second (half of
 * them) or a complete head then a body one byte per second (the other half), while one well-behaved client sends
 * `GET /ping` every 50 ms on fresh connections. Prints the ping latency before and during the attack and when the
 * server cut the attackers.
 *
 *   npx tsx bench/slow-clients.ts [--connections 1000] [--headers-timeout 5000] [--request-timeout 10000]
 */
import http from "node:http";
import net from "node:net";
import { App, serve } from "../src/index.ts";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const CONNECTIONS = arg("connections", 1000);
const HEADERS_TIMEOUT = arg("headers-timeout", 5000);
const REQUEST_TIMEOUT = arg("request-timeout", 10_000);

const app = new App();
app.get("/ping", {}, () => ({ pong: true }));
app.post("/upload", {}, async (_args, { request }) => ({ size: (await request.body()).length }));
const server = await serve(app, { port: 0, announce: false, handleSignals: false, headersTimeout: HEADERS_TIMEOUT, requestTimeout: REQUEST_TIMEOUT });

function ping(): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get({ host: "127.0.0.1", port: server.port, path: "/ping", agent: false }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`status ${res.statusCode}`))));
      })
      .on("error", reject);
  });
}

async function pings(ms: number): Promise<number[]> {
  const out: number[] = [];
  const end = performance.now() + ms;
  while (performance.now() < end) {
    out.push(await ping());
    await new Promise((r) => setTimeout(r, 50));
  }
  return out.sort((a, b) => a - b);
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))]!;
const show = (xs: number[]) => `n=${xs.length} p50 ${pct(xs, 50).toFixed(1)} ms, p99 ${pct(xs, 99).toFixed(1)} ms, max ${xs.at(-1)!.toFixed(1)} ms`;

const before = await pings(2000);
const started = performance.now();
const cutAt: number[] = [];
const statuses = new Map<string, number>();
const attackers = Array.from({ length: CONNECTIONS }, (_, i) => {
  const headOnly = i % 2 === 0;
  const prefix = headOnly ? "GET /ping HTTP/1.1\r\nHost: x\r\n" : "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
  const trickle = headOnly ? "X-Slow: a\r\n" : "x";
  return new Promise<void>((resolve) => {
    const socket = net.connect(server.port, "127.0.0.1");
    let n = 0;
    let answer = "";
    // Written at once (queued until connected), so the first trickled byte can never overtake it.
    socket.write(prefix);
    const timer = setInterval(() => socket.writable && socket.write(trickle[n++ % trickle.length]!), 1000);
    socket.on("data", (d) => (answer += d.toString("latin1")));
    socket.on("error", () => undefined);
    socket.on("close", () => {
      clearInterval(timer);
      cutAt.push(performance.now() - started);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? "none";
      statuses.set(`${headOnly ? "head" : "body"} ${status}`, (statuses.get(`${headOnly ? "head" : "body"} ${status}`) ?? 0) + 1);
      resolve();
    });
  });
});
await new Promise((r) => setTimeout(r, 500));
const during = await pings(Math.max(1000, HEADERS_TIMEOUT - 1000));
await Promise.all(attackers);
const after = await pings(1000);
await server.close();

cutAt.sort((a, b) => a - b);
console.log(`${CONNECTIONS} slow connections, headersTimeout ${HEADERS_TIMEOUT} ms, requestTimeout ${REQUEST_TIMEOUT} ms, Node ${process.version}`);
console.log(`ping before the attack: ${show(before)}`);
console.log(`ping during the attack: ${show(during)}`);
console.log(`ping after the attack:  ${show(after)}`);
console.log(`attackers cut after ${cutAt[0]!.toFixed(0)}–${cutAt.at(-1)!.toFixed(0)} ms; answers: ${JSON.stringify(Object.fromEntries(statuses))}`);
