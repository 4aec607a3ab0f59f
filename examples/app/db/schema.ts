/**
 * The tables as kysely sees them: plain TypeScript interfaces, no code generation. Column types are chosen to
 * read back the same on SQLite and PostgreSQL: timestamps are ISO-8601 UTC text (they sort as text), flags are
 * 0/1 integers, money is integer cents.
 */
import type { Generated, Insertable, Selectable, Updateable } from "kysely";

export interface UsersTable {
  id: Generated<number>;
  username: string;
  email: string | null;
  full_name: string | null;
  hashed_password: string;
  /** Comma-separated: `user,admin`. */
  roles: string;
  disabled: Generated<number>;
  created_at: string;
}

export interface RefreshTokensTable {
  /** SHA-256 of the token (base64url): the token itself is never stored. */
  digest: string;
  user_id: number;
  /** One family per login; reuse of a spent token revokes the whole family. */
  family: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface ItemsTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  price_cents: number;
  owner_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface AuthorsTable {
  id: Generated<number>;
  name: string;
  bio: string | null;
  created_at: string;
}

export interface BooksTable {
  id: Generated<number>;
  title: string;
  isbn: string | null;
  year: number | null;
  author_id: number;
  created_at: string;
}

/** Every table of the app, for `Kysely<Database>`. */
export interface Database {
  users: UsersTable;
  refresh_tokens: RefreshTokensTable;
  items: ItemsTable;
  authors: AuthorsTable;
  books: BooksTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type ItemRow = Selectable<ItemsTable>;
export type ItemPatch = Updateable<ItemsTable>;
export type AuthorRow = Selectable<AuthorsTable>;
export type BookRow = Selectable<BooksTable>;

/** Now, as stored: ISO-8601 UTC with milliseconds. */
export function now(): string {
  return new Date().toISOString();
}
