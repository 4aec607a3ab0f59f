/**
 * Demo data: the accounts `npm start` prints (so Swagger UI's Authorize works at once) and a small catalog for an
 * empty database. Idempotent: what exists is left alone. `npx tsx examples/app/seed.ts` runs it on demand.
 */
import type { Kysely } from "kysely";
import { hashPassword } from "../../src/index.ts";
import { createItem } from "./db/items.ts";
import { createAuthor } from "./db/library.ts";
import type { Database } from "./db/schema.ts";
import { createUser, findUserByName, type Role } from "./db/users.ts";

/** The demo accounts; all share the `DEMO_PASSWORD` setting. */
export const DEMO_ACCOUNTS: ReadonlyArray<{ username: string; roles: readonly Role[]; what: string }> = [
  { username: "admin", roles: ["user", "admin"], what: "everything, including /admin" },
  { username: "analyst", roles: ["user", "analyst"], what: "items, library, /reports" },
  { username: "demo", roles: ["user"], what: "items and library only" },
];

/** Creates the demo accounts that do not exist yet; returns the usernames created. */
export async function seedDemoUsers(db: Kysely<Database>, password: string): Promise<string[]> {
  const created: string[] = [];
  for (const account of DEMO_ACCOUNTS) {
    if ((await findUserByName(db, account.username)) !== undefined) continue;
    await createUser(db, { username: account.username, hashedPassword: await hashPassword(password), roles: account.roles });
    created.push(account.username);
  }
  return created;
}

const ITEMS = [
  { name: "Mechanical keyboard", description: "Tactile switches, hot-swappable", price: 89.9 },
  { name: "USB-C dock", description: "Two displays, 96 W charging", price: 129 },
  { name: "Notebook", description: null, price: 4.5 },
  { name: "Desk lamp", description: "Warm-to-cold white, dimmable", price: 39.95 },
  { name: "Coffee beans", description: "1 kg, medium roast", price: 18.4 },
];

const AUTHORS = [
  { name: "Ursula K. Le Guin", bio: "Novelist of the Hainish cycle and Earthsea", books: [
    { title: "A Wizard of Earthsea", isbn: "9780547773742", year: 1968 },
    { title: "The Left Hand of Darkness", isbn: "9780441478125", year: 1969 },
  ] },
  { name: "Donald Knuth", bio: "Author of The Art of Computer Programming", books: [{ title: "The Art of Computer Programming, Vol. 1", isbn: "9780201896831", year: 1968 }] },
  { name: "Octavia E. Butler", bio: null, books: [{ title: "Kindred", isbn: "9780807083697", year: 1979 }] },
];

/** Fills an empty catalog with a few items (owned by `admin`) and authors with books; returns what it added. */
export async function seedCatalog(db: Kysely<Database>): Promise<{ items: number; authors: number }> {
  const added = { items: 0, authors: 0 };
  const hasItems = await db.selectFrom("items").select("id").limit(1).executeTakeFirst();
  if (hasItems === undefined) {
    const owner = await findUserByName(db, "admin");
    for (const item of ITEMS) await createItem(db, item, owner?.id ?? null);
    added.items = ITEMS.length;
  }
  const hasAuthors = await db.selectFrom("authors").select("id").limit(1).executeTakeFirst();
  if (hasAuthors === undefined) {
    for (const { books, ...author } of AUTHORS) await createAuthor(db, author, books);
    added.authors = AUTHORS.length;
  }
  return added;
}
