/**
 * Seed example 54 — an async app to test with async tests (see test/examples/54-async-tests.test.ts).
 *
 * FastAPI needs httpx's AsyncClient and pytest-asyncio for this; Typefast's TestClient is async already.
 */
import { z } from "zod";
import { App, Body, Path } from "../../src/index.ts";

export const Item = z.object({ id: z.int(), name: z.string() });

export const app = new App({ title: "Async tests" });

app.get("/items/{item_id}", { params: { item_id: Path(z.int()) }, response: Item }, async ({ item_id }) => ({
  id: item_id,
  name: `item-${item_id}`,
}));

app.post("/items", { params: { item: Body(Item) }, response: Item, status: 201 }, async ({ item }) => item);
