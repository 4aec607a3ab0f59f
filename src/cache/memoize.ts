/**
 * Options of {@link memoize}.
 *
 * @example
 * memoize(loadUser, { maxSize: 1000, ttl: 60, key: (id: number) => id });
 */
export interface MemoizeOptions<A extends unknown[]> {
  /** Most results kept, least recently used dropped first (default 128, as `functools.lru_cache`). */
  maxSize?: number;
  /** Seconds a result stays valid (default: for the life of the process). */
  ttl?: number;
  /** Turns the arguments into the cache key (default: `JSON.stringify(args)`; a single string/number as is). */
  key?: (...args: A) => unknown;
  /** The clock in ms (default `Date.now`). */
  now?: () => number;
}

/**
 * Statistics of a memoized function, like `lru_cache`'s `cache_info()`.
 *
 * @example
 * const { hits, misses } = expensiveComputation.cacheInfo();
 */
export interface MemoInfo {
  hits: number;
  misses: number;
  size: number;
  maxSize: number;
}

/**
 * A memoized function with its cache controls.
 *
 * @example
 * const getConfig: Memoized<[], Config> = memoize(readConfig);
 */
export type Memoized<A extends unknown[], R> = ((...args: A) => R) & {
  /** Forgets every result. */
  cacheClear(): void;
  /** Hits, misses and size. */
  cacheInfo(): MemoInfo;
};

/**
 * Per-process memoization — Python's `@lru_cache` (seed example 48). Works for sync and async functions: for an
 * async one the promise is cached, so concurrent callers share one call, and a rejected promise is forgotten so
 * the next call retries. For state shared between processes, use a {@link RedisCache}.
 *
 * @example
 * const expensiveComputation = memoize((key: string) => ({ key, result: key.toUpperCase().repeat(3) }));
 * const getConfig = memoize(async () => loadConfig(), { ttl: 60 });
 */
export function memoize<A extends unknown[], R>(fn: (...args: A) => R, options: MemoizeOptions<A> = {}): Memoized<A, R> {
  const maxSize = options.maxSize ?? 128;
  const ttl = options.ttl === undefined ? Infinity : options.ttl * 1000;
  const now = options.now ?? Date.now;
  const keyOf = options.key ?? defaultKey;
  const entries = new Map<unknown, { value: R; expires: number }>();
  let hits = 0;
  let misses = 0;
  const memoized = ((...args: A): R => {
    const key = keyOf(...args);
    const entry = entries.get(key);
    if (entry !== undefined && entry.expires > now()) {
      hits++;
      entries.delete(key); // most recently used goes last
      entries.set(key, entry);
      return entry.value;
    }
    misses++;
    const value = fn(...args);
    const stored = { value, expires: now() + ttl };
    entries.delete(key);
    entries.set(key, stored);
    if (entries.size > maxSize) entries.delete(entries.keys().next().value);
    if (value instanceof Promise) {
      value.catch(() => {
        if (entries.get(key) === stored) entries.delete(key);
      });
    }
    return value;
  }) as Memoized<A, R>;
  memoized.cacheClear = () => {
    entries.clear();
    hits = 0;
    misses = 0;
  };
  memoized.cacheInfo = () => ({ hits, misses, size: entries.size, maxSize });
  return memoized;
}

function defaultKey(...args: unknown[]): unknown {
  if (args.length === 1 && (typeof args[0] === "string" || typeof args[0] === "number")) return args[0];
  return JSON.stringify(args);
}
