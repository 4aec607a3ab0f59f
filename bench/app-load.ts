/**
 * Load generation for `app-bench.ts`: wrk when it is installed (pinned to a core with taskset when available),
 * else a small keep-alive client in this process. Both report requests/s and latency percentiles.
 */
import { spawn, spawnSync } from "node:child_process";
import http from "node:http";
import { writeFileSync } from "node:fs";

export interface LoadResult {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
  readonly tool: string;
}

export interface LoadSpec {
  readonly url: string;
  readonly method: "GET" | "POST";
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly seconds: number;
  readonly connections: number;
}

export const hasWrk = (): boolean => !spawnSync("wrk", ["--version"]).error;
export const hasTaskset = (): boolean => !spawnSync("taskset", ["-c", "0", "true"]).error;

const UNITS: Record<string, number> = { us: 1e-3, ms: 1, s: 1e3 };
const toMs = (text: string): number => {
  const m = /^([\d.]+)(us|ms|s)$/.exec(text);
  return m ? Number(m[1]) * UNITS[m[2]!]! : NaN;
};

/** Runs wrk (`-t1 --latency`, on core `core` when taskset exists); a Lua script carries method, body and headers. */
export function runWrk(spec: LoadSpec, scriptPath: string, core = 1): Promise<LoadResult> {
  const lua = [`wrk.method = ${JSON.stringify(spec.method)}`];
  if (spec.body !== undefined) lua.push(`wrk.body = ${JSON.stringify(spec.body)}`);
  for (const [name, value] of Object.entries(spec.headers ?? {})) lua.push(`wrk.headers[${JSON.stringify(name)}] = ${JSON.stringify(value)}`);
  writeFileSync(scriptPath, lua.join("\n") + "\n");
  const wrkArgs = ["-t1", `-c${spec.connections}`, `-d${spec.seconds}s`, "--latency", "-s", scriptPath, spec.url];
  const [cmd, args] = hasTaskset() ? ["taskset", ["-c", String(core), "wrk", ...wrkArgs]] : ["wrk", wrkArgs];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    child.once("error", reject);
    child.once("exit", (code) => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      if (code !== 0 || rps === null) return reject(new Error(`wrk failed (exit ${code}):\n${out}`));
      const pct = (p: string) => toMs(new RegExp(`^\\s+${p}%\\s+(\\S+)`, "m").exec(out)?.[1] ?? "");
      const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
      const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      const socketErrors = socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0;
      resolve({ rps: Number(rps[1]), p50: pct("50"), p99: pct("99"), errors: non2xx + socketErrors, tool: "wrk" });
    });
  });
}

/** The fallback: `connections` keep-alive loops in this process for `seconds`. Slower than wrk; good enough to compare. */
export async function runNodeLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const latencies: number[] = [];
  let errors = 0;
  const deadline = performance.now() + spec.seconds * 1000;
  const once = () =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      const req = http.request(spec.url, { method: spec.method, agent, headers: spec.headers }, (res) => {
        res.resume();
        res.once("end", () => {
          if (res.statusCode! >= 300) errors++;
          latencies.push(performance.now() - started);
          resolve();
        });
      });
      req.once("error", () => {
        errors++;
        resolve();
      });
      req.end(spec.body);
    });
  const started = performance.now();
  await Promise.all(
    Array.from({ length: spec.connections }, async () => {
      while (performance.now() < deadline) await once();
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return { rps: latencies.length / elapsed, p50: at(0.5), p99: at(0.99), errors, tool: "node" };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
