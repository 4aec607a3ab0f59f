/** Users and their refresh tokens. */
import type { Kysely } from "kysely";
import { withId, type SqlDialect } from "./columns.ts";

export function usersMigration(dialect: SqlDialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable("users"), dialect)
        .addColumn("username", "varchar(32)", (col) => col.notNull())
        .addColumn("email", "varchar(254)")
        .addColumn("full_name", "varchar(100)")
        .addColumn("hashed_password", "text", (col) => col.notNull())
        .addColumn("roles", "varchar(200)", (col) => col.notNull().defaultTo("user"))
        .addColumn("disabled", "integer", (col) => col.notNull().defaultTo(0))
        .addColumn("created_at", "varchar(30)", (col) => col.notNull())
        .addUniqueConstraint("users_username_key", ["username"])
        .execute();

      await db.schema
        .createTable("refresh_tokens")
        .addColumn("digest", "varchar(64)", (col) => col.primaryKey())
        .addColumn("user_id", "integer", (col) => col.notNull().references("users.id").onDelete("cascade"))
        .addColumn("family", "varchar(64)", (col) => col.notNull())
        .addColumn("expires_at", "varchar(30)", (col) => col.notNull())
        .addColumn("used_at", "varchar(30)")
        .addColumn("created_at", "varchar(30)", (col) => col.notNull())
        .execute();
      await db.schema.createIndex("refresh_tokens_family_idx").on("refresh_tokens").column("family").execute();
      await db.schema.createIndex("refresh_tokens_user_id_idx").on("refresh_tokens").column("user_id").execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable("refresh_tokens").execute();
      await db.schema.dropTable("users").execute();
    },
  };
}
