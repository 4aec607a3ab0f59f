/**
 * Helpers for the multi-process tests: a Node process (TypeScript through tsx) with its output collected, requests
 * that say which process answered, and a steady keep-alive load that counts every answer.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** What `--import tsx` loads, by absolute URL so it resolves from any working directory. */
const TSX_LOADER = pathToFileURL(join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;

/** A running process: its combined output so far, and waiting for a line to appear. */
export interface Spawned {
  readonly proc: ChildProcess;
  output(): string;
  /** Resolves with the match once `pattern` appears in the output after `from` characters. */
  waitFor(pattern: RegExp, timeoutMs?: number, from?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal's name). */
  exited(): Promise<number | string>;
}

/**
 * Runs `node --import tsx <script>` (relative to the repository root) in `cwd` with `env` added. The spawned process
 * is the script itself, not a tsx wrapper, so a signal sent to it reaches a cluster primary directly.
 */
export function spawnTs(script: string, env: Record<string, string>, cwd = ROOT): Spawned {
  const proc = spawn(process.execPath, ["--import", TSX_LOADER, join(ROOT, script)], { cwd, env: { ...process.env, ...env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  return watchOutput(proc, "The process");
}

/** Collects `proc`'s stdout and stderr (spawned with both piped) and lets tests wait for a line; `who` names it in errors. */
export function watchOutput(proc: ChildProcess, who: string): Spawned {
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString();
    for (const listener of listeners) listener();
  };
  proc.stdout!.on("data", onData);
  proc.stderr!.on("data", onData);
  const exit = new Promise<number | string>((resolve) => proc.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    proc,
    output: () => text,
    waitFor(pattern, timeoutMs = 45_000, from = 0) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = text.slice(from).match(pattern);
          if (match) {
            cleanup();
            resolve(match);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`Timed out waiting for ${pattern}; output so far:\n${text}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exit.then(() =>
          setTimeout(() => {
            if (!listeners.has(check)) return;
            cleanup();
            reject(new Error(`${who} exited while waiting for ${pattern}; output:\n${text}`));
          }, 50),
        );
        check();
      });
    },
    exited: () => exit,
  };
}

/** True while a process with this id exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves once `pid` is gone (polling), or rejects after `ms`. */
export async function gone(pid: number, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`process ${pid} is still running after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export interface Answer {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** One request; `agent: false` opens a fresh connection, so a cluster deals successive calls to its workers in turn. */
export function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; agent?: http.Agent | false } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, agent: init.agent ?? false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

/** The process that answered `GET /pid`, on a fresh connection. */
export async function pidAt(url: string): Promise<number> {
  return (JSON.parse((await request(`${url}/pid`)).body) as { pid: number }).pid;
}

/** What a steady load saw. */
export interface LoadReport {
  /** Answers by status code. */
  readonly statuses: Map<number, number>;
  /** Requests that got no answer at all, with why. */
  readonly failures: string[];
  /** Requests sent on a connection that had already carried one (proves the keep-alive path was exercised). */
  readonly reused: number;
  /** Answers that asked the client to close the connection. */
  readonly closes: number;
}

/**
 * `clients` loops, each on its own keep-alive connection (a new one only when the server closed it), sending
 * `next(i)` back to back until `stop()` is called; resolves with everything they saw. Nothing is retried: a
 * request that fails is reported in `failures`.
 */
export function steadyLoad(url: string, clients: number, next: (n: number) => { method: string; headers?: Record<string, string>; body?: string }) {
  let running = true;
  let sent = 0;
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  let reused = 0;
  let closes = 0;
  const loops = Array.from({ length: clients }, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (running) {
        const spec = next(sent++);
        await new Promise<void>((resolve) => {
          let settled = false;
          const fail = (why: string) => {
            if (settled) return;
            settled = true;
            failures.push(`${why}${req.reusedSocket ? " (on a reused connection)" : ""}`);
            // Errors arrive on process.nextTick: without a turn of the event loop a failing loop would starve it.
            setImmediate(resolve);
          };
          const req = http.request(url, { method: spec.method, headers: spec.headers, agent }, (res) => {
            if (req.reusedSocket) reused++;
            if (res.headers.connection === "close") closes++;
            res.resume();
            res.on("end", () => {
              if (settled) return;
              settled = true;
              statuses.set(res.statusCode ?? 0, (statuses.get(res.statusCode ?? 0) ?? 0) + 1);
              resolve();
            });
            res.on("close", () => (res.complete ? undefined : fail("the response was cut")));
          });
          req.on("error", (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
          req.setTimeout(30_000, () => req.destroy(Object.assign(new Error("no answer within 30 s"), { code: "NO_ANSWER" })));
          req.end(spec.body);
        });
      }
    } finally {
      agent.destroy();
    }
  });
  return {
    /** Answers so far. */
    count: () => [...statuses.values()].reduce((a, b) => a + b, 0),
    async stop(): Promise<LoadReport> {
      running = false;
      await Promise.all(loops);
      return { statuses, failures, reused, closes };
    },
  };
}
