import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, Path } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const Item = z.object({ name: z.string(), price: z.number(), description: z.string().optional() });
const User = z.object({ username: z.string(), full_name: z.string().optional() });

const app = new App();
app.post("/items", { params: { item: Body(Item) } }, ({ item }) => ({ received: item }));
app.put("/items/{item_id}", { params: { item_id: Path(z.int()), item: Body(Item), user: Body(User), importance: Body(z.int().min(1)) } }, (args) => args);
app.post("/embedded", { params: { item: Body(Item, { embed: true }) } }, ({ item }) => ({ item }));
app.post("/aliased", { params: { item: Body(Item, { embed: true, alias: "the-item" }) } }, ({ item }) => ({ item }));
app.post("/list", { params: { items: Body(z.array(Item).min(1)) } }, ({ items }) => ({ count: items.length }));
app.post("/scalar", { params: { n: Body(z.number()) } }, ({ n }) => ({ doubled: n * 2 }));
app.post("/defaults", { params: { item: Body(z.object({ name: z.string(), qty: z.int().default(1) })) } }, ({ item }) => item);
const client = new TestClient(app);

describe("JSON bodies", () => {
  it("a single body is the whole JSON document", async () => {
    const res = await client.post("/items", { json: { name: "Foo", price: 35.4 } });
    expect(res.json()).toEqual({ received: { name: "Foo", price: 35.4 } });
  });

  it("the schema's output is what the handler gets (defaults applied)", async () => {
    expect((await client.post("/defaults", { json: { name: "x" } })).json()).toEqual({ name: "x", qty: 1 });
  });

  it("several bodies are embedded by name, scalars included", async () => {
    const payload = { item: { name: "Foo", price: 1 }, user: { username: "dave" }, importance: 5 };
    expect((await client.put("/items/7", { json: payload })).json()).toEqual({ item_id: 7, ...payload });
  });

  it("reports each embedded body at ['body', name]", async () => {
    const res = await client.put("/items/7", { json: { item: { name: "Foo" }, importance: 0 } });
    expect(res.json().detail).toEqual([
      { type: "missing", loc: ["body", "item", "price"], msg: "Field required", input: { name: "Foo" } },
      { type: "missing", loc: ["body", "user"], msg: "Field required", input: null },
      { type: "greater_than_equal", loc: ["body", "importance"], msg: "Input should be greater than or equal to 1", input: 0, ctx: { ge: 1 } },
    ]);
  });

  it("embed: true expects {name: value} even for one body", async () => {
    expect((await client.post("/embedded", { json: { item: { name: "A", price: 2 } } })).json()).toEqual({ item: { name: "A", price: 2 } });
    const res = await client.post("/embedded", { json: { name: "A", price: 2 } });
    expect(res.status).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "missing", loc: ["body", "item"] });
  });

  it("an alias renames the embedding key", async () => {
    expect((await client.post("/aliased", { json: { "the-item": { name: "A", price: 2 } } })).json()).toEqual({ item: { name: "A", price: 2 } });
    expect((await client.post("/aliased", { json: { item: { name: "A", price: 2 } } })).status).toBe(422);
  });

  it("lists and scalars are bodies too", async () => {
    expect((await client.post("/list", { json: [{ name: "a", price: 1 }, { name: "b", price: 2 }] })).json()).toEqual({ count: 2 });
    const empty = await client.post("/list", { json: [] });
    expect(empty.json().detail[0]).toMatchObject({ type: "too_short", loc: ["body"], ctx: { min_length: 1, actual_length: 0 } });
    expect((await client.post("/scalar", { json: 21 })).json()).toEqual({ doubled: 42 });
    expect((await client.post("/scalar", { json: "21" })).json().detail[0]).toMatchObject({ type: "float_type", input: "21" });
  });

  it("the body of an embedded key is never read from the prototype chain", async () => {
    const res = await client.post("/embedded", { json: { toString: 1 } });
    expect(res.json().detail[0]).toMatchObject({ type: "missing", loc: ["body", "item"] });
  });
});
