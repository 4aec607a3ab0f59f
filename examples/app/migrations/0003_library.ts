/** The library: authors and their books (one-to-many). */
import { sql, type Kysely } from "kysely";
import { withId, type SqlDialect } from "./columns.ts";

export function libraryMigration(dialect: SqlDialect) {
  return {
    async up(db: Kysely<any>): Promise<void> {
      await withId(db.schema.createTable("authors"), dialect)
        .addColumn("name", "varchar(100)", (col) => col.notNull())
        .addColumn("bio", "varchar(1000)")
        .addColumn("created_at", "varchar(30)", (col) => col.notNull())
        .execute();

      await withId(db.schema.createTable("books"), dialect)
        .addColumn("title", "varchar(200)", (col) => col.notNull())
        .addColumn("isbn", "varchar(17)")
        .addColumn("year", "integer", (col) => col.check(sql`year between -3000 and 3000`))
        // RESTRICT: an author with books cannot be deleted (answered 409 with the reason).
        .addColumn("author_id", "integer", (col) => col.notNull().references("authors.id").onDelete("restrict"))
        .addColumn("created_at", "varchar(30)", (col) => col.notNull())
        .addUniqueConstraint("books_isbn_key", ["isbn"])
        .execute();
      // Eager loading reads books by author_id: without this index every author page scans the whole table.
      await db.schema.createIndex("books_author_id_idx").on("books").column("author_id").execute();
    },
    async down(db: Kysely<any>): Promise<void> {
      await db.schema.dropTable("books").execute();
      await db.schema.dropTable("authors").execute();
    },
  };
}
