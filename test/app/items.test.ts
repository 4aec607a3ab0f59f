/** Items CRUD, partial updates, both paginations, caching and the versioned sub-apps, on both databases. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { BACKENDS, dropPlace, newPlace, startApp, type Place, type Running } from "./harness.ts";

describe.each(BACKENDS)("items on %s", (backend) => {
  let place: Place;
  let running: Running;
  let client: Client;
  let demo: string;
  let admin: string;
  let analyst: string;

  beforeAll(async () => {
    place = newPlace(backend);
    running = await startApp(place);
    client = new Client(running.url);
    [demo, admin, analyst] = await Promise.all([client.token("demo"), client.token("admin"), client.token("analyst")]);
  });
  afterAll(async () => {
    await running?.close();
    await dropPlace(place);
  });

  const create = async (name: string, price: number, token = demo) => {
    const reply = await client.post("/items", { token, json: { name, price } });
    expect(reply.status).toBe(201);
    return reply.body as { id: number; name: string; price: number; description: string | null; owner_id: number; updated_at: string };
  };

  it("creates an item: 201, Location, owner, price in cents underneath", async () => {
    const reply = await client.post("/items", { token: demo, json: { name: " Teapot ", price: 19.99, description: "Cast iron" } });
    expect(reply.status).toBe(201);
    expect(reply.headers.get("location")).toBe(`/items/${reply.body.id}`);
    expect(reply.body).toMatchObject({ name: "Teapot", price: 19.99, description: "Cast iron" });
    const row = await running.db.selectFrom("items").selectAll().where("id", "=", reply.body.id).executeTakeFirstOrThrow();
    expect(row.price_cents).toBe(1999);
    const me = await client.get("/users/me", { token: demo });
    expect(row.owner_id).toBe(me.body.id);
  });

  it("validates the body: every problem in one 422 envelope, nothing written", async () => {
    const before = await running.db.selectFrom("items").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    const reply = await client.post("/items", { token: demo, json: { name: "", price: 0, description: 42 } });
    expect(reply.status).toBe(422);
    expect(reply.body.error_code).toBe("VALIDATION_ERROR");
    expect(reply.body.details.map((d: { loc: string[] }) => d.loc.join("."))).toEqual(["body.name", "body.description", "body.price"]);
    const notJson = await client.post("/items", { token: demo, headers: { "content-type": "application/json" }, form: undefined, json: undefined });
    expect(notJson.status).toBe(422);
    const after = await running.db.selectFrom("items").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it("requires a signed-in user to write", async () => {
    const reply = await client.post("/items", { json: { name: "Free lunch", price: 1 } });
    expect(reply.status).toBe(401);
  });

  it("reads through the cache, and a PATCH changes only what was sent and invalidates it", async () => {
    const item = await create("Kettle", 30);
    const first = await client.get(`/items/${item.id}`);
    expect(first.headers.get("cache-status")).toBe("shop; fwd=miss");
    const second = await client.get(`/items/${item.id}`);
    expect(second.headers.get("cache-status")).toBe("shop; hit");
    expect(second.body).toEqual(first.body);

    const patched = await client.patch(`/items/${item.id}`, { token: demo, json: { price: 25.5 } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "Kettle", price: 25.5, description: null });
    expect(patched.body.updated_at >= item.updated_at).toBe(true);
    const fresh = await client.get(`/items/${item.id}`);
    expect(fresh.headers.get("cache-status")).toBe("shop; fwd=miss");
    expect(fresh.body.price).toBe(25.5);

    const described = await client.patch(`/items/${item.id}`, { token: demo, json: { description: "Whistles" } });
    expect(described.body).toMatchObject({ name: "Kettle", price: 25.5, description: "Whistles" });
    const cleared = await client.patch(`/items/${item.id}`, { token: demo, json: { description: null } });
    expect(cleared.body.description).toBeNull();
    const invalid = await client.patch(`/items/${item.id}`, { token: demo, json: { price: -1, name: "" } });
    expect(invalid.status).toBe(422);
    expect(invalid.body.details).toHaveLength(2);
  });

  it("lets only the owner or an admin change an item", async () => {
    const item = await create("Guarded", 5);
    const other = await client.patch(`/items/${item.id}`, { token: analyst, json: { name: "Mine now" } });
    expect(other.status).toBe(403);
    expect(other.body.error_code).toBe("NOT_OWNER");
    expect((await client.delete(`/items/${item.id}`, { token: analyst })).status).toBe(403);
    const byAdmin = await client.patch(`/items/${item.id}`, { token: admin, json: { name: "Renamed by admin" } });
    expect(byAdmin.status).toBe(200);
    expect(byAdmin.body.name).toBe("Renamed by admin");
  });

  it("deletes: 204, then 404 everywhere (the cached copy is gone too)", async () => {
    const item = await create("Short-lived", 1.25);
    await client.get(`/items/${item.id}`); // cached
    expect((await client.delete(`/items/${item.id}`, { token: demo })).status).toBe(204);
    const gone = await client.get(`/items/${item.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error_code: "ITEM_NOT_FOUND", message: `Item ${item.id} does not exist`, details: null });
    expect((await client.delete(`/items/${item.id}`, { token: demo })).status).toBe(404);
    expect((await client.patch("/items/999999", { token: demo, json: { name: "x" } })).status).toBe(404);
    expect((await client.get("/items/0")).status).toBe(422);
    expect((await client.get("/items/abc")).body.details[0].type).toBe("int_parsing");
  });

  it("walks every item with cursor pages: no gaps, no repeats", async () => {
    for (let i = 0; i < 23; i++) await create(`Bulk ${i}`, 1 + i);
    const total = Number((await running.db.selectFrom("items").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply: Awaited<ReturnType<Client["get"]>> = await client.get(`/items?limit=10${cursor === null ? "" : `&cursor=${cursor}`}`);
      expect(reply.status).toBe(200);
      seen.push(...reply.body.items.map((item: { id: number }) => item.id));
      expect(reply.body.has_more).toBe(reply.body.next_cursor !== null);
      cursor = reply.body.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(seen).toHaveLength(total);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(total);
    expect(pages).toBe(Math.ceil(total / 10));
  });

  it("refuses cursors it did not make and out-of-range limits", async () => {
    const bad = await client.get("/items?cursor=not-a-cursor");
    expect(bad.status).toBe(422);
    expect(bad.body.error_code).toBe("INVALID_CURSOR");
    expect((await client.get(`/items?cursor=${Buffer.from('{"id":"1; drop table items"}').toString("base64url")}`)).status).toBe(422);
    expect((await client.get("/items?limit=0")).status).toBe(422);
    expect((await client.get("/items?limit=101")).status).toBe(422);
  });

  it("serves offset pages with a total", async () => {
    const total = Number((await running.db.selectFrom("items").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
    const first = await client.get("/items/offset?skip=0&limit=5");
    expect(first.body).toMatchObject({ total, skip: 0, limit: 5 });
    expect(first.body.items).toHaveLength(5);
    const last = await client.get(`/items/offset?skip=${total - 2}&limit=5`);
    expect(last.body.items).toHaveLength(2);
    const ids = (await client.get(`/items/offset?skip=0&limit=${Math.min(total, 100)}`)).body.items.map((i: { id: number }) => i.id);
    expect(last.body.items.map((i: { id: number }) => i.id)).toEqual(ids.slice(total - 2));
    expect((await client.get("/items/offset?skip=-1")).status).toBe(422);
  });

  it("serves the catalog in two versions, each with its own docs and the same error envelope", async () => {
    const item = await create("Versioned", 7.5);
    expect((await client.get(`/v1/items/${item.id}`)).body).toEqual({ id: item.id, name: "Versioned", price: 7.5 });
    const v2 = await client.get(`/v2/items/${item.id}`);
    expect(v2.body).toEqual({ id: item.id, name: "Versioned", description: null, price: { amount: "7.50", currency: "EUR" }, links: { self: `/v2/items/${item.id}` } });
    const page = await client.get("/v2/items?limit=2");
    expect(page.body.data).toHaveLength(2);
    expect(typeof page.body.next_cursor).toBe("string");
    for (const version of ["v1", "v2"]) {
      const docs = await client.get(`/${version}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.body).toContain(`/${version}/openapi.json`);
      const openapi = await client.get(`/${version}/openapi.json`);
      expect(openapi.body.info.version).toBe(version === "v1" ? "1.0.0" : "2.0.0");
      expect(Object.keys(openapi.body.paths)).toEqual(["/items", "/items/{item_id}"]);
      expect((await client.get(`/${version}/items/999999`)).body.error_code).toBe("ITEM_NOT_FOUND");
    }
  });
});
