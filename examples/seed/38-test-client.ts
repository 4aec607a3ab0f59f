/**
 * Seed example 38 — an app to test with the in-process TestClient (its tests are in
 * test/examples/38-test-client.test.ts): a lookup that can 404 and a create that validates its body.
 */
import { z } from "zod";
import { App, Body, HTTPException, Path } from "../../src/index.ts";

export const Item = z.object({
  name: z.string(),
  price: z.number(),
  description: z.string().nullable().default(null), // Optional[str] = None
});
export type Item = z.output<typeof Item>;

const initial: ReadonlyArray<[number, Item]> = [[1, { name: "Widget", price: 9.99, description: null }]];
export const itemsDb = new Map<number, Item>(initial);

/** Puts the store back as it started (tests call it between cases). */
export function resetItems(): void {
  itemsDb.clear();
  for (const [id, item] of initial) itemsDb.set(id, { ...item });
}

export const app = new App({ title: "TestClient example" });

app.get("/items/{item_id}", { params: { item_id: Path(z.int()) } }, ({ item_id }) => {
  const item = itemsDb.get(item_id);
  if (item === undefined) throw new HTTPException(404, "Item not found");
  return item;
});

app.post("/items", { params: { item: Body(Item) }, status: 201 }, ({ item }) => {
  const newId = itemsDb.size > 0 ? Math.max(...itemsDb.keys()) + 1 : 1;
  itemsDb.set(newId, item);
  return { id: newId, ...item };
});
