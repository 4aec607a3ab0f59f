/**
 * The flagship on PostgreSQL under load: `GET /items?limit=20` and `POST /items` (authenticated, validated,
 * written in a transaction), next to `GET /health/live` (the same middleware, no database) as the baseline — with
 * one process, then with `WORKERS=2` (`serve({ workers: 2 })`: a primary and two worker processes on one port).
 *
 *   npx tsx bench/app-bench.ts [--seconds 10] [--repeats 3] [--connections 32] [--workers 1,2] [--redis] [--logs]
 *
 * One process is pinned to core 0 (`taskset`), wrk to core 1; with several workers the app is not pinned (it needs
 * more than one core), so on a 2-core machine its second worker shares a core with wrk. PostgreSQL at
 * 127.0.0.1:5432 (database `test`, a throwaway schema); `--redis` adds Redis (rate limits, cache and pub/sub go
 * through it); `--logs` keeps the per-request access log (off by default: it is measured separately, see
 * docs/flagship.md). Besides req/s and latency it reports the app's CPU time per request (every process of it,
 * from /proc), which other load on the machine barely moves; afterwards, sequential requests read `Server-Timing`
 * to show the database's share.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Redis } from "ioredis";
import pg from "pg";
import { hasTaskset, hasWrk, median, runNodeLoad, runWrk, type LoadResult, type LoadSpec } from "./app-load.ts";

const { values: opts } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    repeats: { type: "string", default: "3" },
    connections: { type: "string", default: "32" },
    workers: { type: "string", default: "1,2" },
    redis: { type: "boolean", default: false },
    logs: { type: "boolean", default: false },
  },
});
const SECONDS = Number(opts.seconds);
const REPEATS = Number(opts.repeats);
const CONNECTIONS = Number(opts.connections);
const WORKERS = opts.workers.split(",").map(Number);
if (WORKERS.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`--workers takes a list of process counts such as 1,2; got "${opts.workers}"`);
const PG_URL = "postgresql://postgres@127.0.0.1:5432/test";
const ROOT = resolve(import.meta.dirname, "..");
const PORT = 18000 + Math.floor(Math.random() * 1000);
const BASE = `http://127.0.0.1:${PORT}`;
const schema = `bench_app_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
const tmp = mkdtempSync(join(tmpdir(), "typefast-app-bench-"));

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect().catch(() => {
    throw new Error("PostgreSQL is not reachable on 127.0.0.1:5432: run `bash scripts/setup-services.sh`");
  });
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

function startApp(workers: number) {
  const env = {
    WORKERS: String(workers),
    ...process.env,
    PORT: String(PORT),
    HOST: "127.0.0.1",
    DATABASE_URL: PG_URL,
    DATABASE_SCHEMA: schema,
    DB_POOL_SIZE: "10",
    REDIS_URL: opts.redis ? "redis://127.0.0.1:6379" : "",
    REDIS_PREFIX: `${schema}:`,
    LOG_LEVEL: opts.logs ? "info" : "warn",
    SEED_DEMO_DATA: "true",
    DEMO_PASSWORD: "bench-password",
    WRITE_RATE_LIMIT: "1000000000",
    LOGIN_RATE_LIMIT: "1000",
    NODE_ENV: "production",
    SECRET_KEY: "bench-secret-bench-secret-bench-secret-0123",
  };
  // tsx by absolute URL: the app runs in a scratch directory (no .env there), where "tsx" would not resolve.
  const node = [process.execPath, "--import", pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href, join(ROOT, "examples/app/main.ts")];
  const [cmd, ...args] = hasTaskset() && workers === 1 ? ["taskset", "-c", "0", ...node] : node;
  const child = spawn(cmd!, args, { cwd: tmp, env, stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  const ready = new Promise<void>((ok, fail) => {
    const timer = setInterval(() => out.includes("is running on") && (clearInterval(timer), ok()), 100);
    child.once("exit", (code) => (clearInterval(timer), fail(new Error(`the app exited (${code}):\n${out}`))));
  });
  return { child, ready };
}

async function json(method: string, path: string, init: RequestInit = {}): Promise<any> {
  const res = await fetch(BASE + path, { method, ...init });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Mean database and total milliseconds per request, from Server-Timing, over `n` sequential requests. */
async function breakdown(spec: LoadSpec, n = 200): Promise<{ db: number; app: number; queries: number }> {
  let db = 0;
  let app = 0;
  let queries = 0;
  for (let i = 0; i < n; i++) {
    const res = await fetch(spec.url, { method: spec.method, headers: spec.headers, body: spec.body });
    await res.arrayBuffer();
    const timing = res.headers.get("server-timing") ?? "";
    db += Number(/db;dur=([\d.]+)/.exec(timing)?.[1] ?? 0);
    app += Number(/app;dur=([\d.]+)/.exec(timing)?.[1] ?? 0);
    queries += Number(/desc="(\d+) queries"/.exec(timing)?.[1] ?? 0);
  }
  return { db: db / n, app: app / n, queries: queries / n };
}

