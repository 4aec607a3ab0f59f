// A passing test must mean: the schema accepts the value and returns the same data. Checked against Zod itself on
// generated values, then through routes (bodies handed over as parsed, responses written without a second pass).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body } from "../../src/index.ts";
import { acceptsUnchanged } from "../../src/models/fast-accept.ts";
import { compileJsonWriter } from "../../src/models/json-writer.ts";
import { TestClient } from "../../src/testing/index.ts";

const Item = z.object({ name: z.string().min(1), price: z.number().positive(), tags: z.array(z.string()).default([]) });
const Order = z.object({
  id: z.int(),
  note: z.string().max(5).nullable().optional(),
  items: z.array(Item),
  shipping: z.object({ express: z.boolean() }).optional(),
});

// Values near the schema: right and wrong types, missing and extra keys, nulls.
const itemLike = fc.record(
  { name: fc.oneof(fc.string({ maxLength: 3 }), fc.integer()), price: fc.oneof(fc.double(), fc.constant(-1), fc.constant("1")), tags: fc.oneof(fc.array(fc.oneof(fc.string(), fc.integer()), { maxLength: 2 }), fc.constant(null)), extra: fc.anything() },
  { requiredKeys: [] },
);
const orderLike = fc.record(
  { id: fc.oneof(fc.integer(), fc.double(), fc.string()), note: fc.oneof(fc.string({ maxLength: 7 }), fc.constant(null)), items: fc.oneof(fc.array(itemLike, { maxLength: 3 }), fc.anything()), shipping: fc.oneof(fc.record({ express: fc.oneof(fc.boolean(), fc.constant(1)) }), fc.constant(null)), more: fc.anything() },
  { requiredKeys: [] },
);

// Valid orders, sometimes with keys the schema does not declare: these reach the fast path.
const validItem = fc.record({ name: fc.string({ minLength: 1, maxLength: 3 }), price: fc.double({ min: 0.5, max: 100, noNaN: true }), tags: fc.array(fc.string(), { maxLength: 2 }) });
const validOrder = fc.record(
  { id: fc.integer(), note: fc.oneof(fc.string({ maxLength: 5 }), fc.constant(null)), items: fc.array(validItem, { maxLength: 3 }), shipping: fc.record({ express: fc.boolean() }) },
  { requiredKeys: ["id", "items"] },
);
const nearOrder = fc.oneof(validOrder, fc.tuple(validOrder, fc.string(), fc.anything()).map(([o, k, v]) => ({ ...o, [k]: v })), orderLike);

/** Runs `check` on every generated order the test accepts, after checking Zod accepts it too. */
function forEachAccepted(exact: boolean, check: (value: unknown, parsed: unknown) => void): void {
  const accepts = acceptsUnchanged(Order, exact)!;
  let passed = 0;
  fc.assert(
    fc.property(nearOrder, (value) => {
      if (!accepts(value)) return;
      passed++;
      const parsed = Order.safeParse(value);
      expect(parsed.success).toBe(true);
      check(value, parsed.data);
    }),
    { numRuns: 3000 },
  );
  expect(passed).toBeGreaterThan(300); // the generator does reach the fast path
}

describe("acceptsUnchanged", () => {
  it("exact: a passing value is what Zod returns, key for key", () => {
    forEachAccepted(true, (value, parsed) => expect(parsed).toEqual(value));
  });

  it("not exact: a passing value is valid, and the response writer writes it as it writes Zod's output", () => {
    const write = compileJsonWriter(Order["~standard"].jsonSchema.output({ target: "draft-2020-12" }))!;
    forEachAccepted(false, (value, parsed) => expect(write(value)).toBe(write(parsed)));
  });

  it("refuses what validation would change or reject", () => {
    const accepts = acceptsUnchanged(Item, true)!;
    expect(accepts({ name: "a", price: 1, tags: [] })).toBe(true);
    expect(accepts({ name: "a", price: 1 })).toBe(false); // the default would be filled in
    expect(accepts({ name: "a", price: 1, tags: [], x: 1 })).toBe(false); // would be dropped
    expect(accepts({ name: "", price: 1, tags: [] })).toBe(false); // too short
    expect(accepts(Object.assign(Object.create({ inherited: 1 }), { name: "a", price: 1, tags: [] }))).toBe(false);
    expect(acceptsUnchanged(Item, false)!({ name: "a", price: 1, tags: [], x: 1 })).toBe(true);
  });

  it("has no test for what it cannot judge exactly", () => {
    expect(acceptsUnchanged(Item.refine(() => true), true)).toBeUndefined();
    expect(acceptsUnchanged(z.strictObject({ a: z.string() }), true)).toBeUndefined();
    expect(acceptsUnchanged(z.looseObject({ a: z.string() }), false)).toBeUndefined();
    expect(acceptsUnchanged(z.object({ a: z.string().transform((s) => s.length) }), true)).toBeUndefined();
    expect(acceptsUnchanged(z.array(z.string()).min(1), true)).toBeUndefined();
    expect(acceptsUnchanged(z.union([z.string(), z.number()]), true)).toBeUndefined();
  });
});

describe("routes with plain object schemas", () => {
  const app = new App();
  app.post("/items", { params: { item: Body(Item) }, response: Item }, ({ item }) => ({ ...item, echoed: Object.keys(item) }));
  app.post("/raw", { params: { item: Body(Item) } }, ({ item }) => item);
  const client = new TestClient(app);

  it("hand the handler exactly what the schema would, whichever path validated it", async () => {
    expect((await client.post("/raw", { json: { name: "a", price: 2, tags: ["x"] } })).json()).toEqual({ name: "a", price: 2, tags: ["x"] });
    expect((await client.post("/raw", { json: { name: "a", price: 2 } })).json()).toEqual({ name: "a", price: 2, tags: [] });
    expect((await client.post("/raw", { json: { name: "a", price: 2, tags: [], admin: true } })).json()).toEqual({ name: "a", price: 2, tags: [] });
    const bad = await client.post("/raw", { json: { name: "", price: 2, tags: [] } });
    expect(bad.status).toBe(422);
    expect(bad.json().detail[0]).toMatchObject({ type: "string_too_short", loc: ["body", "name"] });
  });

  it("write only the declared fields of a response that needed no second validation", async () => {
    const res = await client.post("/items", { json: { name: "a", price: 2, tags: [] } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"name":"a","price":2,"tags":[]}');
  });
});
