/** The response side of models: aliases, computed fields, reading objects, serialization options, failures. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, field, model, ResponseValidationError, toCamel, type SerializeOptions } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger } from "../core/helpers.ts";

const Product = model(
  { product_name: z.string(), unit_price: z.number(), discount: z.number().default(0), note: z.string().nullable().default(null), secret: field(z.string().optional(), { exclude: true }) },
  { aliasGenerator: toCamel, populateByName: true },
).computed({
  final_price: { schema: z.number(), get: (p) => p.unit_price - p.discount },
  promo_label: { schema: z.string(), get: (p) => `-${p.discount}`, alias: "label" },
});

/** One route answering `value` through `response` with `options`, plus a client and the logged errors. */
function serve(value: () => unknown, response: Parameters<App["get"]>[1]["response"], responseOptions?: SerializeOptions) {
  const logger = collectingLogger();
  const app = new App({ logger });
  app.get("/", { response, responseOptions }, value as never);
  return { client: new TestClient(app), logger, app };
}

describe("aliases and computed fields in responses", () => {
  it("writes aliases and computed fields (with the generator or their own alias), never excluded fields", async () => {
    const { client } = serve(() => ({ product_name: "W", unit_price: 10, discount: 2, secret: "s3cret", internal: 1 }), Product);
    const res = await client.get("/");
    expect(res.text).toBe('{"productName":"W","unitPrice":10,"discount":2,"note":null,"finalPrice":8,"label":"-2"}');
  });

  it("byAlias: false writes field names (computed fields too); a model may default to that", async () => {
    const { client } = serve(() => ({ product_name: "W", unit_price: 10 }), Product, { byAlias: false });
    expect((await client.get("/")).json()).toEqual({ product_name: "W", unit_price: 10, discount: 0, note: null, final_price: 10, promo_label: "-0" });
    const ByName = model({ unit_price: z.number() }, { aliasGenerator: toCamel, serializeByAlias: false });
    expect((await serve(() => ({ unit_price: 1 }), ByName).client.get("/")).json()).toEqual({ unit_price: 1 });
    expect((await serve(() => ({ unit_price: 1 }), ByName, { byAlias: true }).client.get("/")).json()).toEqual({ unitPrice: 1 });
  });

  it("values may also be given under their aliases (a dict already in wire form)", async () => {
    const { client } = serve(() => ({ productName: "W", unitPrice: 3 }), Product);
    expect((await client.get("/")).json()).toMatchObject({ productName: "W", unitPrice: 3 });
  });

  it("a parsed body returned as it is goes out in the same wire form (round trip)", async () => {
    const app = new App();
    app.post("/", { params: { p: Body(Product) }, response: Product }, ({ p }) => p);
    const sent = { productName: "W", unitPrice: 10, discount: 1, note: "n" };
    expect((await new TestClient(app).post("/", { json: sent })).json()).toEqual({ ...sent, finalPrice: 9, label: "-1" });
  });

  it("without a response model, a value parsed by a model is still written by that model", async () => {
    const app = new App();
    app.post("/", { params: { p: Body(Product) } }, ({ p }) => ({ product: p, copy: { ...p } }));
    const res = await new TestClient(app).post("/", { json: { productName: "W", unitPrice: 10 } });
    expect(res.json()).toEqual({
      product: { productName: "W", unitPrice: 10, discount: 0, note: null, finalPrice: 10, label: "-0" },
      copy: { product_name: "W", unit_price: 10, discount: 0, note: null }, // a spread copy is plain data
    });
  });
});

describe("reading class instances and ORM rows", () => {
  class Row {
    #price = 10;
    constructor(readonly product_name: string) {}
    get unit_price(): number {
      return this.#price;
    }
    get password_hash(): string {
      return "hash";
    }
    save(): void {}
  }

  it("reads getters and own properties, sends only the model's fields", async () => {
    const { client } = serve(() => new Row("W"), Product);
    const body = (await client.get("/")).json();
    expect(body).toEqual({ productName: "W", unitPrice: 10, discount: 0, note: null, finalPrice: 10, label: "-0" });
  });

  it("lists of rows, and Sets as lists", async () => {
    const Line = model({ product_name: z.string() });
    expect((await serve(() => [new Row("a"), new Row("b")], Line.array()).client.get("/")).json()).toEqual([{ product_name: "a" }, { product_name: "b" }]);
    expect((await serve(() => new Set([new Row("c")]), Line.array()).client.get("/")).json()).toEqual([{ product_name: "c" }]);
  });
});

