/**
 * Partial updates and sparse responses (FastAPI's "Body - Updates" and `response_model_exclude_unset`).
 *
 * - `PATCH /items/{id}` takes `Item.partial()`: every field optional and without its default, so the handler
 *   receives only what the client sent and spreads it over the stored item.
 * - `PATCH /v2/items/{id}` takes `Item` itself (defaults apply) and keeps only the fields the client sent with
 *   `pickFieldsSet` — pydantic's `item.model_dump(exclude_unset=True)`.
 * - `GET /items/{id}/sparse` answers with only the fields the stored item has: `responseOptions.excludeUnset`.
 */
import { z } from "zod";
import { App, Body, HTTPException, model, Path, pickFieldsSet, type ModelOutput } from "../../src/index.ts";

export const Item = model(
  {
    name: z.string().nullable().default(null),
    description: z.string().nullable().default(null),
    price: z.number().nullable().default(null),
    tax: z.number().default(10.5),
    tags: z.array(z.string()).default([]),
  },
  { id: "Item" },
);

/** The PATCH body: the same fields, all optional, no defaults. */
export const ItemUpdate = Item.partial({ id: "ItemUpdate" });

type StoredItem = Partial<ModelOutput<typeof Item.shape>>;

/** The store; `reset()` puts back the three items of FastAPI's tutorial. */
export const items = new Map<string, StoredItem>();
export function reset(): void {
  items.clear();
  items.set("foo", { name: "Foo", price: 50.2 });
  items.set("bar", { name: "Bar", description: "The bartenders", price: 62, tax: 20.2 });
  items.set("baz", { name: "Baz", description: null, price: 50.2, tax: 10.5, tags: [] });
}
reset();

function stored(id: string): StoredItem {
  const item = items.get(id);
  if (item === undefined) throw new HTTPException(404, "Item not found");
  return item;
}

export const app = new App({ title: "Partial updates" });

// Missing fields are filled in with their defaults by the response model.
app.get("/items/{item_id}", { params: { item_id: Path() }, response: Item }, ({ item_id }) => stored(item_id));

// Only the keys the stored item has.
app.get("/items/{item_id}/sparse", { params: { item_id: Path() }, response: Item, responseOptions: { excludeUnset: true } }, ({ item_id }) =>
  stored(item_id),
);

app.patch("/items/{item_id}", { params: { item_id: Path(), item: Body(ItemUpdate) }, response: Item }, ({ item_id, item }) => {
  const updated = { ...stored(item_id), ...item }; // item holds only what was sent
  items.set(item_id, updated);
  return updated;
});

app.patch("/v2/items/{item_id}", { params: { item_id: Path(), item: Body(Item) }, response: Item }, ({ item_id, item }) => {
  const updated = { ...stored(item_id), ...pickFieldsSet(item) }; // defaults the client did not send are left out
  items.set(item_id, updated);
  return updated;
});
