/**
 * Opens the database the settings select: PostgreSQL through a `pg.Pool` when `DATABASE_URL` is set, else the
 * embedded SQLite file (created, with its directory, on first use). Both behind one `Kysely<Database>`.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { Kysely, PostgresDialect, SqliteDialect, sql, type Dialect } from "kysely";
import pg from "pg";
import { dialectOf, type AppSettings } from "../settings.ts";
import type { SqlDialect } from "../migrations/index.ts";
import { queryLogger } from "./query-stats.ts";
import type { Database } from "./schema.ts";

/** An open database and what the rest of the app needs to know about it. */
export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly dialect: SqlDialect;
  /** The PostgreSQL schema holding the tables (`undefined` on SQLite). */
  readonly schema: string | undefined;
  /** Where the data lives, without credentials: `sqlite:data/shop.db` or `postgresql://127.0.0.1:5432/test (schema x)`. */
  readonly description: string;
  /** Creates the PostgreSQL schema when missing (no-op on SQLite); run before the migrations. */
  prepare(): Promise<void>;
  /** True when a trivial query succeeds (the readiness check). */
  ping(): Promise<boolean>;
  /** Closes every connection (the pool, or the SQLite file). */
  close(): Promise<void>;
}

/**
 * Builds the database handle. Nothing connects yet: the pool opens its first connection, and the SQLite file is
 * created, on the first query — which the lifespan makes (migrations) before the app takes traffic.
 */
export function openDatabase(settings: AppSettings, debug?: (message: string) => void): DatabaseHandle {
  const dialect = dialectOf(settings);
  const log = queryLogger(settings.log_level === "debug" ? debug : undefined);
  let kyselyDialect: Dialect;
  let description: string;
  if (dialect === "postgres") {
    const url = new URL(settings.database_url!);
    const pool = new pg.Pool({
      connectionString: settings.database_url,
      max: settings.db_pool_size,
      // Every connection resolves unqualified table names in the app's schema.
      options: `-c search_path=${settings.database_schema}`,
    });
    // An idle client losing its connection must not crash the process; the pool replaces it.
    pool.on("error", (error) => debug?.(`PostgreSQL idle client error: ${error.message}`));
    kyselyDialect = new PostgresDialect({ pool });
    description = `postgresql://${url.host}${url.pathname} (schema ${settings.database_schema})`;
  } else {
    const path = settings.sqlite_path;
    kyselyDialect = new SqliteDialect({
      database: async () => {
        if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
        const database = await openSqlite(path);
        // WAL: readers do not block the writer (and several worker processes can share the file).
        if (path !== ":memory:") database.pragma("journal_mode = WAL");
        // SQLite leaves foreign keys unenforced unless each connection asks.
        database.pragma("foreign_keys = ON");
        return database;
      },
    });
    description = `sqlite:${path}`;
  }
  const db = new Kysely<Database>({ dialect: kyselyDialect, log });
  return {
    db,
    dialect,
    schema: dialect === "postgres" ? settings.database_schema : undefined,
    description,
    async prepare() {
      if (dialect === "postgres") await sql`create schema if not exists ${sql.id(settings.database_schema)}`.execute(db);
    },
    async ping() {
      await sql`select 1`.execute(db);
      return true;
    },
    close: () => db.destroy(),
  };
}

/**
 * Opens the SQLite file with better-sqlite3, loaded only when SQLite is used. Its native binding is built for one
 * Node.js version: after a Node upgrade without reinstalling, say how to fix it instead of a bare
 * "NODE_MODULE_VERSION" stack.
 */
async function openSqlite(path: string): Promise<import("better-sqlite3").Database> {
  const { default: SQLite } = await import("better-sqlite3");
  try {
    return new SQLite(path, { timeout: 5000 }); // the binding is loaded here, on first use
  } catch (error) {
    if ((error as { code?: unknown }).code !== "ERR_DLOPEN_FAILED") throw error;
    throw new Error(`better-sqlite3 was built for another Node.js version than ${process.version}: run \`npm rebuild better-sqlite3\` (or set DATABASE_URL to use PostgreSQL)`, { cause: error });
  }
}
