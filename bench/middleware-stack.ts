// The cost of a typical middleware stack: E1 (`GET /hello`) bare, and E1 behind CORS + GZip + request-id
// middleware, measured side by side in one run. Goal: the stacked server keeps ≥ 0.8× the bare one's throughput.
//
//   node --import tsx bench/middleware-stack.ts [--repeats 5] [--duration 5] [--warmup 2] [--connections 50]
//
// Each measured run starts a fresh server pinned to core 0 and loads it from core 1 (wrk -t1, like run.mjs);
// variants alternate within each repeat, so drift on this shared machine hits both alike. Without wrk, a small
// keep-alive load generator in Node is used instead (also pinned), and the report says so.
//
// Two ratios are printed. Throughput (req/s) is what the goal is about, but other processes on the server's core
// steal from it run by run. The server's own CPU time per request (from /proc, utime + stime) hardly depends on
// them, so bare µs/req ÷ stack µs/req — the share of capacity the stack keeps — is the steadier reading on a busy
// machine; on a quiet one the two agree.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const SERVER_CORE = 0;
const LOAD_CORE = 1;
const SELF = fileURLToPath(import.meta.url);
const VARIANTS = ["bare", "stack"] as const;
type Variant = (typeof VARIANTS)[number];
// What a browser calling the API cross-origin sends: the CORS and GZip middleware have real work to decide.
const HEADERS = { origin: "https://app.example.com", "accept-encoding": "gzip, deflate, br" };

// ---------------------------------------------------------------------------------------------- server mode
async function runServer(variant: Variant): Promise<void> {
  const { App, CORSMiddleware, GZipMiddleware, RequestIdMiddleware, serve } = await import("../src/index.ts");
  const app = new App();
  app.get("/hello", {}, () => ({ message: "hello" }));
  if (variant === "stack") {
    app.addMiddleware(GZipMiddleware);
    app.addMiddleware(RequestIdMiddleware);
    app.addMiddleware(CORSMiddleware, { allowOrigins: ["https://app.example.com"], allowMethods: ["GET", "POST"], allowCredentials: true });
  }
  await serve(app, { host: "127.0.0.1", port: Number(process.env.PORT), announce: false, handleSignals: false });
  process.on("SIGTERM", () => process.exit(0));
}

// ------------------------------------------------------------------------------------------ load generators
interface Load {
  rps: number;
  requests: number;
  p99Ms: number | undefined;
  non2xx: number;
}

/** CPU time (user + system) a process has used so far, in µs; Linux only (`undefined` elsewhere). */
function cpuMicros(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * (1e6 / 100); // clock ticks; USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

function hasWrk(): boolean {
  return !spawnSync("wrk", ["--version"]).error && !spawnSync("taskset", ["-c", "0", "true"]).error;
}

function wrk(url: string, seconds: number, connections: number): Promise<Load> {
  const headers = Object.entries(HEADERS).flatMap(([k, v]) => ["-H", `${k}: ${v}`]);
  const args = ["-c", String(LOAD_CORE), "wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--latency", ...headers, url];
  return new Promise((resolve, reject) => {
    const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.once("error", reject);
    child.once("exit", () => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      if (!rps) return reject(new Error(`wrk failed:\n${out}`));
      const p99 = /^\s+99%\s+([\d.]+)(us|ms|s)/m.exec(out);
      const unit = { us: 1e-3, ms: 1, s: 1e3 } as const;
      const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
      const requests = Number(/(\d+) requests in/.exec(out)?.[1] ?? 0);
      resolve({ rps: Number(rps[1]), requests, p99Ms: p99 ? Number(p99[1]) * unit[p99[2] as keyof typeof unit] : undefined, non2xx: non2xx ? Number(non2xx[1]) : 0 });
    });
  });
}

/** The fallback: this script in `--load` mode, pinned to the load core, keep-alive requests on N sockets. */
function nodeLoad(url: string, seconds: number, connections: number): Promise<Load> {
  const args = ["-c", String(LOAD_CORE), process.execPath, "--import", "tsx", SELF, "--load", url, String(seconds), String(connections)];
  return new Promise((resolve, reject) => {
    const child = spawn("taskset", args, { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.once("error", reject);
    child.once("exit", () => (out.trim() ? resolve(JSON.parse(out)) : reject(new Error("load generator failed"))));
  });
}

async function runLoad(url: string, seconds: number, connections: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const end = Date.now() + seconds * 1000;
  let done = 0;
  let non2xx = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      http.get(url, { agent, headers: HEADERS }, (res) => {
        if (res.statusCode !== 200) non2xx++;
        res.resume();
        res.on("end", () => {
          done++;
          resolve();
        });
      }).on("error", () => resolve());
    });
  const started = Date.now();
  await Promise.all(Array.from({ length: connections }, async () => {
    while (Date.now() < end) await one();
  }));
  process.stdout.write(JSON.stringify({ rps: (done * 1000) / (Date.now() - started), requests: done, p99Ms: undefined, non2xx }));
  agent.destroy();
}

