/**
 * What the reliability tests share: a resource pool that counts every acquire and release, an HTTP client that
 * reports truncated bodies instead of hiding them, a trap for errors nobody handled, and a snapshot of the
 * handles that keep the process alive.
 */
import http from "node:http";

/** One resource taken from a {@link CountingPool}. */
export interface Lease {
  readonly id: number;
  readonly kind: string;
  released: boolean;
}

/**
 * A pool that only counts: `acquire` in a dependency's setup, `release` in its teardown. Releasing twice, or
 * using a lease after its release, is recorded as a violation instead of being thrown, so the test sees every one.
 */
export class CountingPool {
  acquired = 0;
  released = 0;
  readonly violations: string[] = [];
  #next = 0;

  get inUse(): number {
    return this.acquired - this.released;
  }

  acquire(kind: string): Lease {
    this.acquired++;
    return { id: ++this.#next, kind, released: false };
  }

  release(lease: Lease): void {
    if (lease.released) {
      this.violations.push(`${lease.kind} lease ${lease.id} released twice`);
      return;
    }
    lease.released = true;
    this.released++;
  }

  /** Records a violation when `lease` is already back in the pool (a teardown ran before its last use). */
  use(lease: Lease, where: string): void {
    if (lease.released) this.violations.push(`${lease.kind} lease ${lease.id} used after release (${where})`);
  }
}

/** What {@link LoadClient.request} resolves to: never rejects, so a test can look at every outcome. */
export interface Outcome {
  /** 0 when no response head arrived. */
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** True when the whole body arrived (`content-length` or the final chunk); false for a cut stream. */
  complete: boolean;
  /** The socket error, when the request or its body failed. */
  error?: string;
}

export interface RequestSpec {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Leave after this many body bytes have arrived (a client that goes away mid-stream). */
  leaveAfterBytes?: number;
}

/** A keep-alive HTTP client with a fixed number of sockets, like a load generator or a reverse proxy. */
export class LoadClient {
  readonly agent: http.Agent;
  readonly #base: URL;

  constructor(baseUrl: string, sockets = 50) {
    this.#base = new URL(baseUrl);
    this.agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  }

  request(spec: RequestSpec): Promise<Outcome> {
    return new Promise((resolve) => {
      const headers: Record<string, string> = { ...spec.headers };
      if (spec.body !== undefined) {
        headers["content-type"] ??= "application/json";
        headers["content-length"] = String(Buffer.byteLength(spec.body));
      }
      const req = http.request(
        { host: this.#base.hostname, port: this.#base.port, method: spec.method ?? "GET", path: spec.path, headers, agent: this.agent },
        (res) => {
          const chunks: Buffer[] = [];
          let received = 0;
          let settled = false;
          const finish = (error?: string): void => {
            if (settled) return;
            settled = true;
            const outcome: Outcome = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), complete: res.complete };
            if (error !== undefined) outcome.error = error;
            resolve(outcome);
          };
          res.on("data", (chunk: Buffer) => {
            chunks.push(chunk);
            received += chunk.length;
            if (spec.leaveAfterBytes !== undefined && received >= spec.leaveAfterBytes) {
              req.destroy();
              finish("left");
            }
          });
          res.on("end", () => finish(res.complete ? undefined : "incomplete"));
          res.on("error", (e: NodeJS.ErrnoException) => finish(e.code ?? e.message));
          res.on("close", () => finish(res.complete ? undefined : "closed"));
        },
      );
      req.on("error", (e: NodeJS.ErrnoException) => resolve({ status: 0, headers: {}, body: "", complete: false, error: e.code ?? e.message }));
      req.end(spec.body);
    });
  }

  /** Runs `specs` with at most `concurrency` in flight; outcomes in the order of `specs`. */
  async run(specs: readonly RequestSpec[], concurrency: number): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(specs.length);
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < specs.length) {
        const i = next++;
        outcomes[i] = await this.request(specs[i]!);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, lane));
    return outcomes;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Errors that reached the process without a handler, collected while the trap is installed. */
export interface ErrorTrap {
  readonly errors: unknown[];
  dispose(): void;
}

export function trapProcessErrors(): ErrorTrap {
  const errors: unknown[] = [];
  const onError = (error: unknown): void => void errors.push(error);
  process.on("unhandledRejection", onError);
  process.on("uncaughtException", onError);
  return {
    errors,
    dispose: () => {
      process.off("unhandledRejection", onError);
      process.off("uncaughtException", onError);
    },
  };
}

/** The handles keeping the process alive, counted by type (`Timeout`, `TCPSocketWrap`, …). */
export function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

/** Resources present in `after` beyond what `before` had: what a run left behind. */
export function leftBehind(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const extra: Record<string, number> = {};
  for (const [type, n] of Object.entries(after)) if (n > (before[type] ?? 0)) extra[type] = n - (before[type] ?? 0);
  return extra;
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it is true, or fails with `what` after `timeoutMs`. */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}`);
    await sleep(5);
  }
}
