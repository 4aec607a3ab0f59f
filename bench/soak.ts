/**
 * Soak test: a long run of requests against one Typefast server process, checking every answer and watching the
 * server's memory. The server is the benchmark's (`servers/typefast.mjs`, on the published JavaScript in dist/,
 * built first when src/ changed); its endpoints e1–e4 are sent in rotation by a keep-alive client in this process,
 * and every body is checked byte for byte against `lib/endpoints.mjs`. Every `--sample-every`
 * requests the server runs a full GC (it is started with `--expose-gc`) and reports `heapUsed` and RSS over IPC.
 * The verdict fits a line through the second half of the heap samples (the first half includes JIT warm-up and
 * pools filling): flat when the slope stays under `--max-slope` bytes per 1,000 requests.
 *
 *   npx tsx bench/soak.ts                          # 1,000,000 requests, 50 in flight
 *   npx tsx bench/soak.ts --requests 20000 --json  # a quick run, machine-readable summary on the last line
 *
 * With `taskset` available the server is pinned to core 0; run the script itself on core 1
 * (`taskset -c 1 npx tsx bench/soak.ts`) so the two do not share a core. Exit code 0: every answer right and the
 * heap flat; 1 otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import http from "node:http";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ensureBuilt } from "./lib/build.mjs";

/** What the server reports for one sample. */
interface MemorySample {
  requests: number;
  heapUsed: number;
  rss: number;
  gc: boolean;
}

interface Endpoint {
  id: string;
  method: string;
  path: string;
  send?: string;
  expect: string;
}

// --- the server side: `soak.ts --serve` runs the benchmark server and answers memory probes ----------------------
if (process.argv.includes("--serve")) {
  // Plain JavaScript without type declarations: a computed specifier keeps the type checker out of it.
  await import(new URL("./servers/typefast.mjs", import.meta.url).href);
  process.on("message", (message: { type: string; requests: number }) => {
    if (message.type !== "sample") return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const { heapUsed, rss } = process.memoryUsage();
    process.send!({ requests: message.requests, heapUsed, rss, gc: gc !== undefined } satisfies MemorySample);
  });
} else {
  process.exitCode = await main();
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      requests: { type: "string", default: "1000000" },
      concurrency: { type: "string", default: "50" },
      "sample-every": { type: "string" },
      "max-slope": { type: "string", default: "100" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npx tsx bench/soak.ts [--requests N] [--concurrency C] [--sample-every N] [--max-slope B] [--json]");
    return 0;
  }
  const total = positive("requests", values.requests);
  const concurrency = positive("concurrency", values.concurrency);
  const sampleEvery = positive("sample-every", values["sample-every"] ?? String(Math.max(1000, Math.floor(total / 100))));
  const maxSlope = Number(values["max-slope"]);
  // A computed specifier: the endpoint table is plain JavaScript shared with run.mjs and check.mjs.
  const { ENDPOINTS } = (await import(new URL("./lib/endpoints.mjs", import.meta.url).href)) as { ENDPOINTS: Endpoint[] };

  ensureBuilt();
  const port = await freePort();
  const server = startServer(port);
  try {
    await waitForPort(port, server);
    const report = await soak({ port, endpoints: ENDPOINTS, total, concurrency, sampleEvery, server });
    const secondHalf = report.samples.slice(Math.floor(report.samples.length / 2));
    const heapSlope = slopePer1k(secondHalf, (s) => s.heapUsed);
    const rssSlope = slopePer1k(secondHalf, (s) => s.rss);
    const flat = Math.abs(heapSlope) < maxSlope;
    const first = report.samples[0]!;
    const last = report.samples.at(-1)!;
    const summary = {
      requests: report.done,
      errors: report.errors,
      firstError: report.firstError,
      seconds: Number(report.seconds.toFixed(1)),
      requestsPerSecond: Math.round(report.done / report.seconds),
      samples: report.samples.length,
      gc: report.samples.every((s) => s.gc),
      heapFirstMB: mb(first.heapUsed),
      heapLastMB: mb(last.heapUsed),
      heapMaxMB: mb(Math.max(...report.samples.map((s) => s.heapUsed))),
      rssFirstMB: mb(first.rss),
      rssLastMB: mb(last.rss),
      heapSlopeBytesPer1k: Number(heapSlope.toFixed(1)),
      rssSlopeBytesPer1k: Number(rssSlope.toFixed(1)),
      maxSlope,
      verdict: flat ? "flat" : "not flat",
    };
    printReport(summary, report.samples);
    if (values.json) console.log(JSON.stringify(summary));
    return report.errors === 0 && flat && summary.gc ? 0 : 1;
  } finally {
    server.kill("SIGTERM");
  }
}

interface SoakRun {
  port: number;
  endpoints: Endpoint[];
  total: number;
  concurrency: number;
  sampleEvery: number;
  server: ChildProcess;
}

interface SoakReport {
  done: number;
  errors: number;
  firstError: string | undefined;
  seconds: number;
  samples: MemorySample[];
}

