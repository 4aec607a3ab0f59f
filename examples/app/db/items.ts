/** Items: keyset ("cursor") and offset pages, CRUD. Prices are stored in integer cents, shown as decimals. */
import type { Kysely } from "kysely";
import { apiError } from "./errors.ts";
import { now, type Database, type ItemRow } from "./schema.ts";

/** An item as the API shows it. */
export interface ItemView {
  id: number;
  name: string;
  description: string | null;
  price: number;
  owner_id: number | null;
  created_at: string;
  updated_at: string;
}

export function toItemView(row: ItemRow): ItemView {
  // Field by field rather than `{ ...rest }`: this runs for every row of every page (see the profile in docs).
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    price: row.price_cents / 100,
    owner_id: row.owner_id,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const cents = (price: number): number => Math.round(price * 100);

/**
 * Up to `limit` items with an id greater than `afterId`, in id order, plus whether more follow. One query: it
 * asks for `limit + 1` rows, and the extra row only says that another page exists. Costs the same at any depth.
 */
export async function itemsAfter(db: Kysely<Database>, afterId: number, limit: number): Promise<{ items: ItemView[]; hasMore: boolean }> {
  const rows = await db.selectFrom("items").selectAll().where("id", ">", afterId).orderBy("id").limit(limit + 1).execute();
  return { items: rows.slice(0, limit).map(toItemView), hasMore: rows.length > limit };
}

/** A page by offset, with the total: simple, but the database still walks the `skip` rows it drops. */
export async function itemsPage(db: Kysely<Database>, skip: number, limit: number): Promise<{ items: ItemView[]; total: number }> {
  const [rows, count] = await Promise.all([
    db.selectFrom("items").selectAll().orderBy("id").limit(limit).offset(skip).execute(),
    db.selectFrom("items").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toItemView), total: Number(count.n) };
}

export async function findItem(db: Kysely<Database>, id: number): Promise<ItemView | undefined> {
  const row = await db.selectFrom("items").selectAll().where("id", "=", id).executeTakeFirst();
  return row === undefined ? undefined : toItemView(row);
}

/** An item that must exist: 404 otherwise. */
export async function getItem(db: Kysely<Database>, id: number): Promise<ItemView> {
  const item = await findItem(db, id);
  if (item === undefined) throw itemNotFound(id);
  return item;
}

export function itemNotFound(id: number) {
  return apiError(404, "ITEM_NOT_FOUND", `Item ${id} does not exist`);
}

export interface ItemInput {
  name: string;
  description?: string | null;
  price: number;
}

export async function createItem(db: Kysely<Database>, input: ItemInput, ownerId: number | null): Promise<ItemView> {
  const stamp = now();
  const row = await db
    .insertInto("items")
    .values({ name: input.name, description: input.description ?? null, price_cents: cents(input.price), owner_id: ownerId, created_at: stamp, updated_at: stamp })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toItemView(row);
}

/** Applies the fields present in `patch` (absent = unchanged, `null` description = cleared). */
export async function updateItem(db: Kysely<Database>, id: number, patch: Partial<ItemInput>): Promise<ItemView> {
  const values: { name?: string; description?: string | null; price_cents?: number; updated_at: string } = { updated_at: now() };
  if (patch.name !== undefined) values.name = patch.name;
  if (patch.description !== undefined) values.description = patch.description;
  if (patch.price !== undefined) values.price_cents = cents(patch.price);
  const row = await db.updateTable("items").set(values).where("id", "=", id).returningAll().executeTakeFirst();
  if (row === undefined) throw itemNotFound(id);
  return toItemView(row);
}

export async function deleteItem(db: Kysely<Database>, id: number): Promise<void> {
  const result = await db.deleteFrom("items").where("id", "=", id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw itemNotFound(id);
}
