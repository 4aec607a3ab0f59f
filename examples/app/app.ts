/**
 * The example shop that `npm start` runs: items with validation, pagination and a per-request "database"
 * dependency, on embedded defaults (in memory). The documentation is at /docs.
 */
import { z } from "zod";
import { App, Body, Depends, HTTPException, Path, Query } from "../../src/index.ts";

const Item = z
  .object({
    id: z.int(),
    name: z.string().min(1).max(100),
    price: z.number().positive(),
    description: z.string().max(500).nullable().default(null),
  })
  .meta({ id: "Item" });
const ItemCreate = Item.omit({ id: true }).meta({ id: "ItemCreate" });
const ItemPage = z.object({ items: z.array(Item), skip: z.int(), limit: z.int(), total: z.int() }).meta({ id: "ItemPage" });

type ItemRow = z.infer<typeof Item>;

/** A tiny in-memory store; the flagship app swaps it for SQLite or PostgreSQL. */
class ItemStore {
  #rows = new Map<number, ItemRow>();
  #next = 1;
  list(skip: number, limit: number): ItemRow[] {
    return [...this.#rows.values()].slice(skip, skip + limit);
  }
  get count(): number {
    return this.#rows.size;
  }
  get(id: number): ItemRow | undefined {
    return this.#rows.get(id);
  }
  add(data: Omit<ItemRow, "id">): ItemRow {
    const row = { id: this.#next++, ...data };
    this.#rows.set(row.id, row);
    return row;
  }
  delete(id: number): boolean {
    return this.#rows.delete(id);
  }
}

export const store = new ItemStore();
store.add({ name: "Widget", price: 9.99, description: "A very useful widget" });
store.add({ name: "Gadget", price: 49.99, description: null });

const getStore = Depends(function getStore() {
  return store;
});

const pagination = Depends(
  {
    skip: Query(z.int().min(0).default(0), { description: "Items to skip" }),
    limit: Query(z.int().min(1).max(100).default(20), { description: "Page size (1–100)" }),
  },
  function pagination({ skip, limit }) {
    return { skip, limit };
  },
);

export const app = new App({ title: "Typefast example shop", version: "0.1.0", description: "Items with validation, dependencies and docs." });

app.get("/", { summary: "Welcome", tags: ["meta"] }, () => ({ message: "Welcome to the Typefast example shop", docs: "/docs" }));

app.get("/items", { params: { page: pagination, db: getStore }, response: ItemPage, tags: ["items"] }, function listItems({ page, db }) {
  return { items: db.list(page.skip, page.limit), ...page, total: db.count };
});

app.get(
  "/items/{item_id}",
  { params: { item_id: Path(z.int().min(1)), db: getStore }, response: Item, tags: ["items"], responses: { 404: { description: "Item not found" } } },
  function readItem({ item_id, db }) {
    const item = db.get(item_id);
    if (!item) throw new HTTPException(404, "Item not found");
    return item;
  },
);

app.post("/items", { params: { item: Body(ItemCreate), db: getStore }, response: Item, status: 201, tags: ["items"] }, function createItem({ item, db }) {
  return db.add(item);
});

app.delete("/items/{item_id}", { params: { item_id: Path(z.int().min(1)), db: getStore }, status: 204, tags: ["items"] }, function deleteItem({ item_id, db }) {
  if (!db.delete(item_id)) throw new HTTPException(404, "Item not found");
});
