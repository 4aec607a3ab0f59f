/**
 * Shared plumbing of the realtime benchmarks: each runs its servers in a child process (so client memory and CPU
 * never mix with the server's) and talks to it over IPC.
 */
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A server child: its port, and a request/response channel over IPC. */
export interface ServerChild {
  readonly port: number;
  ask<T>(request: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** Forks `script` with `--serve <mode>` under tsx (and `--expose-gc`), and waits for it to report its port. */
export function startServer(script: string, mode: string, extra: string[] = []): Promise<ServerChild> {
  const child: ChildProcess = fork(fileURLToPath(script), ["--serve", mode, ...extra], {
    execArgv: ["--expose-gc", "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let seq = 0;
  const pending = new Map<number, (value: unknown) => void>();
  return new Promise((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`server ${mode} exited with ${code}`)));
    child.on("message", (message: { ready?: number; id?: number; value?: unknown }) => {
      if (message.ready !== undefined) {
        resolve({
          port: message.ready,
          ask: <T>(request: Record<string, unknown>) =>
            new Promise<T>((done) => {
              const id = ++seq;
              pending.set(id, done as (value: unknown) => void);
              child.send({ ...request, id });
            }),
          stop: () =>
            new Promise<void>((done) => {
              child.removeAllListeners("exit");
              child.once("exit", () => done());
              child.kill("SIGTERM");
            }),
        });
      } else if (message.id !== undefined) {
        pending.get(message.id)?.(message.value);
        pending.delete(message.id);
      }
    });
  });
}

/** In the child: report the port, and answer `{ op }` requests with `handlers[op]()`. */
export function serveChild(port: number, handlers: Record<string, (request: Record<string, unknown>) => unknown>): void {
  process.on("message", async (request: Record<string, unknown> & { id: number; op: string }) => {
    const value = await handlers[request.op]!(request);
    process.send!({ id: request.id, value });
  });
  process.on("SIGTERM", () => process.exit(0));
  process.send!({ ready: port });
}

/** Heap and RSS after full garbage collections. */
export async function settledMemory(): Promise<{ heap: number; external: number; rss: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 4; i++) {
    gc?.();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, external: m.external + m.arrayBuffers, rss: m.rss };
}

/** The value at quantile `q` (0–1) of a list of numbers. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** `--name value` from the command line, or `fallback`. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1]!;
}
