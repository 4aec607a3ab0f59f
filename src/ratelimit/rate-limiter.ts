import type { RequestContext } from "../context.ts";
import type { Dependency, Injectable } from "../di/depends.ts";
import { HTTPException } from "../errors/http-exception.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import { ProxyList, type TrustedProxies } from "../middleware/forwarded.ts";
import type { ParamsSpec } from "../params/marker.ts";
import { MemoryRateLimitStore, type RateLimitAlgorithm, type RateLimitResult, type RateLimitStore } from "./store.ts";

/**
 * Options of {@link RateLimiter}.
 *
 * @example
 * new RateLimiter({ limit: 100, window: 60, algorithm: "sliding", key: "api-key", trustedProxies: ["10.0.0.0/8"] });
 */
export interface RateLimiterOptions {
  /** Requests allowed per window. */
  limit: number;
  /** The window, in seconds. */
  window: number;
  /** `"fixed"` (default: cheapest) or `"sliding"` (no burst of 2×limit across a window boundary). */
  algorithm?: RateLimitAlgorithm;
  /**
   * Who is limited: `"ip"` (default; see `trustedProxies`), `"api-key"` (the `apiKeyHeader`), or a dependency
   * returning the key — e.g. the user: `Depends({ user: Depends(getCurrentUser) }, ({ user }) => user.id)`.
   * A request without an API key or user falls back to its IP.
   */
  key?: "ip" | "api-key" | Dependency<string | undefined>;
  /** Header holding the API key for `key: "api-key"` (default `x-api-key`). */
  apiKeyHeader?: string;
  /** Proxies whose `X-Forwarded-For` is believed when finding the client IP (default none: the socket peer). */
  trustedProxies?: TrustedProxies;
  /** Where counters live (default a new {@link MemoryRateLimitStore}: per process). Use Redis across processes. */
  store?: RateLimitStore;
  /** Namespaces the counters, so limiters with the same settings on one store stay apart (default `"default"`). */
  name?: string;
  /** The 429 `detail` (default `"Too Many Requests"`). */
  detail?: string;
  /** Add `RateLimit-*` headers to allowed responses too (default `true`). */
  headers?: boolean;
}

/**
 * A rate limit as a dependency (seed example 28's `RateLimiter`, production-ready): put `Depends(limiter)` in a
 * route's, router's or app's `dependencies`. Over the limit it raises 429 with `Retry-After` and the
 * `RateLimit-Limit` / `RateLimit-Remaining` / `RateLimit-Reset` / `RateLimit-Policy` headers (IETF draft
 * `draft-ietf-httpapi-ratelimit-headers`); allowed responses carry the same headers. As a parameter it gives the
 * {@link RateLimitResult}.
 *
 * @example
 * const limiter = new RateLimiter({ limit: 5, window: 60, store: new RedisRateLimitStore(redis) });
 * app.get("/items", { dependencies: [Depends(limiter)] }, () => ({ items: [] }));
 * const perUser = new RateLimiter({ limit: 1000, window: 3600, key: Depends({ user: Depends(getCurrentUser) }, ({ user }) => user.id) });
 */
export class RateLimiter implements Injectable<ParamsSpec, Promise<RateLimitResult>> {
  readonly params: ParamsSpec;
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #algorithm: RateLimitAlgorithm;
  readonly #mode: "ip" | "api-key" | "dependency";
  readonly #apiKeyHeader: string;
  readonly #proxies: ProxyList;
  readonly #store: RateLimitStore;
  readonly #prefix: string;
  readonly #detail: string;
  readonly #headers: boolean;
  readonly #policy: string;

  constructor(options: RateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) {
      throw new TypefastError("TF_RATE_LIMIT", `RateLimiter: limit must be a positive integer, got ${options.limit}.`);
    }
    if (!(options.window > 0)) throw new TypefastError("TF_RATE_LIMIT", `RateLimiter: window must be a positive number of seconds, got ${options.window}.`);
    this.#limit = options.limit;
    this.#windowMs = Math.round(options.window * 1000);
    this.#algorithm = options.algorithm ?? "fixed";
    const key = options.key ?? "ip";
    this.#mode = typeof key === "string" ? key : "dependency";
    this.params = typeof key === "string" ? {} : { key };
    this.#apiKeyHeader = (options.apiKeyHeader ?? "x-api-key").toLowerCase();
    this.#proxies = new ProxyList(options.trustedProxies);
    this.#store = options.store ?? new MemoryRateLimitStore();
    this.#prefix = `${options.name ?? "default"}:${this.#limit}/${this.#windowMs}:${this.#algorithm}:`;
    this.#detail = options.detail ?? "Too Many Requests";
    this.#headers = options.headers ?? true;
    this.#policy = `${this.#limit};w=${Math.ceil(this.#windowMs / 1000)}`;
  }

  /** The counter key of a request: `ip:…`, `key:…` or `id:…`. */
  async keyOf(args: Record<string, unknown>, ctx: RequestContext): Promise<string> {
    if (this.#mode === "dependency") {
      const id = args.key;
      if (typeof id === "string" && id !== "") return `id:${id}`;
    } else if (this.#mode === "api-key") {
      const apiKey = ctx.request.header(this.#apiKeyHeader);
      if (apiKey !== undefined && apiKey !== "") return `key:${apiKey}`;
    }
    return `ip:${this.#proxies.clientIp(ctx.request)}`;
  }

  /** Counts the request; throws 429 over the limit. Called by the dependency system. */
  async call(args: Record<string, unknown>, ctx: RequestContext): Promise<RateLimitResult> {
    const key = this.#prefix + (await this.keyOf(args, ctx));
    const result = await this.#store.hit(key, this.#limit, this.#windowMs, this.#algorithm);
    const headers: Record<string, string> = {
      "ratelimit-limit": String(this.#limit),
      "ratelimit-remaining": String(result.remaining),
      "ratelimit-reset": String(Math.ceil(result.resetMs / 1000)),
      "ratelimit-policy": this.#policy,
    };
    if (!result.allowed) {
      throw new HTTPException(429, this.#detail, { ...headers, "retry-after": String(Math.max(1, Math.ceil(result.retryAfterMs / 1000))) });
    }
    if (this.#headers) for (const name in headers) ctx.response.setHeader(name, headers[name]!);
    return result;
  }

  /** Clears the counter of one request's key (e.g. reset a login limiter after a successful login). */
  async reset(args: Record<string, unknown>, ctx: RequestContext): Promise<void> {
    await this.#store.reset(this.#prefix + (await this.keyOf(args, ctx)));
  }
}
