import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Cookie, Header, Path, Query } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("query parameters", () => {
  const app = new App();
  app.get("/items", {
    params: {
      q: Query(z.string().optional()),
      skip: Query(z.int().default(0)),
      limit: Query(z.int().default(10)),
      tag: Query(z.array(z.string()).default([])),
      item_query: Query(z.string().optional(), { alias: "item-query" }),
    },
  }, (args) => args);
  const Filter = z.strictObject({ limit: z.int().max(100).default(10), order_by: z.enum(["created", "updated"]).default("created"), tags: z.array(z.string()).default([]) });
  app.get("/filtered", { params: { filter: Query(Filter) } }, ({ filter }) => filter);
  const client = new TestClient(app);

  it("applies defaults and leaves optional parameters undefined", async () => {
    expect((await client.get("/items")).json()).toEqual({ skip: 0, limit: 10, tag: [] });
  });

  it("reads scalars, aliases and lists from repeated keys", async () => {
    const res = await client.get("/items?q=foo&skip=5&tag=a&tag=b&item-query=x%20y");
    expect(res.json()).toEqual({ q: "foo", skip: 5, limit: 10, tag: ["a", "b"], item_query: "x y" });
  });

  it("a single value of a list parameter is a one-item list; the last of repeated scalars wins", async () => {
    expect((await client.get("/items?tag=only&skip=1&skip=2")).json()).toMatchObject({ tag: ["only"], skip: 2 });
  });

  it("ignores the parameter's own name when it has an alias", async () => {
    expect((await client.get("/items?item_query=nope")).json()).not.toHaveProperty("item_query");
  });

  it("reads an object model from the whole query string, FastAPI's query models", async () => {
    expect((await client.get("/filtered?limit=5&tags=a&tags=b")).json()).toEqual({ limit: 5, order_by: "created", tags: ["a", "b"] });
    const bad = await client.get("/filtered?limit=500&order_by=name&debug=1");
    expect(bad.status).toBe(422);
    expect(bad.json().detail.map((d: { type: string; loc: unknown[] }) => [d.type, d.loc])).toEqual([
      ["less_than_equal", ["query", "limit"]],
      ["enum", ["query", "order_by"]],
      ["extra_forbidden", ["query", "debug"]],
    ]);
  });

  it("reports a model field that cannot be coerced together with the model's other problems", async () => {
    const res = await client.get("/filtered?limit=many&debug=1");
    expect(res.json().detail).toEqual([
      { type: "int_parsing", loc: ["query", "limit"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "many" },
      { type: "extra_forbidden", loc: ["query", "debug"], msg: "Extra inputs are not permitted", input: "1" },
    ]);
  });
});

describe("path parameters", () => {
  const app = new App();
  app.get("/models/{name}", { params: { name: Path(z.enum(["alexnet", "resnet", "lenet"])) } }, ({ name }) => ({ name }));
  app.get("/items/{item_id}", { params: { item_id: Path(z.int().min(1), { alias: "item_id" }) } }, ({ item_id }) => ({ item_id }));
  app.get("/plain/{value}", { params: { value: Path() } }, ({ value }) => ({ value }));
  const client = new TestClient(app);

  it("coerces and validates", async () => {
    expect((await client.get("/items/42")).json()).toEqual({ item_id: 42 });
    expect((await client.get("/models/resnet")).json()).toEqual({ name: "resnet" });
    expect((await client.get("/plain/007")).json()).toEqual({ value: "007" });
    const res = await client.get("/items/0");
    expect(res.json().detail).toEqual([
      { type: "greater_than_equal", loc: ["path", "item_id"], msg: "Input should be greater than or equal to 1", input: 0, ctx: { ge: 1 } },
    ]);
    expect((await client.get("/models/vgg")).json().detail[0]).toMatchObject({ type: "enum", loc: ["path", "name"], input: "vgg" });
  });
});

describe("header parameters", () => {
  const app = new App();
  app.get("/headers", {
    params: {
      user_agent: Header(z.string()),
      x_token: Header(z.array(z.string()).default([])),
      strange_header: Header(z.string().optional(), { convertUnderscores: false }),
      x_count: Header(z.int().optional()),
      custom: Header(z.string().optional(), { alias: "X-Custom-Name" }),
    },
  }, (args) => args);
  const model = z.object({ x_request_id: z.string(), x_retries: z.int().default(0) });
  app.get("/header-model", { params: { h: Header(model) } }, ({ h }) => ({ id: h.x_request_id, retries: h.x_retries }));
  const client = new TestClient(app);

  it("converts underscores to hyphens, reads repeated headers as a list, coerces and honours aliases", async () => {
    const res = await client.get("/headers", { headers: { "X-Token": ["foo", "bar"], "x-count": "3", "x-custom-name": "c" } });
    expect(res.json()).toEqual({ user_agent: "testclient", x_token: ["foo", "bar"], x_count: 3, custom: "c" });
  });

  it("with convertUnderscores: false reads the underscore name itself", async () => {
    expect((await client.get("/headers", { headers: { strange_header: "yes" } })).json().strange_header).toBe("yes");
    expect((await client.get("/headers", { headers: { "strange-header": "no" } })).json()).not.toHaveProperty("strange_header");
  });

  it("a header model reads x_request_id from the x-request-id header", async () => {
    expect((await client.get("/header-model", { headers: { "x-request-id": "r1", "x-retries": "2" } })).json()).toEqual({ id: "r1", retries: 2 });
    const res = await client.get("/header-model");
    expect(res.status).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "missing", loc: ["header", "x_request_id"] });
  });

  it("a missing required header is a 422 at ['header', name]", async () => {
    const strict = new App();
    strict.get("/secret", { params: { x_api_key: Header(z.string()) } }, ({ x_api_key }) => ({ x_api_key }));
    const res = await new TestClient(strict).get("/secret");
    expect(res.status).toBe(422);
    expect(res.json().detail).toEqual([{ type: "missing", loc: ["header", "x-api-key"], msg: "Field required", input: null }]);
    expect((await new TestClient(strict).get("/secret", { headers: { "X-API-Key": "k" } })).json()).toEqual({ x_api_key: "k" });
  });
});

describe("cookie parameters", () => {
  const app = new App();
  app.get("/cookies", {
    params: { session_id: Cookie(z.string().optional()), theme: Cookie(z.enum(["dark", "light"]).default("light")), ads: Cookie(z.boolean().optional(), { alias: "ads-ok" }) },
  }, (args) => args);
  const client = new TestClient(app);

  it("reads cookies by name and alias, with defaults and coercion", async () => {
    expect((await client.get("/cookies")).json()).toEqual({ theme: "light" });
    const res = await client.get("/cookies", { cookies: { session_id: "abc", theme: "dark", "ads-ok": "on" } });
    expect(res.json()).toEqual({ session_id: "abc", theme: "dark", ads: true });
  });

  it("reports a bad cookie at ['cookie', name]", async () => {
    const res = await client.get("/cookies", { cookies: { theme: "blue" } });
    expect(res.json().detail[0]).toMatchObject({ type: "enum", loc: ["cookie", "theme"], input: "blue" });
  });
});
