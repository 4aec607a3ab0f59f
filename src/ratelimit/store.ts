/**
 * Where rate-limit counters live. {@link MemoryRateLimitStore} is exact for one process; for several processes
 * or hosts use `RedisRateLimitStore`, whose Lua scripts make each hit one atomic step on the shared server.
 */

/**
 * `"fixed"`: N hits per window starting at the first hit. `"sliding"`: N hits in any window-long span (a log).
 *
 * @example
 * new RateLimiter({ limit: 10, window: 1, algorithm: "sliding" satisfies RateLimitAlgorithm });
 */
export type RateLimitAlgorithm = "fixed" | "sliding";

/**
 * The outcome of one hit.
 *
 * @example
 * app.get("/quota", { params: { q: Depends(limiter) } }, ({ q }) => ({ remaining: q.remaining }));
 */
export interface RateLimitResult {
  /** Whether this hit is within the limit. */
  readonly allowed: boolean;
  readonly limit: number;
  /** Hits left in the current window after this one. */
  readonly remaining: number;
  /** Milliseconds until a hit is available again (0 while `remaining > 0`). */
  readonly retryAfterMs: number;
  /** Milliseconds until the window resets (fixed) or the oldest counted hit expires (sliding). */
  readonly resetMs: number;
}

/**
 * A counter backend. `hit` records one request for `key` (unless it is over the limit) and says whether it
 * passes; it must be atomic per key.
 *
 * @example
 * const store: RateLimitStore = new MemoryRateLimitStore();
 * const { allowed } = await store.hit("ip:1.2.3.4", 5, 60_000, "fixed");
 */
export interface RateLimitStore {
  hit(key: string, limit: number, windowMs: number, algorithm: RateLimitAlgorithm): Promise<RateLimitResult>;
  /** Forgets a key (e.g. after a successful login resets a login limiter). */
  reset(key: string): Promise<void>;
}

/**
 * Options of {@link MemoryRateLimitStore}.
 *
 * @example
 * new MemoryRateLimitStore({ now: () => fakeClock });
 */
export interface MemoryRateLimitStoreOptions {
  /** The clock in ms (default `Date.now`); tests pass a fake one. */
  now?: () => number;
}

type Counter = { kind: "fixed"; count: number; resetAt: number } | { kind: "sliding"; hits: number[]; windowMs: number };

/**
 * Counters in this process's memory: exact, fast, and lost on restart; each process counts on its own — seed
 * example 28's `RateLimiter` dictionary, with expiry. Stale keys are swept as new ones arrive.
 *
 * @example
 * const limiter = new RateLimiter({ limit: 5, window: 60, store: new MemoryRateLimitStore() });
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly #counters = new Map<string, Counter>();
  readonly #now: () => number;
  #nextSweep = 0;

  constructor(options: MemoryRateLimitStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  /** Number of keys tracked. */
  get size(): number {
    return this.#counters.size;
  }

  async hit(key: string, limit: number, windowMs: number, algorithm: RateLimitAlgorithm): Promise<RateLimitResult> {
    const now = this.#now();
    if (this.#counters.size > 1000 && now >= this.#nextSweep) this.#sweep(now);
    return algorithm === "fixed" ? this.#fixed(key, limit, windowMs, now) : this.#sliding(key, limit, windowMs, now);
  }

  async reset(key: string): Promise<void> {
    this.#counters.delete(key);
  }

  #fixed(key: string, limit: number, windowMs: number, now: number): RateLimitResult {
    let c = this.#counters.get(key);
    if (c === undefined || c.kind !== "fixed" || c.resetAt <= now) {
      c = { kind: "fixed", count: 0, resetAt: now + windowMs };
      this.#counters.set(key, c);
    }
    c.count++;
    const resetMs = c.resetAt - now;
    const allowed = c.count <= limit;
    return { allowed, limit, remaining: Math.max(0, limit - c.count), retryAfterMs: allowed && c.count < limit ? 0 : resetMs, resetMs };
  }

  #sliding(key: string, limit: number, windowMs: number, now: number): RateLimitResult {
    let c = this.#counters.get(key);
    if (c === undefined || c.kind !== "sliding") {
      c = { kind: "sliding", hits: [], windowMs };
      this.#counters.set(key, c);
    }
    const hits = c.hits;
    let expired = 0;
    while (expired < hits.length && hits[expired]! <= now - windowMs) expired++;
    if (expired > 0) hits.splice(0, expired);
    const allowed = hits.length < limit;
    if (allowed) hits.push(now); // a refused hit is not counted, or a client retrying in a loop would never get in
    const resetMs = hits.length === 0 ? 0 : hits[0]! + windowMs - now;
    const remaining = limit - hits.length;
    return { allowed, limit, remaining: Math.max(0, remaining), retryAfterMs: remaining > 0 ? 0 : resetMs, resetMs };
  }

  #sweep(now: number): void {
    for (const [key, c] of this.#counters) {
      if (c.kind === "fixed" ? c.resetAt <= now : c.hits.length === 0 || c.hits[c.hits.length - 1]! <= now - c.windowMs) this.#counters.delete(key);
    }
    this.#nextSweep = now + 1000;
  }
}
