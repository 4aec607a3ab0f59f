/**
 * The compiled response writers are an optimization: for every model, value and option set they must write exactly
 * what the object writer (`dump`) + `stringifyJson` write, and report the same issues. Checked on random inputs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { field, model, toCamel, type SerializeOptions } from "../../src/index.ts";
import { fastCheck } from "../../src/models/fast-check.ts";
import { markReady, stringifyJson } from "../../src/models/jsonable.ts";
import { dumpContext, dumpOptions, SERIAL, type Serializable } from "../../src/models/kind.ts";
import { quote } from "../../src/models/writer.ts";
import { issuePath } from "../../src/schema/compile.ts";

const Inner = model({ code: z.string().min(2), n: z.int().optional() }, { aliasGenerator: toCamel });
const Wide = model(
  {
    int_f: z.int(),
    num_f: z.number().gt(0).lte(1000),
    str_f: z.string().max(8),
    email_f: z.email().optional(),
    trimmed: z.string().trim().default(" x "),
    bool_f: z.boolean().nullable(),
    enum_f: z.enum(["a", "b"]).default("a"),
    lit_f: z.literal(3).optional(),
    any_f: z.any(),
    length_of: z.string().transform((s) => s.length).optional(),
    vanishing: z.string().transform(() => undefined),
    nested: Inner.optional(),
    maybe_nested: Inner.nullable(),
    list: Inner.array().optional(),
    aliased: field(z.string().optional(), { alias: "AL" }),
    hidden: field(z.string().optional(), { exclude: true }),
  },
  { aliasGenerator: toCamel },
).computed({
  total: { schema: z.number(), get: (v) => v.int_f * 2 },
  maybe: { schema: z.string().nullable(), get: (v) => (typeof v.str_f === "string" && v.str_f.length > 3 ? v.str_f : null) },
});
const Extra = model({ a: z.int(), b: z.string().nullable().default(null) }, { extra: "allow" });
const Partial = Wide.partial();

const keys = Object.keys(Wide.shape) as (keyof typeof Wide.shape & string)[];
const innerValue = fc.oneof(fc.record({ code: fc.string(), n: fc.oneof(fc.integer(), fc.double()) }, { requiredKeys: [] }), fc.anything());
const fieldValues: Record<string, fc.Arbitrary<unknown>> = {
  int_f: fc.oneof(fc.integer(), fc.double(), fc.constant("1")),
  num_f: fc.oneof(fc.double({ min: -5, max: 2000 }), fc.constant(0), fc.constant(1000), fc.constant(Infinity)),
  str_f: fc.oneof(fc.string({ maxLength: 10 }), fc.constant("a\"\\\u0001\ud800"), fc.integer()),
  email_f: fc.oneof(fc.constant("a@b.co"), fc.string()),
  trimmed: fc.string({ maxLength: 4 }),
  bool_f: fc.oneof(fc.boolean(), fc.constant(null), fc.constant(0)),
  enum_f: fc.constantFrom("a", "b", "c", null),
  lit_f: fc.constantFrom(3, 4, "3"),
  any_f: fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
  length_of: fc.string(),
  vanishing: fc.oneof(fc.string(), fc.integer()),
  nested: innerValue,
  maybe_nested: fc.oneof(innerValue, fc.constant(null)),
  list: fc.array(innerValue, { maxLength: 3 }),
  aliased: fc.oneof(fc.string(), fc.integer()),
  hidden: fc.string(),
};
const value = fc.oneof(
  { weight: 8, arbitrary: fc.record(fieldValues, { requiredKeys: [] }) },
  { weight: 1, arbitrary: fc.anything() },
);
const subset = fc.subarray([...keys, "total", "maybe"]);
const options: fc.Arbitrary<SerializeOptions> = fc.record(
  {
    byAlias: fc.boolean(),
    excludeUnset: fc.boolean(),
    excludeDefaults: fc.boolean(),
    excludeNone: fc.boolean(),
    include: subset,
    exclude: subset,
  },
  { requiredKeys: [] },
);

/** Writes `v` both ways and compares text and issues. */
function same(schema: Serializable, v: unknown, o: SerializeOptions, top: boolean): void {
  const resolved = dumpOptions(o);
  const attempt = (f: () => unknown): { ok: unknown } | { error: string } => {
    try {
      return { ok: f() };
    } catch (error) {
      return { error: String(error) };
    }
  };
  const written = dumpContext(resolved);
  const text = attempt(() => schema[SERIAL].writer(resolved, top)(v, written, []));
  const dumped = dumpContext(resolved);
  const data = attempt(() => {
    const out = schema[SERIAL].dump(v, dumped, [], top);
    return dumped.issues.length > 0 || out === undefined ? undefined : stringifyJson(markReady(out));
  });
  const issues = (ctx: typeof written) => ctx.issues.map((i) => [issuePath(i).join("."), i.message]);
  expect(issues(written)).toEqual(issues(dumped));
  if (dumped.issues.length === 0) expect(text).toEqual(data);
}

