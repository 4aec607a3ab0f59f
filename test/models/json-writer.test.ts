// The writers compiled from an output JSON Schema must write exactly what the general writer (`stringifyJson`)
// writes for the validated value — and stay correct when a value does not match the schema after all.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { compileJsonWriter } from "../../src/models/json-writer.ts";
import { stringifyJson } from "../../src/models/jsonable.ts";
import type { JsonSchema, StandardSchemaV1 } from "../../src/schema/standard-schema.ts";

function outputSchema(schema: StandardSchemaV1): JsonSchema {
  return schema["~standard"].jsonSchema!.output({ target: "draft-2020-12" });
}

function writerOf(schema: StandardSchemaV1) {
  const write = compileJsonWriter(outputSchema(schema));
  if (write === undefined) throw new Error("expected a compiled writer");
  return write;
}

const Item = z.object({ name: z.string().min(1), price: z.number().positive(), tags: z.array(z.string()).default([]) });
const Tag = z.object({ label: z.string(), weight: z.int().optional() }).meta({ id: "JsonWriterTag" });
const Rich = z.object({
  id: z.int(),
  ok: z.boolean(),
  note: z.string().nullable().optional(),
  kind: z.enum(["a", "b"]),
  three: z.literal(3),
  either: z.union([z.string(), z.number()]),
  tag: Tag,
  tags: z.array(Tag),
  nested: z.object({ deep: z.object({ n: z.number() }) }),
  loose: z.looseObject({ a: z.string() }),
  counts: z.record(z.string(), z.int()),
  matrix: z.array(z.array(z.number())),
});

describe("compileJsonWriter", () => {
  it("writes the same text as JSON.stringify of the validated value", () => {
    const write = writerOf(Item);
    const value = Item.parse({ name: "Widget", price: 9.99, tags: ["a", "b"], extra: "dropped" });
    expect(write(value)).toBe('{"name":"Widget","price":9.99,"tags":["a","b"]}');
    expect(write(value)).toBe(JSON.stringify(value));
  });

  it("handles optional, nullable, enum, literal, union, $ref, loose, record and nested array properties", () => {
    const write = writerOf(Rich);
    const value = Rich.parse({
      id: 7, ok: false, kind: "b", three: 3, either: 2.5, tag: { label: "x" }, tags: [{ label: "y", weight: 2 }, { label: "z" }],
      nested: { deep: { n: -0 } }, loose: { a: "kept", extra: [1, { b: null }] }, counts: { one: 1 }, matrix: [[1, 2], [], [3.5e21]],
    });
    expect(write(value)).toBe(stringifyJson(value));
    const withNote = Rich.parse({ ...value, note: null });
    expect(write(withNote)).toBe(stringifyJson(withNote));
    expect(write(withNote)).toContain('"ok":false,"note":null,"kind":"b"');
  });

  it("writes recursive definitions", () => {
    interface Node { name: string; children: Node[] }
    const NodeSchema: z.ZodType<Node> = z.object({ name: z.string(), get children() { return z.array(NodeSchema); } }).meta({ id: "JsonWriterNode" });
    const value = NodeSchema.parse({ name: "root", children: [{ name: "a", children: [{ name: "a1", children: [] }] }, { name: "b", children: [] }] });
    expect(writerOf(NodeSchema)(value)).toBe(JSON.stringify(value));
  });

  it("escapes strings exactly as JSON.stringify does", () => {
    const write = writerOf(Item);
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.array(fc.string({ unit: "grapheme" }), { maxLength: 4 }), fc.double({ noNaN: true, min: 1e-300 }), (name, tags, price) => {
        const value = { name, price, tags };
        expect(write(value)).toBe(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
  });

  it("falls back to the general writer wherever a value does not have its declared type", () => {
    const write = writerOf(Item);
    const odd = { name: new Date(0), price: Number.NaN, tags: new Set(["s"]) };
    expect(write(odd)).toBe(stringifyJson(odd));
    expect(write({ name: 1n, price: Infinity, tags: ["a", undefined, () => 1] })).toBe('{"name":1,"price":null,"tags":["a",null,null]}');
    expect(write(new Map([["name", "m"]]))).toBe(stringifyJson(new Map([["name", "m"]])));
    expect(write([1, 2])).toBe("[1,2]");
    expect(write(null)).toBe("null");
  });

  it("writes exactly the declared properties of a closed object, leaving out undefined ones", () => {
    const write = writerOf(z.object({ a: z.string().optional(), b: z.number() }));
    expect(write({ b: 1, a: "x", secret: "never" })).toBe('{"a":"x","b":1}');
    expect(write({ a: undefined, b: 2 })).toBe('{"b":2}');
    expect(write({})).toBe("{}");
  });

  it("is not compiled when a general write would cost the same (a primitive or an open schema)", () => {
    expect(compileJsonWriter(outputSchema(z.string()))).toBeUndefined();
    expect(compileJsonWriter(outputSchema(z.looseObject({ a: z.string() })))).toBeUndefined();
    expect(compileJsonWriter(outputSchema(z.union([Item, z.string()])))).toBeUndefined();
  });
});

describe("a route whose response model is a plain schema", () => {
  it("sends the validated value written by the compiled writer, and still refuses output that does not match", async () => {
    const app = new App();
    app.get("/item", { response: Item }, () => ({ name: "Widget", price: 9.99, tags: ["a"], internal: "hidden" }));
    app.get("/bad", { response: Item }, () => ({ name: "", price: -1 }));
    app.logger.error = () => undefined;
    const client = new TestClient(app);
    const ok = await client.get("/item");
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('{"name":"Widget","price":9.99,"tags":["a"]}');
    const bad = await client.get("/bad");
    expect(bad.status).toBe(500);
    expect(bad.json()).toEqual({ detail: "Internal Server Error" });
  });
});
