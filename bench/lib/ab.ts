// A/B comparison of server variants on one endpoint, with the same discipline as run.mjs: each variant's server is
// a fresh process pinned to core 0, wrk -t1 is pinned to core 1, variants alternate (and swap order every
// repeat) so drift hits them alike, and a fixed CPU probe is timed on both cores right before and after every
// measured run — a run during which either core slowed (the host throttling a vCPU, another process) is thrown
// away and re-run once the cores are calm again.
//
// Servers run the built package (dist/, rebuilt first when src/ changed), as a deployed app does.
//
// Two ratios are printed: throughput (req/s, what goals are stated in) and server CPU per request (µs, from
// /proc), which other processes hardly move — when both agree, the figure can be trusted.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { CpuGuard } from "./probe.mjs";
import { hasTaskset, runWrk, wrkInstallCommand, wrkVersion } from "./wrk.mjs";
import { freePort, killLiveChildren, liveChildren } from "./servers.mjs";
import { ensureBuilt } from "./build.mjs";

/**
 * Imports a module of the built package, typed as its source: `await fromDist<typeof import("../src/index.ts")>("index.js")`.
 * The path is computed so that type-checking does not need dist/ to exist.
 */
export function fromDist<T>(file: string): Promise<T> {
  return import(new URL(`../../dist/${file}`, import.meta.url).href) as Promise<T>;
}

const SERVER_CORE = 0;
const LOAD_CORE = 1;

/** What an A/B bench compares. */
export interface Comparison {
  /** First line of the report. */
  title: string;
  /** The bench script itself: run as `node --import tsx <script> --serve <variant>` to start one server. */
  script: string;
  /** Variant names; the ratio printed is each variant against the first. */
  variants: readonly string[];
  /** Path requested (same on every variant). */
  path: string;
  /** Request headers wrk sends (a bearer token, an Origin…). */
  headers?: (variant: string) => Record<string, string>;
  /** Throws when a variant does not answer as it must (run once per variant before measuring). */
  check?: (variant: string, baseUrl: string) => Promise<void>;
  /** The goal, printed next to the ratio: e.g. `{ variant: "jwt", atLeast: 0.75 }`. */
  goal?: { variant: string; atLeast: number };
}

interface Sample {
  rps: number;
  cpuUsPerRequest: number;
  p99Ms: number;
}

function cpuTicks(pid: number): number {
  // utime + stime in clock ticks (USER_HZ = 100 on Linux).
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(f[11]) + Number(f[12]);
}

