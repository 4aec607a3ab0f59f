/** Brings a database to the latest schema with kysely's Migrator and the in-repo migrations. */
import { Migrator } from "kysely";
import { AppMigrations } from "../migrations/index.ts";
import type { DatabaseHandle } from "./connect.ts";

/**
 * Runs the migrations the database has not seen (none on an up-to-date one) and returns their names. Concurrent
 * callers (worker processes starting together) are serialized by the Migrator's lock table.
 */
export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  await handle.prepare();
  const migrator = new Migrator({
    db: handle.db,
    provider: new AppMigrations(handle.dialect),
    ...(handle.schema === undefined ? {} : { migrationTableSchema: handle.schema }),
  });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === "Error")?.migrationName;
    if (failed === undefined) throw error; // not a migration's fault: the database could not be reached or locked
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Migration ${failed} failed on ${handle.description}: ${reason}`, { cause: error });
  }
  return results.filter((r) => r.status === "Success").map((r) => r.migrationName);
}
