/**
 * Liveness and readiness endpoints for load balancers and orchestrators (seed example 55): liveness says the
 * process can answer at all; readiness runs the registered checks and says whether to send it traffic. Both turn
 * 503 as soon as a shutdown is announced (SIGTERM), so traffic drains before connections are refused.
 */
import { JSONResponse, type Response } from "../http/response.ts";
import type { Logger } from "../logger.ts";
import { Router } from "../routing/router.ts";

/**
 * A readiness check: true when the dependency is usable. Throwing or timing out counts as false.
 *
 * @example
 * const database: HealthCheck = async (signal) => (await pool.query("select 1", { signal }), true);
 */
export type HealthCheck = (signal: AbortSignal) => boolean | Promise<boolean>;

/**
 * What {@link Health} needs to know about the app: whether it is shutting down, and where to log.
 *
 * @example
 * new Health(app); // an App is a HealthTarget
 */
export interface HealthTarget {
  readonly shuttingDown: boolean;
  readonly logger?: Logger;
}

/**
 * Options of {@link Health}.
 *
 * @example
 * new Health(app, { checks: { database }, timeout: 2, prefix: "/_health" });
 */
export interface HealthOptions {
  /** Checks by name, reported under `checks` (more can be added with `addCheck`). */
  checks?: Readonly<Record<string, HealthCheck>>;
  /** Seconds a check may take before it counts as failed (default 5): a hung database must not hang the probe. */
  timeout?: number;
  /** Path prefix of the endpoints (default `/health`: `/health/live`, `/health/ready`). */
  prefix?: string;
  /** List the endpoints in the OpenAPI document (default `true`). */
  includeInSchema?: boolean;
}

/**
 * Health endpoints for one app. Liveness (`GET /health/live`) never touches a dependency — a slow database must
 * not get the process restarted; readiness (`GET /health/ready`) runs every check concurrently and answers 200
 * `healthy` or 503 `degraded` with each check's result.
 *
 * @example
 * const health = new Health(app, { checks: { database: async () => (await pool.query("select 1"), true) } });
 * app.includeRouter(health.router());
 * // GET /health/ready → 200 {"status":"healthy","uptime_seconds":12.3,"checks":{"database":true}}
 */
export class Health {
  readonly #app: HealthTarget;
  readonly #checks = new Map<string, HealthCheck>();
  readonly #timeoutMs: number;
  readonly #options: HealthOptions;
  readonly #started = performance.now();

  constructor(app: HealthTarget, options: HealthOptions = {}) {
    this.#app = app;
    this.#options = options;
    this.#timeoutMs = (options.timeout ?? 5) * 1000;
    for (const [name, check] of Object.entries(options.checks ?? {})) this.addCheck(name, check);
  }

  /** Registers a readiness check. @example health.addCheck("cache", async () => (await redis.ping()) === "PONG"); */
  addCheck(name: string, check: HealthCheck): this {
    this.#checks.set(name, check);
    return this;
  }

  /** Seconds since this object was created (with the app). */
  get uptime(): number {
    return Math.round(performance.now() - this.#started) / 1000;
  }

  /** Runs every check concurrently; each result is true, or false when it returned false, threw or timed out. */
  async runChecks(): Promise<Record<string, boolean>> {
    const entries = await Promise.all([...this.#checks].map(async ([name, check]) => [name, await this.#run(name, check)] as const));
    return Object.fromEntries(entries);
  }

  /** The liveness answer: 200 `alive`, or 503 `shutting_down`. @example const res = await health.liveness(); */
  async liveness(): Promise<Response> {
    if (this.#app.shuttingDown) return shuttingDown();
    return new JSONResponse({ status: "alive", uptime: this.uptime });
  }

  /** The readiness answer: 200 `healthy`, 503 `degraded`, or 503 `shutting_down`. @example await health.readiness(); */
  async readiness(): Promise<Response> {
    if (this.#app.shuttingDown) return shuttingDown();
    const checks = await this.runChecks();
    const healthy = Object.values(checks).every(Boolean);
    return new JSONResponse(
      { status: healthy ? "healthy" : "degraded", uptime_seconds: this.uptime, checks },
      { status: healthy ? 200 : 503, headers: { "cache-control": "no-store" } },
    );
  }

  /** A router with `GET {prefix}/live` and `GET {prefix}/ready`, tagged `health`. @example app.includeRouter(health.router()); */
  router(): Router {
    const router = new Router({ prefix: this.#options.prefix ?? "/health", tags: ["health"], includeInSchema: this.#options.includeInSchema });
    router.get("/live", { summary: "Liveness", name: "health_live" }, () => this.liveness());
    router.get("/ready", { summary: "Readiness", name: "health_ready" }, () => this.readiness());
    return router;
  }

  async #run(name: string, check: HealthCheck): Promise<boolean> {
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        controller.abort();
        this.#app.logger?.warn(`Health check ${name} timed out after ${this.#timeoutMs} ms`);
        resolve(false);
      }, this.#timeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve().then(() => check(controller.signal)).then((ok) => ok === true), timeout]);
    } catch (error) {
      this.#app.logger?.error(`Health check ${name} failed`, error);
      return false;
    } finally {
      clearTimeout(timer);
    }
  }
}

function shuttingDown(): Response {
  return new JSONResponse({ status: "shutting_down" }, { status: 503, headers: { "cache-control": "no-store" } });
}
