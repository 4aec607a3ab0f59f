import type { Redis } from "ioredis";
import { BaseCache, ttlMs, type SetOptions } from "./cache.ts";

/**
 * Options of {@link RedisCache}.
 *
 * @example
 * new RedisCache(redis, { prefix: "shop:cache:", defaultTtl: 60 });
 */
export interface RedisCacheOptions {
  /** Key prefix shared by this cache's entries; `clear()` removes exactly these (default `typefast:cache:`). */
  prefix?: string;
  /** TTL in seconds for writes that give none (default: no expiry). */
  defaultTtl?: number;
}

/**
 * A cache in Redis, shared by every process and host of the app: entries are JSON (so values must be JSON data),
 * TTLs are Redis's own (`SET … PX`), and `clear()` only touches keys under `prefix`. The client is yours: create
 * it once (an app-scoped dependency is the natural place) and close it at shutdown.
 *
 * @example
 * const cache = new RedisCache<Item>(new Redis({ host: "127.0.0.1" }), { prefix: "shop:items:", defaultTtl: 30 });
 * const item = await cache.getOrSet(`${id}`, () => loadItem(id));
 */
export class RedisCache<V = unknown> extends BaseCache<V> {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #defaultTtl: number | undefined;

  constructor(redis: Redis, options: RedisCacheOptions = {}) {
    super();
    this.#redis = redis;
    this.#prefix = options.prefix ?? "typefast:cache:";
    if (this.#prefix === "") throw new RangeError("RedisCache: the prefix must not be empty, or clear() would delete every key of the database");
    this.#defaultTtl = ttlMs(options.defaultTtl);
  }

  async get(key: string): Promise<V | undefined> {
    const text = await this.#redis.get(this.#prefix + key);
    return text === null ? undefined : (JSON.parse(text) as V);
  }

  async set(key: string, value: V, options: SetOptions = {}): Promise<void> {
    const text = JSON.stringify(value);
    if (text === undefined) throw new TypeError(`RedisCache: the value for ${JSON.stringify(key)} is not JSON data`);
    const ms = options.ttl === undefined ? this.#defaultTtl : ttlMs(options.ttl);
    if (ms === undefined) await this.#redis.set(this.#prefix + key, text);
    else await this.#redis.set(this.#prefix + key, text, "PX", ms);
  }

  async delete(key: string): Promise<boolean> {
    return (await this.#redis.del(this.#prefix + key)) > 0;
  }

  async clear(): Promise<void> {
    // SCAN, not KEYS: KEYS blocks the server for the whole keyspace. Glob characters in the prefix are escaped.
    const pattern = this.#prefix.replace(/[*?[\]\\]/g, "\\$&") + "*";
    let cursor = "0";
    do {
      const [next, keys] = await this.#redis.scan(cursor, "MATCH", pattern, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await this.#redis.unlink(...keys);
    } while (cursor !== "0");
  }
}
