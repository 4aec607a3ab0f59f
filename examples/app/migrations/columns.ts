/**
 * The few column definitions that differ between the dialects. Everything else in the migrations is the same
 * kysely code on SQLite and PostgreSQL.
 */
import type { ColumnDefinitionBuilder, CreateTableBuilder } from "kysely";

export type SqlDialect = "sqlite" | "postgres";

/** An auto-incrementing integer primary key named `id` (never reused, so ids grow with insertion order). */
export function withId<T extends string>(table: CreateTableBuilder<T, never>, dialect: SqlDialect): CreateTableBuilder<T, "id"> {
  return table.addColumn("id", "integer", (col: ColumnDefinitionBuilder) =>
    dialect === "postgres" ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement(),
  );
}
