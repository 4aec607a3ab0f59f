/**
 * Authors and their books (one-to-many). Lists load the books of a whole page of authors with one
 * `WHERE author_id IN (…)` query — eager loading — so a page costs the same number of queries whatever its size,
 * never one query per author (N+1).
 */
import type { Kysely } from "kysely";
import { apiError, translateViolations } from "./errors.ts";
import { now, type AuthorRow, type BookRow, type Database } from "./schema.ts";

export type BookView = BookRow;
export interface AuthorView extends AuthorRow {
  books: BookView[];
}
export interface BookWithAuthor extends BookView {
  author: { id: number; name: string };
}
export interface BookInput {
  title: string;
  isbn?: string | null;
  year?: number | null;
}

const ISBN_TAKEN = [409, "ISBN_TAKEN", "A book with this ISBN already exists (ISBNs are unique)"] as const;

export function authorNotFound(id: number) {
  return apiError(404, "AUTHOR_NOT_FOUND", `Author ${id} does not exist`);
}

/** Attaches to each author its books, fetched in one query for all of them. */
async function withBooks(db: Kysely<Database>, authors: AuthorRow[]): Promise<AuthorView[]> {
  if (authors.length === 0) return [];
  const books = await db
    .selectFrom("books")
    .selectAll()
    .where("author_id", "in", authors.map((a) => a.id))
    .orderBy("author_id")
    .orderBy("id")
    .execute();
  const byAuthor = new Map<number, BookView[]>(authors.map((a) => [a.id, []]));
  for (const book of books) byAuthor.get(book.author_id)!.push(book);
  return authors.map((a) => ({ ...a, books: byAuthor.get(a.id)! }));
}

/** A page of authors with their books: three queries (count, authors, books) whatever the page size. */
export async function authorsWithBooks(db: Kysely<Database>, skip: number, limit: number): Promise<{ authors: AuthorView[]; total: number }> {
  const count = await db.selectFrom("authors").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
  const authors = await db.selectFrom("authors").selectAll().orderBy("id").limit(limit).offset(skip).execute();
  return { authors: await withBooks(db, authors), total: Number(count.n) };
}

export async function authorWithBooks(db: Kysely<Database>, id: number): Promise<AuthorView> {
  const author = await db.selectFrom("authors").selectAll().where("id", "=", id).executeTakeFirst();
  if (author === undefined) throw authorNotFound(id);
  return (await withBooks(db, [author]))[0]!;
}

/**
 * Creates an author and their books: two statements, which only make sense together — run it in the request's
 * transaction, so a failing book (a duplicate ISBN) leaves no author behind either.
 */
export async function createAuthor(db: Kysely<Database>, input: { name: string; bio?: string | null }, books: readonly BookInput[]): Promise<AuthorView> {
  const author = await db.insertInto("authors").values({ name: input.name, bio: input.bio ?? null, created_at: now() }).returningAll().executeTakeFirstOrThrow();
  if (books.length === 0) return { ...author, books: [] };
  const rows = await translateViolations(
    () => db.insertInto("books").values(books.map((b) => bookValues(b, author.id))).returningAll().execute(),
    { unique: ISBN_TAKEN },
  );
  return { ...author, books: rows };
}

/** Adds a book to the author in the path: an unknown author is a 404 (the foreign key says so). */
export function addBook(db: Kysely<Database>, authorId: number, book: BookInput): Promise<BookView> {
  return translateViolations(() => db.insertInto("books").values(bookValues(book, authorId)).returningAll().executeTakeFirstOrThrow(), {
    unique: ISBN_TAKEN,
    foreign_key: [404, "AUTHOR_NOT_FOUND", `Author ${authorId} does not exist`],
  });
}

/** Creates a book whose author is named in the body: an unknown author is a 422 on that field. */
export function createBook(db: Kysely<Database>, book: BookInput & { author_id: number }): Promise<BookView> {
  const message = `author_id ${book.author_id} does not refer to an existing author`;
  return translateViolations(() => db.insertInto("books").values(bookValues(book, book.author_id)).returningAll().executeTakeFirstOrThrow(), {
    unique: ISBN_TAKEN,
    foreign_key: [422, "UNKNOWN_AUTHOR", message],
  });
}

/** Books with their author, one joined query. */
export async function booksWithAuthors(db: Kysely<Database>, skip: number, limit: number): Promise<BookWithAuthor[]> {
  const rows = await db
    .selectFrom("books")
    .innerJoin("authors", "authors.id", "books.author_id")
    .selectAll("books")
    .select(["authors.name as author_name"])
    .orderBy("books.id")
    .limit(limit)
    .offset(skip)
    .execute();
  return rows.map(({ author_name, ...book }) => ({ ...book, author: { id: book.author_id, name: author_name } }));
}

/** Deletes an author without books; one with books is a 409 (the foreign key is RESTRICT). */
export async function deleteAuthor(db: Kysely<Database>, id: number): Promise<void> {
  const result = await translateViolations(() => db.deleteFrom("authors").where("id", "=", id).executeTakeFirst(), {
    foreign_key: [409, "AUTHOR_HAS_BOOKS", `Author ${id} still has books: delete them first`],
  });
  if (result.numDeletedRows === 0n) throw authorNotFound(id);
}

export async function deleteBook(db: Kysely<Database>, id: number): Promise<void> {
  const result = await db.deleteFrom("books").where("id", "=", id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw apiError(404, "BOOK_NOT_FOUND", `Book ${id} does not exist`);
}

function bookValues(book: BookInput, authorId: number) {
  return { title: book.title, isbn: book.isbn ?? null, year: book.year ?? null, author_id: authorId, created_at: now() };
}
