import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { RateLimitAlgorithm, RateLimitResult, RateLimitStore } from "./store.ts";

// Fixed window: the first hit creates the counter with the window as its TTL; INCR and PEXPIRE run as one step,
// so a crash cannot leave a counter that never expires. Returns { count, ttl ms }.
const FIXED = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return { count, ttl }
`;

// Sliding log: one sorted-set member per counted hit, scored by Redis's own clock (TIME), so app hosts with skewed
// clocks still agree. Expired members are trimmed, then the hit is counted only if there is room. Returns
// { allowed (1/0), count after, ms until the oldest counted hit expires }.
const SLIDING = `
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
local allowed = 0
if count < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  count = count + 1
  allowed = 1
end
local reset = 0
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if oldest[2] then reset = tonumber(oldest[2]) + window - now end
return { allowed, count, reset }
`;

type Scripted = Redis & {
  typefastRateFixed(key: string, windowMs: number): Promise<[number, number]>;
  typefastRateSliding(key: string, limit: number, windowMs: number, member: string): Promise<[number, number, number]>;
};

/**
 * Options of {@link RedisRateLimitStore}.
 *
 * @example
 * new RedisRateLimitStore(redis, { prefix: "shop:ratelimit:" });
 */
export interface RedisRateLimitStoreOptions {
  /** Prefix of every counter key (default `typefast:ratelimit:`). */
  prefix?: string;
}

/**
 * Rate-limit counters in Redis, shared by every process and host: each hit is one Lua script (`EVALSHA`), atomic
 * on the server, so N processes together allow exactly `limit` hits per window — seed example 28's "Production:
 * use Redis". The client is yours to create and close.
 *
 * @example
 * const store = new RedisRateLimitStore(new Redis({ host: "127.0.0.1" }));
 * const limiter = new RateLimiter({ limit: 100, window: 60, algorithm: "sliding", store });
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #redis: Scripted;
  readonly #prefix: string;

  constructor(redis: Redis, options: RedisRateLimitStoreOptions = {}) {
    this.#prefix = options.prefix ?? "typefast:ratelimit:";
    // defineCommand sends EVALSHA and falls back to EVAL when the server does not have the script yet.
    const scripted = redis as Scripted;
    if (typeof scripted.typefastRateFixed !== "function") {
      redis.defineCommand("typefastRateFixed", { numberOfKeys: 1, lua: FIXED });
      redis.defineCommand("typefastRateSliding", { numberOfKeys: 1, lua: SLIDING });
    }
    this.#redis = scripted;
  }

  async hit(key: string, limit: number, windowMs: number, algorithm: RateLimitAlgorithm): Promise<RateLimitResult> {
    const fullKey = this.#prefix + key;
    if (algorithm === "fixed") {
      const [count, ttl] = await this.#redis.typefastRateFixed(fullKey, windowMs);
      const allowed = count <= limit;
      return { allowed, limit, remaining: Math.max(0, limit - count), retryAfterMs: allowed && count < limit ? 0 : ttl, resetMs: ttl };
    }
    const member = randomBytes(9).toString("base64url"); // two hits in the same millisecond must both count
    const [allowed, count, reset] = await this.#redis.typefastRateSliding(fullKey, limit, windowMs, member);
    const remaining = Math.max(0, limit - count);
    return { allowed: allowed === 1, limit, remaining, retryAfterMs: remaining > 0 ? 0 : reset, resetMs: reset };
  }

  async reset(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }
}
