/** The shop's items, each owned by the user who created it. */
import { sql, type Kysely } from "kysely";
import { withId, type SqlDialect } from "./columns.ts";

export function itemsMigration(dialect: SqlDialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable("items"), dialect)
        .addColumn("name", "varchar(100)", (col) => col.notNull())
        .addColumn("description", "varchar(500)")
        .addColumn("price_cents", "integer", (col) => col.notNull().check(sql`price_cents > 0`))
        // RESTRICT: deleting a user who still owns items is refused (answered 409), not silently cascaded.
        .addColumn("owner_id", "integer", (col) => col.references("users.id").onDelete("restrict"))
        .addColumn("created_at", "varchar(30)", (col) => col.notNull())
        .addColumn("updated_at", "varchar(30)", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("items_owner_id_idx").on("items").column("owner_id").execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable("items").execute();
    },
  };
}
