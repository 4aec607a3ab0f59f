/** The deliberate JSON forms of values JSON has no type for (docs/models.md, "Values JSON has no type for"). */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, bytes, dateTime, decimal, int64, jsonable, model, stringifyJson, withJsonSchema } from "../../src/index.ts";
import { compileSchema } from "../../src/schema/compile.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("stringifyJson", () => {
  it("writes dates as ISO strings and invalid dates as null", () => {
    expect(stringifyJson({ at: new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)), bad: new Date(NaN) })).toBe('{"at":"2024-01-02T03:04:05.006Z","bad":null}');
  });

  it("writes bigints as exact integers, at any depth", () => {
    expect(stringifyJson({ id: 2n ** 64n, list: [1n, -3n], nested: { n: 9007199254740993n } })).toBe('{"id":18446744073709551616,"list":[1,-3],"nested":{"n":9007199254740993}}');
    expect(stringifyJson(5n)).toBe("5");
  });

  it("writes bytes as base64, other typed arrays as lists", () => {
    expect(stringifyJson({ b: new Uint8Array([1, 2, 255]), buf: Buffer.from("hi"), ab: new Uint8Array([7]).buffer, f: new Float64Array([1.5, 2]) })).toBe(
      '{"b":"AQL/","buf":"aGk=","ab":"Bw==","f":[1.5,2]}',
    );
  });

  it("writes Maps as objects and Sets as lists", () => {
    expect(stringifyJson({ m: new Map<unknown, unknown>([["a", 1], [true, new Set(["x"])]]), s: new Set([1, 2]) })).toBe('{"m":{"a":1,"true":["x"]},"s":[1,2]}');
  });

  it("uses toJSON (decimal libraries, ORM entities) and converts its result in turn", () => {
    class Money {
      constructor(readonly cents: bigint) {}
      toJSON() {
        return { amount: `${this.cents / 100n}.${String(this.cents % 100n).padStart(2, "0")}`, raw: this.cents };
      }
    }
    expect(stringifyJson({ price: new Money(123456n) })).toBe('{"price":{"amount":"1234.56","raw":123456}}');
  });

  it("class instances give their own enumerable properties; NaN/Infinity are null; undefined and functions are left out", () => {
    class Point {
      constructor(readonly x: number, readonly y: number) {}
      get length(): number {
        return Math.hypot(this.x, this.y);
      }
    }
    expect(stringifyJson({ p: new Point(3, 4), n: NaN, i: -Infinity, u: undefined, f: () => 1, list: [undefined, () => 1] })).toBe(
      '{"p":{"x":3,"y":4},"n":null,"i":null,"list":[null,null]}',
    );
    expect(stringifyJson(undefined)).toBe("null");
  });

  it("refuses cycles and runaway nesting with a TypeError, but accepts shared (non-cyclic) references", () => {
    const shared = { a: 1 };
    expect(stringifyJson({ x: shared, y: [shared] })).toBe('{"x":{"a":1},"y":[{"a":1}]}');
    const loop: unknown[] = [];
    loop.push({ loop });
    expect(() => stringifyJson(loop)).toThrow(/cyclic reference/);
    let deep: unknown = 1;
    for (let i = 0; i < 1500; i++) deep = [deep];
    expect(() => stringifyJson(deep)).toThrow(/nested more than 1000 levels/);
  });

  it("jsonable returns the same object when nothing needs converting", () => {
    const value = { a: [1, { b: "c" }], d: null };
    expect(jsonable(value)).toBe(value);
    const converted = jsonable({ a: [1, new Set([2])], d: null }) as { a: unknown[] };
    expect(converted).toEqual({ a: [1, [2]], d: null });
  });
});

describe("responses without a response model follow the same rules", () => {
  it("GET returns dates, bigints, Maps, Sets and bytes in their JSON forms", async () => {
    const app = new App();
    app.get("/", {}, () => ({ at: new Date(0), id: 2n ** 60n, tags: new Set(["a"]), meta: new Map([["k", "v"]]), raw: new Uint8Array([0]) }));
    const res = await new TestClient(app).get("/");
    expect(res.text).toBe('{"at":"1970-01-01T00:00:00.000Z","id":1152921504606846976,"tags":["a"],"meta":{"k":"v"},"raw":"AA=="}');
  });
});

describe("field types: dateTime, int64, decimal, bytes", () => {
  const Payment = model({ id: int64(), amount: decimal(), at: dateTime(), receipt: bytes() });
  const app = new App();
  app.post("/payments", { params: { body: Body(Payment) }, response: Payment }, ({ body }) => {
    expect(typeof body.id).toBe("bigint");
    expect(body.at).toBeInstanceOf(Date);
    expect(body.receipt).toBeInstanceOf(Uint8Array);
    return body;
  });
  const client = new TestClient(app);

  it("parse their wire forms into JavaScript values and write them back", async () => {
    const res = await client.post("/payments", { json: { id: "9007199254740993", amount: 12.5, at: "2024-05-06T07:08:09Z", receipt: "AQI=" } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"id":9007199254740993,"amount":"12.5","at":"2024-05-06T07:08:09.000Z","receipt":"AQI="}');
  });

  it("reject what they cannot read", async () => {
    const res = await client.post("/payments", { json: { id: "12x", amount: "1,5", at: "yesterday", receipt: 5 } });
    expect(res.status).toBe(422);
    expect(res.json().detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
      ["body", "id"],
      ["body", "amount"],
      ["body", "at"],
      ["body", "receipt"],
    ]);
    const big = await client.post("/payments", { json: { id: "99999999999999999999", amount: 1, at: 0, receipt: "" } });
    expect(big.json().detail[0]).toMatchObject({ loc: ["body", "id"] });
  });

  it("document their wire forms, with different input and output for decimals", () => {
    const compiled = compileSchema(Payment, "test");
    expect(compiled.inputJsonSchema().properties).toEqual({
      id: { type: "integer", format: "int64" },
      amount: { anyOf: [{ type: "number" }, { type: "string", pattern: "^-?\\d+(\\.\\d+)?$" }] },
      at: { type: "string", format: "date-time" },
      receipt: { type: "string", contentEncoding: "base64" },
    });
    expect((compiled.outputJsonSchema().properties as Record<string, unknown>).amount).toEqual({ type: "string", format: "decimal", pattern: "^-?\\d+(\\.\\d+)?$" });
  });

  it("withJsonSchema documents any schema, keeping its validation", async () => {
    const Hex = withJsonSchema(z.instanceof(Uint8Array), { type: "string", contentEncoding: "base16" });
    expect(Hex["~standard"].jsonSchema!.output({ target: "draft-2020-12" })).toEqual({ type: "string", contentEncoding: "base16" });
    expect(((await Hex["~standard"].validate("x")) as { issues?: unknown[] }).issues).toHaveLength(1);
  });
});
