/**
 * One caching interface, two backends: {@link MemoryCache} for one process, {@link RedisCache} when several
 * processes or hosts must share entries. Code written against {@link Cache} runs unchanged on either.
 */

/**
 * Options of a single write.
 *
 * @example
 * await cache.set("item:1", item, { ttl: 30 });
 */
export interface SetOptions {
  /** Seconds until the entry expires (fractions allowed); default: the cache's `defaultTtl`, else never. */
  ttl?: number;
}

/**
 * A key/value cache with per-entry TTLs. `undefined` means "not cached", so it cannot be stored; `null` can.
 *
 * @example
 * async function getItem(cache: Cache<Item>, id: number) {
 *   return cache.getOrSet(`item:${id}`, () => db.items.find(id), { ttl: 30 });
 * }
 */
export interface Cache<V = unknown> {
  /** The entry, or `undefined` when missing or expired. */
  get(key: string): Promise<V | undefined>;
  /** Stores `value` (replacing any entry) for `ttl` seconds. */
  set(key: string, value: V, options?: SetOptions): Promise<void>;
  /** Removes the entry; true if there was one. */
  delete(key: string): Promise<boolean>;
  /** Removes every entry of this cache (for Redis: every key under its prefix). */
  clear(): Promise<void>;
  /**
   * The cached entry, or the result of `factory` — stored, then returned. Concurrent misses of one key in this
   * process share one `factory` call (no stampede on a cold key); a failing factory stores nothing.
   */
  getOrSet(key: string, factory: () => V | Promise<V>, options?: SetOptions): Promise<V>;
}

/**
 * The part every backend shares: `getOrSet` with in-process de-duplication of concurrent misses.
 *
 * @example
 * class NullCache<V> extends BaseCache<V> { async get() { return undefined; } async set() {} async delete() { return false; } async clear() {} }
 */
export abstract class BaseCache<V> implements Cache<V> {
  readonly #inflight = new Map<string, Promise<V>>();

  abstract get(key: string): Promise<V | undefined>;
  abstract set(key: string, value: V, options?: SetOptions): Promise<void>;
  abstract delete(key: string): Promise<boolean>;
  abstract clear(): Promise<void>;

  getOrSet(key: string, factory: () => V | Promise<V>, options?: SetOptions): Promise<V> {
    const pending = this.#inflight.get(key);
    if (pending !== undefined) return pending;
    const work = (async () => {
      const hit = await this.get(key);
      if (hit !== undefined) return hit;
      const value = await factory();
      if (value !== undefined) await this.set(key, value, options);
      return value;
    })();
    this.#inflight.set(key, work);
    const forget = (): void => void this.#inflight.delete(key);
    work.then(forget, forget);
    return work;
  }
}

/**
 * Validates a TTL in seconds and turns it into milliseconds (`undefined` = no expiry).
 *
 * @example
 * ttlMs(1.5); // 1500
 */
export function ttlMs(ttl: number | undefined): number | undefined {
  if (ttl === undefined) return undefined;
  if (!(ttl > 0) || !Number.isFinite(ttl)) throw new RangeError(`A cache TTL must be a positive number of seconds, got ${ttl}`);
  return Math.max(1, Math.round(ttl * 1000));
}
