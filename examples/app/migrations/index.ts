/**
 * The migrations, as code: kysely's Migrator runs the ones a database has not seen yet, in name order, and
 * records them in `kysely_migration`. Add a file `000N_name.ts` and list it here; never edit one that has shipped.
 */
import type { Migration, MigrationProvider } from "kysely";
import type { SqlDialect } from "./columns.ts";
import { usersMigration } from "./0001_users.ts";
import { itemsMigration } from "./0002_items.ts";
import { libraryMigration } from "./0003_library.ts";

/** The in-repo migrations for one dialect (no file-system scanning, so bundlers and tsx see the same list). */
export class AppMigrations implements MigrationProvider {
  constructor(private readonly dialect: SqlDialect) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      "0001_users": usersMigration(this.dialect),
      "0002_items": itemsMigration(this.dialect),
      "0003_library": libraryMigration(this.dialect),
    };
  }
}

export type { SqlDialect };
