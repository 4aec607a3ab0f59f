/**
 * Runs the flagship app for the tests on a real socket, on either database:
 * - `sqlite`: the embedded configuration — a SQLite file in a temporary directory, in-memory rate limits, cache
 *   and pub/sub;
 * - `postgres`: the production configuration — PostgreSQL (database `test`, a schema of its own per run, dropped
 *   afterwards) and Redis (a key prefix of its own, deleted afterwards).
 * A missing service fails the test with the command that starts it; nothing is skipped.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import type { Kysely } from "kysely";
import pg from "pg";
import { reachable } from "../reachable.ts";
import { serve, type App, type Server } from "../../src/index.ts";
import { createApp, type CreateAppOptions } from "../../examples/app/app.ts";
import type { Database } from "../../examples/app/db/schema.ts";
import { seedDemoUsers } from "../../examples/app/demo-data.ts";
import type { Services } from "../../examples/app/services.ts";
import { makeSettings, type AppSettingsInput } from "../../examples/app/settings.ts";

export type Backend = "sqlite" | "postgres";
export const BACKENDS: readonly Backend[] = ["sqlite", "postgres"];

export const PG_URL = "postgresql://postgres@127.0.0.1:5432/test";
export const REDIS_URL = "redis://127.0.0.1:6379";
export const PASSWORD = "correct-horse-battery";

/** Fails (never skips) when PostgreSQL or Redis is down, naming the fix. */
export async function requireServices(backend: Backend): Promise<void> {
  if (backend !== "postgres") return;
  if (!(await reachable(5432))) throw new Error("PostgreSQL is not reachable on 127.0.0.1:5432: run `bash scripts/setup-services.sh`");
  if (!(await reachable(6379))) throw new Error("Redis is not reachable on 127.0.0.1:6379: run `bash scripts/setup-services.sh`");
}

/** Where one test app keeps its data; pass the same place to a second instance to share it. */
export interface Place {
  readonly backend: Backend;
  readonly schema: string;
  readonly sqlitePath: string;
  readonly redisPrefix: string;
  readonly dir: string;
}

export function newPlace(backend: Backend): Place {
  const id = randomUUID().replaceAll("-", "").slice(0, 16);
  const dir = mkdtempSync(join(tmpdir(), "typefast-app-"));
  return { backend, schema: `tf_app_${id}`, sqlitePath: join(dir, "data", "shop.db"), redisPrefix: `typefast-test:app:${id}:`, dir };
}

/** The settings of a test app at `place`. */
export function settingsFor(place: Place, overrides: AppSettingsInput = {}): AppSettingsInput {
  const base: AppSettingsInput = {
    seed_demo_data: false,
    log_level: "info",
    login_rate_limit: 1000,
    write_rate_limit: 1000,
    sqlite_path: place.sqlitePath,
  };
  if (place.backend === "postgres") Object.assign(base, { database_url: PG_URL, database_schema: place.schema, redis_url: REDIS_URL, redis_prefix: place.redisPrefix });
  return { ...base, ...overrides };
}

export interface Running {
  readonly app: App<Services>;
  readonly url: string;
  readonly server: Server;
  /** The app's root query builder, to look at the rows themselves. */
  readonly db: Kysely<Database>;
  /** Every log line, parsed. */
  readonly logs: Array<Record<string, any>>;
  readonly place: Place;
  close(): Promise<void>;
}

/** Builds, starts and serves the app on a free port; the demo accounts exist with password {@link PASSWORD}. */
export async function startApp(place: Place, overrides: AppSettingsInput = {}, options: CreateAppOptions = {}): Promise<Running> {
  await requireServices(place.backend);
  const logs: Array<Record<string, any>> = [];
  const app = createApp(makeSettings(settingsFor(place, overrides)), { ...options, log: (line) => logs.push(JSON.parse(line)) });
  const server = await serve(app, { port: 0, host: "127.0.0.1", announce: false, handleSignals: false, gracefulTimeout: 2000 });
  await seedDemoUsers(app.state.db, PASSWORD);
  return { app, url: server.url, server, db: app.state.db, logs, place, close: () => server.close() };
}

/** Deletes what a place holds: the SQLite directory, the PostgreSQL schema, the Redis keys. */
export async function dropPlace(place: Place): Promise<void> {
  rmSync(place.dir, { recursive: true, force: true });
  if (place.backend !== "postgres") return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${place.schema}" cascade`);
  } finally {
    await client.end();
  }
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${place.redisPrefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}