async function startServer(c: Comparison, variant: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const port: number = await freePort();
  const child = spawn("taskset", ["-c", String(SERVER_CORE), process.execPath, "--import", "tsx", c.script, "--serve", variant], {
    env: { ...process.env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "inherit", "inherit"],
  });
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const sock = net.connect({ host: "127.0.0.1", port }, () => (sock.destroy(), resolve(true)));
      sock.once("error", () => resolve(false));
    });
    if (up) return { child, baseUrl: `http://127.0.0.1:${port}` };
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`the ${variant} server did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Parses the common options, runs the comparison and prints the report. */
export async function compare(c: Comparison): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      repeats: { type: "string", default: "5" },
      duration: { type: "string", default: "5" },
      warmup: { type: "string", default: "2" },
      connections: { type: "string", default: "50" },
      threshold: { type: "string", default: "1.2" },
      retries: { type: "string", default: "3" },
    },
  });
  const repeats = Number(values.repeats);
  const seconds = Number(values.duration);
  const warmup = Number(values.warmup);
  const connections = Number(values.connections);
  const retries = Number(values.retries);
  if (!wrkVersion() || !hasTaskset()) {
    console.error(`This bench needs wrk and taskset. Install wrk with: ${wrkInstallCommand()}`);
    process.exit(1);
  }
  process.on("SIGINT", () => (killLiveChildren(), process.exit(130)));

  ensureBuilt();
  console.log(c.title);
  console.log(`${repeats} repeats × ${seconds}s (+${warmup}s warm-up), ${connections} connections; server on core ${SERVER_CORE}, wrk on core ${LOAD_CORE}; node ${process.version}\n`);
  const guard = new CpuGuard({ cores: [SERVER_CORE, LOAD_CORE], threshold: Number(values.threshold) });
  await guard.start();
  const samples = new Map<string, Sample[]>(c.variants.map((v) => [v, []]));
  let discarded = 0;
  try {
    for (const variant of c.variants) {
      if (!c.check) break;
      const { child, baseUrl } = await startServer(c, variant);
      try {
        await c.check(variant, baseUrl);
      } finally {
        await stopServer(child);
      }
    }
    for (let rep = 1; rep <= repeats; rep++) {
      const order = rep % 2 === 1 ? [...c.variants] : [...c.variants].reverse();
      for (const variant of order) {
        for (let attempt = 0; ; attempt++) {
          const sample = await measure(c, variant, { seconds, warmup, connections }, guard);
          if ("sample" in sample) {
            samples.get(variant)!.push(sample.sample);
            const s = sample.sample;
            console.log(`rep ${rep}  ${variant.padEnd(8)} ${Math.round(s.rps).toLocaleString("en-US").padStart(8)} req/s  p99 ${s.p99Ms.toFixed(2).padStart(6)} ms  server cpu ${s.cpuUsPerRequest.toFixed(1).padStart(5)} µs/req  ok`);
            break;
          }
          discarded++;
          console.log(`rep ${rep}  ${variant.padEnd(8)} discarded: ${sample.reason}`);
          if (attempt >= retries) throw new Error(`gave up on ${variant} after ${retries + 1} discarded runs: the machine is too busy to measure`);
          await guard.waitForCalm({ timeoutMs: 30_000 });
        }
      }
    }
  } finally {
    await guard.stop();
    killLiveChildren();
  }

  const base = c.variants[0]!;
  const rpsOf = (v: string) => median(samples.get(v)!.map((s) => s.rps));
  const cpuOf = (v: string) => median(samples.get(v)!.map((s) => s.cpuUsPerRequest));
  console.log(`\nmedians of ${repeats} kept runs per variant (${discarded} discarded by the CPU guard)`);
  for (const v of c.variants) {
    const ratio = v === base ? "" : `   throughput ${(rpsOf(v) / rpsOf(base)).toFixed(2)}× ${base}, capacity (cpu) ${(cpuOf(base) / cpuOf(v)).toFixed(2)}× ${base}`;
    console.log(`${v.padEnd(8)} ${Math.round(rpsOf(v)).toLocaleString("en-US").padStart(8)} req/s  ${cpuOf(v).toFixed(1).padStart(5)} µs/req${ratio}`);
  }
  if (c.goal) {
    const ratio = rpsOf(c.goal.variant) / rpsOf(base);
    console.log(`\ngoal: ${c.goal.variant} ≥ ${c.goal.atLeast}× ${base} → ${ratio.toFixed(2)}× (${ratio >= c.goal.atLeast ? "met" : "NOT met"})`);
  }
}

async function measure(
  c: Comparison,
  variant: string,
  o: { seconds: number; warmup: number; connections: number },
  guard: CpuGuard,
): Promise<{ sample: Sample } | { reason: string }> {
  const { child, baseUrl } = await startServer(c, variant);
  try {
    const url = baseUrl + c.path;
    const headers = c.headers?.(variant) ?? {};
    if (o.warmup > 0) await runWrk({ url, seconds: o.warmup, connections: o.connections, headers, core: LOAD_CORE });
    const before = await guard.probe();
    const t0 = cpuTicks(child.pid!);
    const r = await runWrk({ url, seconds: o.seconds, connections: o.connections, headers, core: LOAD_CORE });
    const t1 = cpuTicks(child.pid!);
    const after = await guard.probe();
    if (!r.ok) throw new Error(`${variant}: wrk saw errors or non-2xx answers:\n${r.raw}`);
    const verdict = guard.judge(before, after);
    if (!verdict.ok) return { reason: verdict.reason };
    return { sample: { rps: r.rps, cpuUsPerRequest: ((t1 - t0) * 10_000) / r.requests, p99Ms: r.latencyMs.p99 ?? NaN } };
  } finally {
    await stopServer(child);
  }
}
