/**
 * Seed example 48 — in-process caching.
 *
 * Three scopes of caching: per request (dependency caching, automatic — see example 29), per process (a memoized
 * pure function, `lruCache`), and per process with expiry (`SimpleCache` with a TTL). The clock is injectable so
 * tests can move time forward.
 */
import { z } from "zod";
import { App, Path } from "../../src/index.ts";

/** Where the example prints; tests replace it to read the output. */
export const output = { print: (line: string): void => console.log(line) };

/** Seconds since the epoch, like Python's `time.time()`; tests replace `now` with a fake clock. */
export const clock = { now: (): number => Date.now() / 1000 };

/** How long the "expensive" computation takes, in ms. */
export const timing = { computeMs: 100 };

/**
 * Memoizes a one-argument function, keeping the `maxSize` most recently used results (Python's `lru_cache`,
 * which Node has no built-in for). A `Map` iterates in insertion order, so its first key is the least recent.
 */
export function lruCache<K, V>(fn: (key: K) => V, maxSize: number): (key: K) => V {
  const cache = new Map<K, V>();
  return (key: K): V => {
    if (cache.has(key)) {
      const value = cache.get(key)!;
      cache.delete(key);
      cache.set(key, value);
      return value;
    }
    const value = fn(key);
    cache.set(key, value);
    if (cache.size > maxSize) cache.delete(cache.keys().next().value!);
    return value;
  };
}

export interface Computation {
  key: string;
  result: string;
  computed_at: number;
}

/** Deterministic, so caching it is safe; `computed_at` shows when it really ran. The promise itself is cached. */
export const expensiveComputation = lruCache(async (key: string): Promise<Computation> => {
  output.print(`[CACHE MISS] Computing for key: ${key}`);
  await new Promise((resolve) => setTimeout(resolve, timing.computeMs));
  return { key, result: key.toUpperCase().repeat(3), computed_at: clock.now() };
}, 128);

/** Read once, cached for the life of the process. */
export const getConfigFromExternal = lruCache((_: void) => {
  output.print("[CACHE MISS] Reading config");
  return { theme: "dark", max_items: 100 };
}, 10);

/** A small TTL cache: entries expire `ttlSeconds` after they were set. */
export class SimpleCache<V> {
  readonly #values = new Map<string, V>();
  readonly #expiry = new Map<string, number>();

  constructor(readonly ttlSeconds = 60) {}

  get(key: string): V | undefined {
    if (this.#values.has(key)) {
      if (clock.now() < this.#expiry.get(key)!) return this.#values.get(key);
      this.#values.delete(key);
      this.#expiry.delete(key);
    }
    return undefined;
  }

  set(key: string, value: V): void {
    this.#values.set(key, value);
    this.#expiry.set(key, clock.now() + this.ttlSeconds);
  }
}

export const itemCache = new SimpleCache<{ id: number; name: string; price: number }>(30);

export const app = new App({ title: "Caching" });

app.get("/compute/{key}", { params: { key: Path() } }, ({ key }) => expensiveComputation(key));

app.get("/items-cached/{item_id}", { params: { item_id: Path(z.int()) } }, ({ item_id }) => {
  const cacheKey = `item:${item_id}`;
  const cached = itemCache.get(cacheKey);
  if (cached !== undefined) return { ...cached, from_cache: true };
  const result = { id: item_id, name: `item-${item_id}`, price: 9.99 };
  itemCache.set(cacheKey, result);
  return { ...result, from_cache: false };
});