// ---------------------------------------------------------------------------------------------- orchestration
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function startServer(variant: Variant): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn("taskset", ["-c", String(SERVER_CORE), process.execPath, "--import", "tsx", SELF, "--serve", variant], {
    env: { ...process.env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ host: "127.0.0.1", port }, () => (sock.destroy(), resolve(true)));
      sock.once("error", () => resolve(false));
    });
    if (up) return { port, child };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`${variant} server did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

/** Both variants must answer E1 byte for byte alike (the stack adds headers only). */
async function check(): Promise<void> {
  for (const variant of VARIANTS) {
    const { port, child } = await startServer(variant);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/hello`, { headers: HEADERS });
      const body = await res.text();
      if (res.status !== 200 || body !== '{"message":"hello"}') throw new Error(`${variant}: unexpected answer ${res.status} ${body}`);
      if (variant === "stack" && (!res.headers.get("x-request-id") || res.headers.get("access-control-allow-origin") !== HEADERS.origin)) {
        throw new Error("stack: the middleware did not run");
      }
    } finally {
      await stopServer(child);
    }
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      repeats: { type: "string", default: "5" },
      duration: { type: "string", default: "5" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "50" },
    },
  });
  const repeats = Number(values.repeats);
  const duration = Number(values.duration);
  const warmup = Number(values.warmup);
  const connections = Number(values.connections);
  const useWrk = hasWrk();
  const load = useWrk ? wrk : nodeLoad;
  console.log(`middleware stack bench: E1 bare vs E1 + CORS + GZip + request id; ${repeats} repeats × ${duration}s (+${warmup}s warm-up), ${connections} connections`);
  console.log(`server on core ${SERVER_CORE}, load on core ${LOAD_CORE} with ${useWrk ? "wrk -t1" : "the Node keep-alive load generator (wrk not found)"}; node ${process.version}\n`);
  await check();

  const results: Record<Variant, number[]> = { bare: [], stack: [] };
  const cpu: Record<Variant, number[]> = { bare: [], stack: [] };
  for (let rep = 1; rep <= repeats; rep++) {
    // Alternate which variant goes first, so neither always gets the warmer (or noisier) slot.
    const order = rep % 2 === 1 ? VARIANTS : ([...VARIANTS].reverse() as Variant[]);
    for (const variant of order) {
      const { port, child } = await startServer(variant);
      try {
        const url = `http://127.0.0.1:${port}/hello`;
        if (warmup > 0) await load(url, warmup, connections);
        const before = cpuMicros(child.pid!);
        const r = await load(url, duration, connections);
        const after = cpuMicros(child.pid!);
        if (r.non2xx > 0) throw new Error(`${variant}: ${r.non2xx} non-2xx responses`);
        results[variant].push(r.rps);
        const perRequest = before !== undefined && after !== undefined && r.requests > 0 ? (after - before) / r.requests : undefined;
        if (perRequest !== undefined) cpu[variant].push(perRequest);
        const p99 = r.p99Ms === undefined ? "" : `  p99 ${r.p99Ms.toFixed(2).padStart(7)} ms`;
        const cost = perRequest === undefined ? "" : `  server cpu ${perRequest.toFixed(1).padStart(5)} µs/req`;
        console.log(`rep ${rep}  ${variant.padEnd(5)} ${Math.round(r.rps).toLocaleString("en-US").padStart(8)} req/s${p99}${cost}`);
      } finally {
        await stopServer(child);
      }
    }
  }
  const bare = median(results.bare);
  const stack = median(results.stack);
  const perRep = results.bare.map((b, i) => (results.stack[i]! / b).toFixed(2));
  console.log(`\nmedian  bare  ${Math.round(bare).toLocaleString("en-US")} req/s`);
  console.log(`median  stack ${Math.round(stack).toLocaleString("en-US")} req/s`);
  console.log(`throughput ratio stack/bare = ${(stack / bare).toFixed(2)} (per repeat: ${perRep.join(", ")}; goal ≥ 0.80)`);
  if (cpu.bare.length > 0 && cpu.stack.length > 0) {
    const bareCpu = median(cpu.bare);
    const stackCpu = median(cpu.stack);
    console.log(`server cpu per request: bare ${bareCpu.toFixed(1)} µs, stack ${stackCpu.toFixed(1)} µs → capacity ratio ${(bareCpu / stackCpu).toFixed(2)}`);
  }
}

const argv = process.argv.slice(2);
if (argv[0] === "--serve") await runServer(argv[1] as Variant);
else if (argv[0] === "--load") await runLoad(argv[1]!, Number(argv[2]), Number(argv[3]));
else await main();
