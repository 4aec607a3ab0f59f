/**
 * The app's resources — database, Redis, cache, pub/sub, rate-limit counters — and their lifetime. They are built
 * (not connected) when the app is built, because routes are declared against them; the lifespan opens them before
 * the first request and closes them after the last (seed example 40).
 */
import { Redis } from "ioredis";
import type { Kysely } from "kysely";
import {
  BaseCache,
  MemoryBroadcaster,
  MemoryCache,
  MemoryRateLimitStore,
  RedisBroadcaster,
  RedisCache,
  RedisRateLimitStore,
  type Broadcaster,
  type Cache,
  type RateLimitAlgorithm,
  type RateLimitResult,
  type RateLimitStore,
  type SetOptions,
} from "../../src/index.ts";
import { openDatabase, type DatabaseHandle } from "./db/connect.ts";
import { apiError } from "./db/errors.ts";
import type { ItemView } from "./db/items.ts";
import { migrate } from "./db/migrate.ts";
import type { Database } from "./db/schema.ts";
import { seedCatalog, seedDemoUsers } from "./demo-data.ts";
import type { AppLogger } from "./logging.ts";
import type { AppSettings } from "./settings.ts";

export class Services {
  readonly database: DatabaseHandle;
  /** Set when `REDIS_URL` is: shared by the cache, the rate limits and the broadcaster. */
  readonly redis: Redis | undefined;
  readonly itemCache: Cache<ItemView>;
  /** Carries chat messages and "new item" events to every process (Redis) or within this one (memory). */
  readonly broadcaster: Broadcaster;
  readonly rateLimits: RateLimitStore;

  constructor(
    readonly settings: AppSettings,
    readonly logger: AppLogger,
  ) {
    this.database = openDatabase(settings, (message) => logger.debug(message));
    const prefix = settings.redis_prefix;
    if (settings.redis_url) {
      // lazyConnect: nothing happens until the lifespan connects; a bad URL then fails the startup, loudly.
      // No offline queue: while Redis is away, commands fail at once (the cache falls back to the database)
      // instead of piling up behind reconnection attempts.
      this.redis = new Redis(settings.redis_url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
      let lastReport = 0;
      this.redis.on("error", (error: Error) => {
        if (Date.now() - lastReport < 10_000) return; // ioredis retries on its own: report, but not every attempt
        lastReport = Date.now();
        logger.warn(`Redis: ${error.message}`);
      });
      const cache = new RedisCache<ItemView>(this.redis, { prefix: `${prefix}cache:item:`, defaultTtl: settings.item_cache_ttl });
      this.itemCache = new BestEffortCache(cache, logger);
      this.rateLimits = new FailClosedStore(new RedisRateLimitStore(this.redis, { prefix: `${prefix}ratelimit:` }), logger);
      this.broadcaster = new RedisBroadcaster({ client: this.redis, prefix, onError: (error) => logger.error("A broadcast listener failed", error) });
    } else {
      this.redis = undefined;
      this.itemCache = new MemoryCache<ItemView>({ defaultTtl: settings.item_cache_ttl, maxEntries: 10_000 });
      this.rateLimits = new MemoryRateLimitStore();
      this.broadcaster = new MemoryBroadcaster({ onError: (error) => logger.error("A broadcast listener failed", error) });
    }
  }

  /** The root query builder (outside any transaction). */
  get db(): Kysely<Database> {
    return this.database.db;
  }

  /** Connects, brings the schema up to date and, when asked, creates the demo data. Fails loudly. */
  async start(): Promise<void> {
    if (this.redis !== undefined && this.redis.status === "wait") {
      await this.redis.connect().catch((error: unknown) => {
        throw new Error(`Redis is not reachable at ${new URL(this.settings.redis_url!).host} (${reason(error)})`, { cause: error });
      });
    }
    const applied = await migrate(this.database).catch((error: unknown) => {
      throw new Error(`Cannot open ${this.database.description} (${reason(error)})`, { cause: error });
    });
    if (applied.length > 0) this.logger.info(`Migrated ${this.database.description}: ${applied.join(", ")}`);
    if (this.settings.seed_demo_data) {
      const users = await seedDemoUsers(this.db, this.settings.demo_password);
      // The catalog only on a brand-new database: items a user deleted must not come back at the next start.
      const catalog = applied.includes("0001_users") ? await seedCatalog(this.db) : { items: 0, authors: 0 };
      if (users.length + catalog.items + catalog.authors > 0) {
        this.logger.info(`Demo data: users ${users.join(", ") || "(present)"}; ${catalog.items} items; ${catalog.authors} authors`);
      }
    }
  }

  /** Closes everything, the database last (in-flight work may still publish). Failures are logged. */
  async close(): Promise<void> {
    const attempt = async (what: string, work: () => Promise<unknown>) => {
      try {
        await work();
      } catch (error) {
        this.logger.error(`Closing ${what} failed`, error);
      }
    };
    await attempt("the broadcaster", () => this.broadcaster.close());
    const redis = this.redis;
    if (redis !== undefined) await attempt("Redis", async () => (redis.status === "wait" ? redis.disconnect() : await redis.quit()));
    await attempt("the database", () => this.database.close());
  }

  /** Readiness checks: the database answers, Redis answers. */
  healthChecks(): Record<string, () => Promise<boolean>> {
    const checks: Record<string, () => Promise<boolean>> = { database: () => this.database.ping() };
    if (this.redis !== undefined) checks.redis = async () => (await this.redis!.ping()) === "PONG";
    return checks;
  }
}

function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\.$/, "");
}

/**
 * Rate limits fail closed: a limiter that cannot count (Redis away) refuses with 503 and `Retry-After` rather
 * than letting everyone through — or answering an unexplained 500.
 */
class FailClosedStore implements RateLimitStore {
  constructor(
    private readonly inner: RateLimitStore,
    private readonly logger: AppLogger,
  ) {}
  async hit(key: string, limit: number, windowMs: number, algorithm: RateLimitAlgorithm): Promise<RateLimitResult> {
    try {
      return await this.inner.hit(key, limit, windowMs, algorithm);
    } catch (error) {
      this.logger.warn(`Rate limiting is unavailable: ${reason(error)}`);
      throw apiError(503, "RATE_LIMIT_UNAVAILABLE", "Temporarily unavailable: try again in a few seconds", undefined, { "retry-after": "5" });
    }
  }
  reset(key: string): Promise<void> {
    return this.inner.reset(key);
  }
}

/** A cache is an optimization: when Redis is away, reads go to the database instead of failing. */
class BestEffortCache<V> extends BaseCache<V> {
  constructor(
    private readonly inner: Cache<V>,
    private readonly logger: AppLogger,
  ) {
    super();
  }
  #failed(what: string) {
    return (error: unknown) => this.logger.warn(`Cache ${what} failed, carrying on without it: ${reason(error)}`);
  }
  async get(key: string): Promise<V | undefined> {
    return this.inner.get(key).catch((error: unknown) => void this.#failed("read")(error));
  }
  async set(key: string, value: V, options?: SetOptions): Promise<void> {
    await this.inner.set(key, value, options).catch(this.#failed("write"));
  }
  async delete(key: string): Promise<boolean> {
    return this.inner.delete(key).catch((error: unknown) => (this.#failed("delete")(error), false));
  }
  async clear(): Promise<void> {
    await this.inner.clear().catch(this.#failed("clear"));
  }
}