/** Sends `total` requests, `concurrency` at a time, rotating the endpoints; samples the server's memory on the way. */
async function soak(run: SoakRun): Promise<SoakReport> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: run.concurrency });
  const samples: MemorySample[] = [];
  const pending = new Map<number, (sample: MemorySample) => void>();
  run.server.on("message", (sample: MemorySample) => {
    samples.push(sample);
    pending.get(sample.requests)?.(sample);
    pending.delete(sample.requests);
  });
  let lastProbe = -1;
  const sample = (requests: number): Promise<MemorySample> =>
    new Promise((resolve) => {
      lastProbe = requests;
      pending.set(requests, resolve);
      run.server.send({ type: "sample", requests });
    });
  const requests = run.endpoints.map((e) => ({
    expect: e.expect,
    body: e.send,
    options: {
      host: "127.0.0.1",
      port: run.port,
      method: e.method,
      path: e.path,
      agent,
      headers: e.send === undefined ? {} : { "content-type": "application/json", "content-length": Buffer.byteLength(e.send) },
    },
  }));
  let sent = 0;
  let done = 0;
  let errors = 0;
  let firstError: string | undefined;
  let nextSample = run.sampleEvery;
  const probes: Promise<MemorySample>[] = [sample(0)];
  await probes[0];
  const started = performance.now();
  const fail = (what: string): void => {
    errors++;
    firstError ??= what;
  };
  const one = (i: number): Promise<void> =>
    new Promise((resolve) => {
      const r = requests[i % requests.length]!;
      const req = http.request(r.options, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          if (res.statusCode !== 200 || body !== r.expect) fail(`${r.options.method} ${r.options.path}: ${res.statusCode} ${body.slice(0, 200)}`);
          resolve();
        });
        res.on("error", (e) => (fail(`${r.options.path}: ${e.message}`), resolve()));
      });
      req.on("error", (e) => (fail(`${r.options.path}: ${e.message}`), resolve()));
      req.end(r.body);
    });
  const lane = async (): Promise<void> => {
    while (sent < run.total) {
      await one(sent++);
      done++;
      if (done >= nextSample) {
        nextSample += run.sampleEvery;
        probes.push(sample(done));
      }
    }
  };
  let lastShown = performance.now();
  const progress = setInterval(() => {
    const now = performance.now();
    if (now - lastShown < 10_000) return;
    lastShown = now;
    process.stderr.write(`  ${done.toLocaleString("en")} / ${run.total.toLocaleString("en")} requests, ${errors} errors\n`);
  }, 1000);
  await Promise.all(Array.from({ length: run.concurrency }, lane));
  const seconds = (performance.now() - started) / 1000;
  clearInterval(progress);
  if (lastProbe !== done) probes.push(sample(done));
  await Promise.all(probes);
  agent.destroy();
  samples.sort((a, b) => a.requests - b.requests);
  return { done, errors, firstError, seconds, samples };
}

/** Least-squares slope of `value` against the request count, in bytes per 1,000 requests. */
function slopePer1k(samples: readonly MemorySample[], value: (s: MemorySample) => number): number {
  const n = samples.length;
  if (n < 2) return 0;
  const xs = samples.map((s) => s.requests / 1000);
  const ys = samples.map(value);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let cov = 0;
  let varx = 0;
  for (let i = 0; i < n; i++) {
    cov += (xs[i]! - mx) * (ys[i]! - my);
    varx += (xs[i]! - mx) ** 2;
  }
  return varx === 0 ? 0 : cov / varx;
}

function printReport(summary: Record<string, unknown>, samples: readonly MemorySample[]): void {
  const every = Math.max(1, Math.floor(samples.length / 10));
  console.log("requests      heapUsed MB   rss MB");
  for (let i = 0; i < samples.length; i += every) {
    const s = samples[i]!;
    console.log(`${String(s.requests).padStart(9)}  ${mb(s.heapUsed).toFixed(2).padStart(12)}  ${mb(s.rss).toFixed(1).padStart(7)}`);
  }
  for (const [key, value] of Object.entries(summary)) if (value !== undefined) console.log(`${key.padEnd(22)} ${String(value)}`);
  if (summary.gc === false) console.log("warning: the server could not run gc(): heap samples include garbage, the slope is noise");
}

function startServer(port: number): ChildProcess {
  const self = fileURLToPath(import.meta.url);
  const node = [process.execPath, "--import", "tsx", "--expose-gc", self, "--serve"];
  const pinned = !spawnSync("taskset", ["-c", "0", "true"]).error;
  const [command, ...args] = pinned ? ["taskset", "-c", "0", ...node] : node;
  return spawn(command!, args, {
    env: { ...process.env, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
}

function waitForPort(port: number, server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 30_000;
    server.once("exit", (code) => reject(new Error(`the server exited (code ${code}) before listening`)));
    const attempt = (): void => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.once("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nothing listens on port ${port} after 30 s`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function positive(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${text}`);
  return n;
}

function mb(bytes: number): number {
  return Number((bytes / 1024 / 1024).toFixed(2));
}
