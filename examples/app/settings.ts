/**
 * The flagship's configuration (seed example 41): one typed schema read from the environment and `./.env`, once,
 * with every problem reported together at startup. See `.env.example` for every variable.
 */
import { z } from "zod";
import { defineSettings, SettingsError, type SettingsOptions } from "../../src/index.ts";

/** DEV ONLY: lets `npm start` run as is. Refused when NODE_ENV=production: set SECRET_KEY to 32+ random bytes. */
export const DEV_ONLY_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production";

export const AppSettings = z.object({
  app_name: z.string().default("Typefast Shop"),
  node_env: z.string().default("development"),
  host: z.string().default("127.0.0.1"),
  port: z.int().min(0).max(65535).default(8000),
  /** More than one forks worker processes (node:cluster); pair it with DATABASE_URL and REDIS_URL. */
  workers: z.int().min(1).max(64).default(1),

  /** `postgres://user@host:5432/db` selects PostgreSQL; unset means the embedded SQLite file. */
  database_url: z.string().optional().meta({ secret: true }),
  /** PostgreSQL schema holding the tables (created when missing). */
  database_schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "a lower-case SQL identifier").default("public"),
  db_pool_size: z.int().min(1).max(100).default(10),
  sqlite_path: z.string().default("data/shop.db"),

  /** `redis://127.0.0.1:6379` moves rate limits, the cache and the chat/feed fan-out to Redis. */
  redis_url: z.string().optional().meta({ secret: true }),
  /** Prefix of every Redis key and channel, so apps can share one Redis. */
  redis_prefix: z.string().min(1).default("shop:"),

  secret_key: z.string().min(32).default(DEV_ONLY_SECRET_KEY).meta({ secret: true }),
  access_token_minutes: z.int().min(1).default(15),
  refresh_token_days: z.int().min(1).default(14),

  /** Login attempts per minute per client IP. */
  login_rate_limit: z.int().min(1).default(10),
  /** Item writes per minute per user. */
  write_rate_limit: z.int().min(1).default(60),
  /** Seconds an item stays in the cache. */
  item_cache_ttl: z.number().positive().default(30),

  /** Create the demo users (and a small catalog on an empty database) at startup. */
  seed_demo_data: z.boolean().default(true),
  demo_password: z.string().min(8).default("typefast-demo").meta({ secret: true }),

  log_level: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Add `Server-Timing: db;dur=…;desc="N queries"` to responses. */
  server_timing: z.boolean().default(true),
});

export type AppSettings = z.output<typeof AppSettings>;
export type AppSettingsInput = z.input<typeof AppSettings>;

/**
 * Reads the settings: the environment (or `env`) over `.env`. Refuses the public development secret in production.
 * Tests pass `env` to get settings that ignore the machine's environment and `.env` file.
 */
export function loadSettings(env?: Record<string, string | undefined>): AppSettings {
  const options: SettingsOptions = env === undefined ? { envFile: ".env" } : { env };
  const settings = defineSettings(AppSettings, options).get();
  checkProduction(settings);
  return settings;
}

/** Settings from values (tests): defaults apply and the schema validates, without reading the environment. */
export function makeSettings(values: AppSettingsInput = {}): AppSettings {
  const settings = AppSettings.parse(values);
  checkProduction(settings);
  return settings;
}

function checkProduction(settings: AppSettings): void {
  if (settings.node_env === "production" && settings.secret_key === DEV_ONLY_SECRET_KEY) {
    throw new SettingsError([{ env: "SECRET_KEY", field: "secret_key", message: "the development secret is public: set 32+ random bytes" }], "the environment or .env");
  }
}

/** Which database the settings select. */
export function dialectOf(settings: AppSettings): "postgres" | "sqlite" {
  return settings.database_url === undefined || settings.database_url === "" ? "sqlite" : "postgres";
}
