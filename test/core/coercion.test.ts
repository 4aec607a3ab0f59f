import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Query } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const INT = "Input should be a valid integer, unable to parse string as an integer";
const FLOAT = "Input should be a valid number, unable to parse string as a number";
const BOOL = "Input should be a valid boolean, unable to interpret input";

/** One route per schema: GET /{name}?v=… answers {v} or the 422. */
function appFor(schemas: Record<string, z.ZodType>): TestClient {
  const app = new App();
  for (const [name, schema] of Object.entries(schemas)) {
    app.get(`/${name}`, { params: { v: Query(schema) } }, ({ v }) => ({ v }));
  }
  return new TestClient(app);
}

const client = appFor({
  number: z.number(),
  int: z.int(),
  intChain: z.number().int(),
  bool: z.boolean(),
  optInt: z.int().optional(),
  ints: z.array(z.int()),
  color: z.enum(["red", "green"]),
  union: z.union([z.int(), z.literal("all")]),
  nullable: z.int().nullable(),
  str: z.string(),
  lit: z.literal(3),
});

const value = async (route: string, raw: string) => (await client.get(`/${route}?v=${encodeURIComponent(raw)}`)).json();

describe("coercion of query strings by the schema's JSON type", () => {
  it("z.number() parses decimals, negatives and exponents", async () => {
    expect(await value("number", "1.5")).toEqual({ v: 1.5 });
    expect(await value("number", "-2")).toEqual({ v: -2 });
    expect(await value("number", "1e3")).toEqual({ v: 1000 });
  });

  it("z.int() and z.number().int() parse integers only", async () => {
    expect(await value("int", "42")).toEqual({ v: 42 });
    expect(await value("intChain", "-7")).toEqual({ v: -7 });
    expect(await value("int", "1.5")).toEqual({ detail: [{ type: "int_parsing", loc: ["query", "v"], msg: INT, input: "1.5" }] });
    expect(await value("intChain", "12abc")).toMatchObject({ detail: [{ type: "int_parsing", input: "12abc" }] });
    expect(await value("int", "99999999999999999999")).toMatchObject({ detail: [{ type: "int_parsing" }] });
  });

  it("numbers that are not numbers are float_parsing", async () => {
    expect(await value("number", "abc")).toEqual({ detail: [{ type: "float_parsing", loc: ["query", "v"], msg: FLOAT, input: "abc" }] });
    expect(await value("number", "")).toMatchObject({ detail: [{ type: "float_parsing", input: "" }] });
    expect(await value("number", "NaN")).toMatchObject({ detail: [{ type: "float_parsing" }] });
  });

  it.each([
    ["true", true], ["1", true], ["yes", true], ["on", true], ["TRUE", true],
    ["false", false], ["0", false], ["no", false], ["off", false], ["False", false],
  ])("z.boolean() reads %j as %j", async (raw, expected) => {
    expect(await value("bool", raw)).toEqual({ v: expected });
  });

  it("anything else is bool_parsing", async () => {
    expect(await value("bool", "maybe")).toEqual({ detail: [{ type: "bool_parsing", loc: ["query", "v"], msg: BOOL, input: "maybe" }] });
  });

  it("optional parameters are undefined when absent and coerced when present", async () => {
    expect((await client.get("/optInt")).json()).toEqual({});
    expect(await value("optInt", "5")).toEqual({ v: 5 });
  });

  it("array items are coerced one by one; a bad item is reported at its index", async () => {
    expect((await client.get("/ints?v=1&v=2&v=3")).json()).toEqual({ v: [1, 2, 3] });
    const res = (await client.get("/ints?v=1&v=x&v=3&v=y")).json();
    expect(res.detail).toEqual([
      { type: "int_parsing", loc: ["query", "v", 1], msg: INT, input: "x" },
      { type: "int_parsing", loc: ["query", "v", 3], msg: INT, input: "y" },
    ]);
  });

  it("enums stay strings and are checked by the schema", async () => {
    expect(await value("color", "red")).toEqual({ v: "red" });
    expect(await value("color", "blue")).toEqual({
      detail: [{ type: "enum", loc: ["query", "v"], msg: "Input should be 'red' or 'green'", input: "blue", ctx: { expected: "'red' or 'green'" } }],
    });
  });

  it("unions try the most specific kind first", async () => {
    expect(await value("union", "5")).toEqual({ v: 5 });
    expect(await value("union", "all")).toEqual({ v: "all" });
  });

  it("nullable integers read 'null' as null", async () => {
    expect(await value("nullable", "null")).toEqual({ v: null });
    expect(await value("nullable", "8")).toEqual({ v: 8 });
  });

  it("strings are never coerced, numeric literals are", async () => {
    expect(await value("str", "123")).toEqual({ v: "123" });
    expect(await value("lit", "3")).toEqual({ v: 3 });
    expect((await value("lit", "4")).detail[0]).toMatchObject({ type: "literal_error", input: 4, msg: "Input should be 3" });
  });

  it("a missing required value is 'missing' with input null", async () => {
    expect((await client.get("/int")).json()).toEqual({ detail: [{ type: "missing", loc: ["query", "v"], msg: "Field required", input: null }] });
  });
});

// Simple schemas skip the schema call when a sufficient test passes (see ParamNode.fast); everything the test does
// not fully understand must still go through the schema itself.
describe("parameters whose schema has a fast acceptance test", () => {
  const checked = appFor({
    bounded: z.int().min(1).max(10),
    short: z.string().max(3),
    optional: z.string().optional(),
    refined: z.string().refine((s) => s !== "no", "Not 'no'"),
    trimmed: z.string().trim(),
    upper: z.string().transform((s) => s.toUpperCase()),
  });
  const get = async (name: string, v?: string) => (await checked.get(`/${name}`, v === undefined ? {} : { params: { v } })).json();

  it("still enforce every bound the test knows", async () => {
    expect(await get("bounded", "10")).toEqual({ v: 10 });
    expect((await get("bounded", "11")).detail[0]).toMatchObject({ type: "less_than_equal", loc: ["query", "v"] });
    expect((await get("bounded", "0")).detail[0]).toMatchObject({ type: "greater_than_equal", loc: ["query", "v"] });
    expect(await get("short", "abc")).toEqual({ v: "abc" });
    expect((await get("short", "abcd")).detail[0]).toMatchObject({ type: "string_too_long", loc: ["query", "v"] });
    expect(await get("optional")).toEqual({});
  });

  it("leave refinements and transforms to the schema", async () => {
    expect((await get("refined", "no")).detail[0]).toMatchObject({ type: "value_error", msg: "Value error, Not 'no'", loc: ["query", "v"] });
    expect(await get("refined", "yes")).toEqual({ v: "yes" });
    expect(await get("trimmed", "  a  ")).toEqual({ v: "a" });
    expect(await get("upper", "abc")).toEqual({ v: "ABC" });
  });
});
