/** The request side of models: aliases, the extra policy, hooks, error locations, fields set, derived models. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, field, fieldsSet, Header, model, pickFieldsSet, Query, toCamel, toKebab, toPascal, toSnake, TypefastError } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const post = async (app: App, json: unknown) => new TestClient(app).post("/", { json });
const bodyApp = (schema: Parameters<typeof Body>[0]) => {
  const app = new App();
  // A spread copy shows the handler's view (field names): the parsed value itself would be written by its model.
  app.post("/", { params: { body: Body(schema) } }, ({ body }) => ({ got: Array.isArray(body) || typeof body !== "object" ? body : { ...body }, set: [...(fieldsSet(body) ?? [])] }));
  return app;
};

describe("alias generators", () => {
  it("convert between snake, camel, Pascal and kebab case", () => {
    expect(["product_id", "unit_price", "x", "http_status_code"].map(toCamel)).toEqual(["productId", "unitPrice", "x", "httpStatusCode"]);
    expect(toPascal("item_name")).toBe("ItemName");
    expect(toSnake("unitPrice")).toBe("unit_price");
    expect(toSnake("HTTPStatusCode")).toBe("http_status_code");
    expect(toKebab("x_request_id")).toBe("x-request-id");
  });
});

describe("aliases", () => {
  const Item = model({ item_id: field(z.int(), { alias: "ItemID" }), unit_price: z.number(), note: z.string().optional() }, { aliasGenerator: toCamel });

  it("a field alias wins over the generator; the handler gets field names", async () => {
    const res = await post(bodyApp(Item), { ItemID: 1, unitPrice: 2 });
    expect(res.json()).toEqual({ got: { item_id: 1, unit_price: 2 }, set: ["item_id", "unit_price"] });
  });

  it("without populateByName, field names are unknown keys: ignored, and the aliases are reported missing", async () => {
    const res = await post(bodyApp(Item), { item_id: 1, unit_price: 2 });
    expect(res.status).toBe(422);
    expect(res.json().detail.map((d: { type: string; loc: unknown[] }) => [d.type, d.loc])).toEqual([
      ["missing", ["body", "ItemID"]],
      ["missing", ["body", "unitPrice"]],
    ]);
  });

  it("with populateByName both are read; the alias wins when both are sent", async () => {
    const Both = model({ unit_price: z.number() }, { aliasGenerator: toCamel, populateByName: true });
    expect((await post(bodyApp(Both), { unit_price: 1 })).json().got).toEqual({ unit_price: 1 });
    expect((await post(bodyApp(Both), { unit_price: 1, unitPrice: 2 })).json().got).toEqual({ unit_price: 2 });
  });

  it("two fields read from the same key fail when the model is declared", () => {
    expect(() => model({ a: field(z.int(), { alias: "x" }), b: field(z.int(), { alias: "x" }) })).toThrow(TypefastError);
    expect(() => model({ a_b: z.int(), aB: z.int() }, { aliasGenerator: toCamel })).toThrow(/both read from the key 'aB'/);
    expect(() => model({ a: "nope" as never })).toThrow(/field 'a' is not a schema/);
    expect(() => field(z.int(), { alias: "" })).toThrow(TypeError);
  });
});

describe("unknown keys and wrong types: default vs strict", () => {
  const Default = model({ name: z.string(), qty: z.int() });
  const Strict = model({ name: z.string(), qty: z.int() }, { extra: "forbid" });
  const Allow = model({ name: z.string() }, { extra: "allow" });

  it("default (pydantic's extra='ignore', zod's z.object): unknown keys are dropped", async () => {
    expect((await post(bodyApp(Default), { name: "a", qty: 1, admin: true })).json().got).toEqual({ name: "a", qty: 1 });
    expect((await post(bodyApp(z.object({ name: z.string() })), { name: "a", admin: true })).json().got).toEqual({ name: "a" });
  });

  it("strict (extra: 'forbid', zod's z.strictObject): each unknown key is an extra_forbidden error at its location", async () => {
    for (const schema of [Strict, z.strictObject({ name: z.string(), qty: z.int() })]) {
      const res = await post(bodyApp(schema), { name: "a", qty: 1, admin: true, role: "x" });
      expect(res.status).toBe(422);
      expect(res.json().detail).toEqual([
        { type: "extra_forbidden", loc: ["body", "admin"], msg: "Extra inputs are not permitted", input: true },
        { type: "extra_forbidden", loc: ["body", "role"], msg: "Extra inputs are not permitted", input: "x" },
      ]);
    }
  });

  it("extra: 'allow' keeps unknown keys for the handler", async () => {
    expect((await post(bodyApp(Allow), { name: "a", admin: true })).json().got).toEqual({ name: "a", admin: true });
  });

  it("JSON bodies are not coerced (zod semantics, unlike pydantic's lax mode): '1' is not an int, in both modes", async () => {
    for (const schema of [Default, Strict]) {
      const res = await post(bodyApp(schema), { name: "a", qty: "1" });
      expect(res.status).toBe(422);
      expect(res.json().detail).toEqual([expect.objectContaining({ loc: ["body", "qty"], input: "1" })]);
    }
    const coerced = model({ qty: z.coerce.number().int() });
    expect((await post(bodyApp(coerced), { qty: "1" })).json().got).toEqual({ qty: 1 });
  });

  it("a body that is not an object is reported at the body", async () => {
    const res = await post(bodyApp(Default), [1, 2]);
    expect(res.json().detail).toEqual([
      { type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: [1, 2] },
    ]);
  });
});

describe("cross-field validation and hooks", () => {
  const Signup = model({ password: z.string(), confirm_password: field(z.string(), { alias: "confirmPassword" }) })
    .refine((s) => s.password === s.confirm_password, { message: "passwords do not match", path: ["confirm_password"] });

  it("a refinement with a path is reported at that field, under its alias", async () => {
    const res = await post(bodyApp(Signup), { password: "a", confirmPassword: "b" });
    expect(res.json().detail).toEqual([
      { type: "value_error", loc: ["body", "confirmPassword"], msg: "Value error, passwords do not match", input: "b", ctx: { error: "passwords do not match" } },
    ]);
  });

  it("plain zod: .refine on the object is at ['body']; with a path, at the field; superRefine too", async () => {
    const Plain = z.object({ a: z.string(), b: z.string() }).refine((v) => v.a === v.b, "a and b must match");
    const res = await post(bodyApp(Plain), { a: "x", b: "y" });
    expect(res.json().detail).toEqual([{ type: "value_error", loc: ["body"], msg: "Value error, a and b must match", input: { a: "x", b: "y" }, ctx: { error: "a and b must match" } }]);
    const AtField = z.object({ a: z.string(), b: z.string() }).superRefine((v, ctx) => {
      if (v.a !== v.b) ctx.addIssue({ code: "custom", message: "must equal a", path: ["b"] });
    });
    expect((await post(bodyApp(AtField), { a: "x", b: "y" })).json().detail).toEqual([
      { type: "value_error", loc: ["body", "b"], msg: "Value error, must equal a", input: "y", ctx: { error: "must equal a" } },
    ]);
  });

  it("a before-hook sees the raw input and may replace it or report at the body", async () => {
    const Legacy = model({ name: z.string() }).before((raw, ctx) => {
      if (typeof raw === "string") return { name: raw }; // accept a bare string
      if (raw !== null && typeof raw === "object" && "title" in raw) ctx.addIssue({ message: "'title' was renamed to 'name'", path: ["title"] });
      return undefined; // unchanged
    });
    expect((await post(bodyApp(Legacy), "Widget")).json().got).toEqual({ name: "Widget" });
    expect((await post(bodyApp(Legacy), { name: "W" })).json().got).toEqual({ name: "W" });
    expect((await post(bodyApp(Legacy), { title: "W" })).json().detail).toEqual([
      { type: "value_error", loc: ["body", "title"], msg: "Value error, 'title' was renamed to 'name'", input: "W", ctx: { error: "'title' was renamed to 'name'" } },
    ]);
  });

  it("an after-hook may return a replacement value; the replacement keeps the fields set", async () => {
    const Range = model({ low: z.number(), high: z.number().default(100) }).after((r) => (r.low > r.high ? { low: r.high, high: r.low } : r));
    const res = await post(bodyApp(Range), { low: 500 });
    expect(res.json()).toEqual({ got: { low: 100, high: 500 }, set: ["low"] });
  });

  it("async refinements work (a uniqueness check against a store)", async () => {
    const taken = new Set(["alice"]);
    const User = model({ username: z.string() }).refine(async (u) => !taken.has(u.username), { message: "username taken", path: ["username"] });
    expect((await post(bodyApp(User), { username: "bob" })).json().got).toEqual({ username: "bob" });
    expect((await post(bodyApp(User), { username: "alice" })).json().detail[0]).toMatchObject({ type: "value_error", loc: ["body", "username"] });
  });

  it("a hook that throws is a bug, not bad input: a logged 500", async () => {
    const errors: unknown[] = [];
    const app = new App({ logger: { error: (_m, e) => errors.push(e), warn() {}, info() {} } });
    const Broken = model({ a: z.int() }).after(() => {
      throw new Error("boom");
    });
    app.post("/", { params: { body: Body(Broken) } }, () => "ok");
    expect((await new TestClient(app).post("/", { json: { a: 1 } })).status).toBe(500);
    expect(errors).toHaveLength(1);
  });
});

describe("nested models and lists", () => {
  const Line = model({ product_id: z.int(), qty: z.int().min(1) }, { aliasGenerator: toCamel });
  const Address = model({ street_name: z.string() }, { aliasGenerator: toCamel });
  const Order = model({ order_lines: Line.array(), ship_to: Address.optional(), bill_to: Address.nullable() }, { aliasGenerator: toCamel });

  it("reads nested aliases; errors are at their nested locations", async () => {
    const ok = await Order["~standard"].validate({ orderLines: [{ productId: 1, qty: 2 }], billTo: null });
    expect(ok).toEqual({ value: { order_lines: [{ product_id: 1, qty: 2 }], bill_to: null } });
    const bad = await post(bodyApp(Order), { orderLines: [{ productId: 1, qty: 2 }, { productId: 2, qty: 0 }], shipTo: {}, billTo: 3 });
    expect(bad.json().detail.map((d: { type: string; loc: unknown[] }) => [d.type, d.loc])).toEqual([
      ["greater_than_equal", ["body", "orderLines", 1, "qty"]],
      ["missing", ["body", "shipTo", "streetName"]],
      ["model_attributes_type", ["body", "billTo"]],
    ]);
  });

  it("a list that is not a list is a list_type error", async () => {
    expect((await post(bodyApp(Order), { orderLines: {}, billTo: null })).json().detail[0]).toMatchObject({ type: "list_type", loc: ["body", "orderLines"] });
  });
});

describe("fields set, partial and derived models", () => {
  const Item = model({ name: z.string(), price: z.number(), tax: z.number().default(10.5), tags: z.array(z.string()).default([]) });

  it("fieldsSet lists the fields the client sent, not the defaults; pickFieldsSet keeps only those", async () => {
    const parsed = (await Item["~standard"].validate({ name: "a", price: 1, tags: ["x"] })) as { value: Record<string, unknown> };
    expect(parsed.value).toEqual({ name: "a", price: 1, tax: 10.5, tags: ["x"] });
    expect([...fieldsSet(parsed.value)!]).toEqual(["name", "price", "tags"]);
    expect(pickFieldsSet(parsed.value)).toEqual({ name: "a", price: 1, tags: ["x"] });
    expect(fieldsSet({ name: "a" })).toBeUndefined();
    expect(pickFieldsSet({ name: "a" })).toEqual({ name: "a" });
  });

  it("partial(): every field optional and without default — absent fields stay absent", async () => {
    const Update = Item.partial();
    expect(await Update["~standard"].validate({ price: 2 })).toEqual({ value: { price: 2 } });
    expect(await Update["~standard"].validate({})).toEqual({ value: {} });
    const bad = (await Update["~standard"].validate({ price: "x" })) as { issues: unknown[] };
    expect(bad.issues).toHaveLength(1);
  });

  it("extend keeps hooks and drops the id; pick and omit drop hooks", async () => {
    const Base = model({ a: z.int(), b: z.int() }, { id: "Base", extra: "forbid" }).refine((v) => v.a < v.b, "a < b");
    const Extended = Base.extend({ c: z.string() });
    expect(Extended.config.id).toBeUndefined();
    expect(Extended.config.extra).toBe("forbid");
    expect(((await Extended["~standard"].validate({ a: 2, b: 1, c: "x" })) as { issues: unknown[] }).issues).toHaveLength(1);
    expect(Object.keys(Base.pick(["a"]).shape)).toEqual(["a"]);
    expect(await Base.omit(["b"], { id: "OnlyA" })["~standard"].validate({ a: 5 })).toEqual({ value: { a: 5 } });
    expect(Base.omit(["b"], { id: "OnlyA" }).config.id).toBe("OnlyA");
  });
});

describe("query and header models with aliases", () => {
  const Filters = model({ page_size: z.int().max(100).default(10), sort_by: z.enum(["name", "price"]).default("name") }, { aliasGenerator: toCamel, id: "Filters" });
  const Tracing = model({ x_request_id: z.string(), x_retry_count: z.int().default(0) }, { aliasGenerator: toKebab });
  const app = new App();
  app.get("/items", { params: { filters: Query(Filters), tracing: Header(Tracing), q: Query(z.string().optional(), { alias: "item-query" }) } }, (args) => ({
    ...args,
    filters: { ...args.filters },
    tracing: { ...args.tracing },
  }));
  const client = new TestClient(app);

  it("reads and coerces aliased query keys and kebab-case headers into field names", async () => {
    const res = await client.get("/items?pageSize=5&sortBy=price&item-query=abc", { headers: { "x-request-id": "r1", "x-retry-count": "2" } });
    expect(res.json()).toEqual({ filters: { page_size: 5, sort_by: "price" }, tracing: { x_request_id: "r1", x_retry_count: 2 }, q: "abc" });
  });

  it("reports problems at the aliased names", async () => {
    const res = await client.get("/items?pageSize=500", { headers: {} });
    expect(res.json().detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
      ["query", "pageSize"],
      ["header", "x-request-id"],
    ]);
  });

  it("documents the aliased parameter names", () => {
    const params = app.openapi().paths!["/items"]!.get!.parameters as Array<{ name: string; in: string }>;
    expect(params.map((p) => `${p.in}:${p.name}`)).toEqual(expect.arrayContaining(["query:pageSize", "query:sortBy", "query:item-query", "header:x-request-id", "header:x-retry-count"]));
  });
});