/** Removes the run's Redis keys (they would expire anyway: every one has a TTL). */
async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis("redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

/** CPU seconds (user + system, all threads) a process and its children (cluster workers) have used, from /proc; NaN elsewhere. */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const own = (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100 per second)
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return children.reduce((sum, child) => sum + cpuSeconds(child), own);
  } catch {
    return NaN;
  }
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Starts the app with `workers` processes, measures every case, stops it; resolves to the table rows. */
async function measure(workers: number, seeded: boolean): Promise<string[]> {
  const app = startApp(workers);
  try {
    await app.ready;
    // 1 000 items so pages come from a real table and index.
    if (!seeded) {
      await sql(`insert into "${schema}".items (name, description, price_cents, owner_id, created_at, updated_at)
        select 'Item ' || i, case when i % 3 = 0 then null else 'Seeded for the benchmark' end, 100 + i, 1, now()::text, now()::text
        from generate_series(1, 1000) as i`);
    }
    const { access_token } = await json("POST", "/token", { body: new URLSearchParams({ username: "demo", password: "bench-password" }) });
    const cases: Array<{ name: string; spec: LoadSpec }> = [
      { name: "GET /health/live (no database)", spec: { url: `${BASE}/health/live`, method: "GET", seconds: SECONDS, connections: CONNECTIONS } },
      { name: "GET /items?limit=20", spec: { url: `${BASE}/items?limit=20`, method: "GET", seconds: SECONDS, connections: CONNECTIONS } },
      {
        name: "POST /items (JWT, validation, transaction)",
        spec: {
          url: `${BASE}/items`,
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${access_token}` },
          body: JSON.stringify({ name: "Bench item", price: 9.99, description: "Created under load" }),
          seconds: SECONDS,
          connections: CONNECTIONS,
        },
      },
    ];
    const rows: string[] = [];
    for (const { name, spec } of cases) {
      const load = (s: LoadSpec) => (hasWrk() ? runWrk(s, join(tmp, "bench.lua")) : runNodeLoad(s));
      await load({ ...spec, seconds: 2 }); // warm-up
      const runs: LoadResult[] = [];
      const cpuPerRequest: number[] = [];
      for (let r = 0; r < REPEATS; r++) {
        const before = cpuSeconds(app.child.pid!);
        const run = await load(spec);
        // The app's own CPU per request: unlike req/s, barely moved by other processes sharing the machine.
        cpuPerRequest.push(((cpuSeconds(app.child.pid!) - before) * 1000) / (run.rps * spec.seconds));
        runs.push(run);
      }
      const timing = await breakdown(spec);
      const errors = runs.reduce((a, r) => a + r.errors, 0);
      rows.push(
        `| ${workers} | ${name} | ${fmt(median(runs.map((r) => r.rps)))} | ${fmt(median(runs.map((r) => r.p50)), 2)} | ${fmt(median(runs.map((r) => r.p99)), 2)} | ${fmt(median(cpuPerRequest), 3)} | ` +
          `${fmt(timing.queries, 0)} | ${fmt(timing.db, 3)} | ${fmt(timing.app, 3)} |${errors > 0 ? ` ${errors} errors` : ""}`,
      );
      console.log(`  ${workers} worker${workers === 1 ? "" : "s"}, ${name}: ${runs.map((r) => fmt(r.rps)).join(", ")} req/s`);
    }
    return rows;
  } finally {
    app.child.kill("SIGTERM");
    await new Promise((done) => app.child.once("exit", done));
  }
}

async function main(): Promise<void> {
  await sql(`create schema "${schema}"`);
  try {
    const wrk = hasWrk();
    console.log(`Typefast flagship on PostgreSQL${opts.redis ? " + Redis" : ""}, access log ${opts.logs ? "on" : "off"}; ` +
      `${wrk ? "wrk -t1" : "built-in Node client (install wrk for better numbers)"}, ${CONNECTIONS} connections, ${SECONDS} s × ${REPEATS}` +
      `${hasTaskset() ? ", one process on core 0 (several: unpinned), load on core 1" : ""}; load average before: ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
    const rows: string[] = [];
    for (const [i, workers] of WORKERS.entries()) rows.push(...(await measure(workers, i > 0)));
    console.log("\n| workers | endpoint | req/s (median) | p50 ms | p99 ms | app CPU ms/req | queries | db ms (sequential) | in-app ms (sequential) |");
    console.log("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const row of rows) console.log(row);
    console.log(`\nload average after: ${loadavg().map((l) => l.toFixed(1)).join(" ")}`);
  } finally {
    await sql(`drop schema if exists "${schema}" cascade`);
    if (opts.redis) await dropRedisKeys(`${schema}:`);
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
