/**
 * The API's schemas: what requests must look like (validated, 422 otherwise) and what responses carry (every
 * response goes through its model, so a column added to a table never leaks by accident).
 */
import { z } from "zod";
import { ROLES } from "./db/users.ts";

const timestamp = z.string().meta({ format: "date-time", description: "ISO-8601, UTC" });

// --- Errors --------------------------------------------------------------------------------------------------

/** Every error answer of the app (seed example 51). */
export const ErrorBody = z.object({
  error_code: z.string().meta({ description: "Machine-readable, stable: ITEM_NOT_FOUND, VALIDATION_ERROR…" }),
  message: z.string(),
  details: z.unknown().meta({ description: "More context: the list of validation problems, the violated constraint…" }),
});
export const ErrorResponse = ErrorBody.meta({ id: "ErrorResponse" });

// --- Users and tokens ----------------------------------------------------------------------------------------

export const Username = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_.-]{3,32}$/, "3–32 characters: letters, digits, '_', '.', '-'")
  .meta({ example: "jane" });

export const UserCreate = z
  .object({
    username: Username,
    password: z.string().min(8).max(128).meta({ format: "password" }),
    email: z.email().max(254).nullable().default(null),
    full_name: z.string().trim().min(1).max(100).nullable().default(null),
  })
  .meta({ id: "UserCreate" });

export const User = z
  .object({
    id: z.int(),
    username: z.string(),
    email: z.string().nullable(),
    full_name: z.string().nullable(),
    roles: z.array(z.string()),
    disabled: z.boolean(),
    created_at: timestamp,
  })
  .meta({ id: "User" });

export const UserAdminUpdate = z
  .object({ roles: z.array(z.enum(ROLES)).min(1).max(ROLES.length), disabled: z.boolean() })
  .partial()
  .meta({ id: "UserAdminUpdate" });

export const UserPage = z.object({ users: z.array(User), total: z.int(), skip: z.int(), limit: z.int() }).meta({ id: "UserPage" });

export const TokenPair = z
  .object({
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal("bearer"),
    expires_in: z.int().meta({ description: "Seconds the access token stays valid" }),
  })
  .meta({ id: "TokenPair" });

// --- Items ---------------------------------------------------------------------------------------------------

const price = z.number().min(0.01).max(1_000_000).meta({ description: "In the shop's currency; stored in cents", example: 9.99 });

export const Item = z
  .object({
    id: z.int(),
    name: z.string(),
    description: z.string().nullable(),
    price: z.number(),
    owner_id: z.int().nullable(),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "Item" });

export const ItemCreate = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(500).nullable().default(null),
    price,
  })
  .meta({ id: "ItemCreate" });

/** PATCH: every field optional and without default, so the handler sees only what the client sent. */
export const ItemUpdate = z
  .object({ name: z.string().trim().min(1).max(100), description: z.string().max(500).nullable(), price })
  .partial()
  .meta({ id: "ItemUpdate" });

export const ItemCursorPage = z
  .object({
    items: z.array(Item),
    next_cursor: z.string().nullable().meta({ description: "Pass as `cursor` for the next page; null on the last one" }),
    has_more: z.boolean(),
  })
  .meta({ id: "ItemCursorPage" });

export const ItemOffsetPage = z.object({ items: z.array(Item), total: z.int(), skip: z.int(), limit: z.int() }).meta({ id: "ItemOffsetPage" });

// --- Library -------------------------------------------------------------------------------------------------

const isbn = z
  .string()
  .overwrite((value) => value.replaceAll("-", ""))
  .regex(/^(\d{9}[\dX]|\d{13})$/, "an ISBN-10 or ISBN-13 (hyphens are removed)")
  .meta({ example: "978-0-13-468599-1" });

export const BookCreate = z
  .object({
    title: z.string().trim().min(1).max(200),
    isbn: isbn.nullable().default(null),
    year: z.int().min(-3000).max(3000).nullable().default(null),
  })
  .meta({ id: "BookCreate" });

export const BookCreateWithAuthor = BookCreate.extend({ author_id: z.int().min(1) }).meta({ id: "BookCreateWithAuthor" });

export const Book = z
  .object({ id: z.int(), title: z.string(), isbn: z.string().nullable(), year: z.int().nullable(), author_id: z.int(), created_at: timestamp })
  .meta({ id: "Book" });

export const BookWithAuthor = Book.extend({ author: z.object({ id: z.int(), name: z.string() }) }).meta({ id: "BookWithAuthor" });

export const AuthorCreate = z
  .object({
    name: z.string().trim().min(1).max(100),
    bio: z.string().max(1000).nullable().default(null),
    books: z.array(BookCreate).max(50).default([]).meta({ description: "Created with the author, in the same transaction" }),
  })
  .meta({ id: "AuthorCreate" });

export const Author = z
  .object({ id: z.int(), name: z.string(), bio: z.string().nullable(), created_at: timestamp, books: z.array(Book) })
  .meta({ id: "Author" });

export const AuthorPage = z.object({ authors: z.array(Author), total: z.int(), skip: z.int(), limit: z.int() }).meta({ id: "AuthorPage" });
