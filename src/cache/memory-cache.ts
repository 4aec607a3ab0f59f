import { BaseCache, ttlMs, type SetOptions } from "./cache.ts";

/**
 * Options of {@link MemoryCache}.
 *
 * @example
 * new MemoryCache({ defaultTtl: 30, maxEntries: 1000 });
 */
export interface MemoryCacheOptions {
  /** TTL in seconds for writes that give none (default: entries never expire). */
  defaultTtl?: number;
  /** Most entries kept; the least recently used goes first (default 10 000, so the cache cannot eat the heap). */
  maxEntries?: number;
  /** The clock, in ms (default `Date.now`); tests pass a fake one. */
  now?: () => number;
}

interface Entry<V> {
  value: V;
  expires: number; // ms; Infinity for no expiry
}

/**
 * An in-process TTL cache with LRU eviction — seed example 48's `SimpleCache`, bounded. Values are stored as they
 * are (not copied): do not mutate what you put in or get out. Expired entries are dropped when touched and when
 * room is needed.
 *
 * @example
 * const itemCache = new MemoryCache<Item>({ defaultTtl: 30 });
 * const item = await itemCache.getOrSet(`item:${id}`, () => loadItem(id));
 */
export class MemoryCache<V = unknown> extends BaseCache<V> {
  readonly #entries = new Map<string, Entry<V>>();
  readonly #defaultTtl: number | undefined;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: MemoryCacheOptions = {}) {
    super();
    this.#defaultTtl = ttlMs(options.defaultTtl);
    this.#max = options.maxEntries ?? 10_000;
    if (!(this.#max >= 1)) throw new RangeError("MemoryCache: maxEntries must be at least 1");
    this.#now = options.now ?? Date.now;
  }

  /** Number of entries held (expired ones included until they are touched). */
  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<V | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    // Re-inserting moves the key to the end of the Map's order: the most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  async set(key: string, value: V, options: SetOptions = {}): Promise<void> {
    const ms = options.ttl === undefined ? this.#defaultTtl : ttlMs(options.ttl);
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: ms === undefined ? Infinity : this.#now() + ms });
    if (this.#entries.size > this.#max) this.#evict();
  }

  async delete(key: string): Promise<boolean> {
    return this.#entries.delete(key);
  }

  async clear(): Promise<void> {
    this.#entries.clear();
  }

  #evict(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) if (entry.expires <= now) this.#entries.delete(key);
    // Still too many: drop from the front, the least recently used.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.#max) break;
      this.#entries.delete(key);
    }
  }
}