describe("serialization options", () => {
  const Item = model({ name: z.string(), description: z.string().nullable().default(null), price: z.number(), tax: z.number().default(10.5), tags: z.array(z.string()).default([]) });

  it("excludeUnset: for a plain value, the keys it has; for a parsed value, the fields the client sent", async () => {
    expect((await serve(() => ({ name: "Foo", price: 50.2 }), Item, { excludeUnset: true }).client.get("/")).json()).toEqual({ name: "Foo", price: 50.2 });
    const app = new App();
    app.post("/", { params: { item: Body(Item) }, response: Item, responseOptions: { excludeUnset: true } }, ({ item }) => item);
    expect((await new TestClient(app).post("/", { json: { name: "A", price: 1, tax: 10.5 } })).json()).toEqual({ name: "A", price: 1, tax: 10.5 });
  });

  it("excludeDefaults: fields equal to their default (deep equality) are left out, even when sent", async () => {
    const res = await serve(() => ({ name: "Baz", description: null, price: 50.2, tax: 10.5, tags: [] }), Item, { excludeDefaults: true }).client.get("/");
    expect(res.json()).toEqual({ name: "Baz", price: 50.2 });
  });

  it("excludeNone: null fields are left out, in nested models too", async () => {
    const Outer = model({ inner: model({ a: z.string().nullable() }), b: z.string().nullable() });
    expect((await serve(() => ({ inner: { a: null }, b: null }), Outer, { excludeNone: true }).client.get("/")).json()).toEqual({ inner: {} });
  });

  it("include / exclude pick top-level fields (and computed ones) by field name; for a list, per item", async () => {
    expect((await serve(() => ({ product_name: "W", unit_price: 2 }), Product, { include: ["product_name", "final_price"] }).client.get("/")).json()).toEqual({ productName: "W", finalPrice: 2 });
    expect((await serve(() => ({ product_name: "W", unit_price: 2 }), Product, { exclude: ["note", "promo_label"] }).client.get("/")).json()).toEqual({
      productName: "W",
      unitPrice: 2,
      discount: 0,
      finalPrice: 2,
    });
    expect((await serve(() => [{ name: "a", price: 1 }, { name: "b", price: 2 }], Item.array(), { include: ["name"] }).client.get("/")).json()).toEqual([{ name: "a" }, { name: "b" }]);
  });

  it("work with plain zod response models too", async () => {
    const Plain = z.object({ name: z.string(), note: z.string().nullable(), tax: z.number().default(10.5), tags: z.array(z.string()).default([]) });
    const value = () => ({ name: "n", note: null, tags: [] });
    expect((await serve(value, Plain, { excludeNone: true }).client.get("/")).json()).toEqual({ name: "n", tax: 10.5, tags: [] });
    expect((await serve(value, Plain, { excludeUnset: true }).client.get("/")).json()).toEqual({ name: "n", note: null, tags: [] });
    expect((await serve(value, Plain, { excludeDefaults: true }).client.get("/")).json()).toEqual({ name: "n", note: null });
    expect((await serve(value, Plain, { include: ["name"] }).client.get("/")).json()).toEqual({ name: "n" });
    expect((await serve(() => [value()], z.array(Plain), { exclude: ["tags", "tax"] }).client.get("/")).json()).toEqual([{ name: "n", note: null }]);
  });

  it("Model.dump applies the same options outside a route", () => {
    expect(Product.dump({ product_name: "W", unit_price: 3 }, { byAlias: false, include: ["unit_price"] })).toEqual({ unit_price: 3 });
    expect(() => Product.dump({ product_name: 1 } as never)).toThrow(/product_name/);
  });
});

describe("a result that does not match the model", () => {
  it("is a logged 500 with FastAPI-style locations; the client sees nothing of it", async () => {
    const { client, logger } = serve(() => [{ product_name: "a", unit_price: 1 }, { product_name: "b", unit_price: "free", secret: "s3cret" }], Product.array());
    const res = await client.get("/");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    const error = logger.errors[0]!.error as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.errors()).toEqual([expect.objectContaining({ loc: ["response", 1, "unit_price"], input: "free" })]);
  });

  it("nested problems carry the full path", async () => {
    const Outer = model({ lines: model({ qty: z.int() }).array() });
    const { client, logger } = serve(() => ({ lines: [{ qty: 1 }, {}] }), Outer);
    expect((await client.get("/")).status).toBe(500);
    expect((logger.errors[0]!.error as ResponseValidationError).errors()[0]).toMatchObject({ type: "missing", loc: ["response", "lines", 1, "qty"] });
  });
});

describe("cyclic results", () => {
  const cyclic = () => {
    const node: Record<string, unknown> = { name: "loop" };
    node.self = node;
    return node;
  };

  it("are a logged 500 — without a model, under a model's free-form field, and in a Map", async () => {
    const Loose = model({ name: z.string(), data: z.any() });
    for (const [value, response] of [
      [cyclic, undefined],
      [() => ({ name: "x", data: cyclic() }), Loose],
      [() => new Map([["a", cyclic()]]), undefined],
    ] as const) {
      const { client, logger } = serve(value, response);
      const res = await client.get("/");
      expect(res.status).toBe(500);
      expect(logger.errors).toHaveLength(1);
      expect(logger.errors[0]!.error).toBeInstanceOf(TypeError);
    }
  });

  it("say what is wrong in the log", async () => {
    const { client, logger } = serve(() => [cyclic()], undefined);
    await client.get("/");
    expect(String((logger.errors[0]!.error as Error).message)).toMatch(/cyclic reference/);
  });
});