describe("compiled writer ≡ object writer", () => {
  it("for a model with every kind of field, on random values and options", () => {
    fc.assert(fc.property(value, options, fc.boolean(), (v, o, top) => same(Wide, v, o, top)), { numRuns: 1500 });
  });

  it("for lists, partial models and extra: 'allow'", () => {
    fc.assert(fc.property(fc.array(value, { maxLength: 3 }), options, (v, o) => same(Wide.array(), v, o, true)), { numRuns: 300 });
    fc.assert(fc.property(value, options, (v, o) => same(Partial, v, o, true)), { numRuns: 500 });
    const extra = fc.dictionary(fc.constantFrom("a", "b", "c", "d", "__proto__"), fc.oneof(fc.integer(), fc.constant(null), fc.string(), fc.double()));
    fc.assert(fc.property(extra, options, (v, o) => same(Extra, v, o, true)), { numRuns: 500 });
  });

  it("for a value a request produced (fields set are tracked)", async () => {
    const parsed = (await Wide["~standard"].validate({ intF: 1, numF: 2, strF: "abcd", boolF: null, anyF: [1], vanishing: "x", maybeNested: null })) as { value: unknown };
    for (const excludeUnset of [true, false]) same(Wide, parsed.value, { excludeUnset }, true);
  });
});

describe("fast acceptance tests", () => {
  const schemas = [
    z.int(), z.int32().max(5), z.number().int().min(2), z.number(), z.number().gt(0).lt(1), z.number().gte(-1).lte(1),
    z.string(), z.string().min(2).max(3), z.string().length(2), z.boolean(), z.null(), z.enum(["a", "b"]), z.literal([1, "x"]),
    z.string().nullable(), z.int().optional(), z.string().nullable().optional(),
  ];

  it("when a test passes, the schema accepts the value and returns it unchanged", () => {
    const sample = fc.oneof(fc.anything(), fc.double(), fc.integer(), fc.string({ maxLength: 4 }), fc.constantFrom(0, -0, 1, 2, 5, 6, 2 ** 53, "a", "x", 1.5, NaN, Infinity));
    for (const schema of schemas) {
      const test = fastCheck(schema);
      expect(test, String(schema.def.type)).toBeDefined();
      fc.assert(fc.property(sample, (v) => {
        if (!test!(v)) return;
        const result = schema.safeParse(v);
        expect(result.success).toBe(true);
        expect(Object.is(result.data, v)).toBe(true);
      }), { numRuns: 300 });
    }
  });

  it("there is no test for formats, patterns, refinements, transforms or coercion", () => {
    for (const schema of [z.email(), z.string().regex(/a/), z.string().trim(), z.string().refine(() => true), z.string().transform((s) => s), z.coerce.number(), z.number().multipleOf(2), z.date(), z.object({})]) {
      expect(fastCheck(schema)).toBeUndefined();
    }
  });

  it("quote writes exactly what JSON.stringify writes, lone surrogates included", () => {
    const units = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 60 }).map((codes) => String.fromCharCode(...codes));
    fc.assert(fc.property(fc.oneof(units, fc.string(), fc.string({ minLength: 48, maxLength: 200 })), (s) => {
      expect(quote(s)).toBe(JSON.stringify(s));
    }), { numRuns: 2000 });
  });
});
