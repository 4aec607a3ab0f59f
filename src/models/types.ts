/**
 * Field types for values JSON has no type for, each with a deliberate wire form and its JSON Schema:
 *
 * | helper       | handler value | JSON (request and response)                       | JSON Schema                                   |
 * | ------------ | ------------- | ------------------------------------------------- | --------------------------------------------- |
 * | `dateTime()` | `Date`        | ISO 8601 string (requests: also epoch ms)         | `{"type":"string","format":"date-time"}`      |
 * | `int64()`    | `bigint`      | integer, every digit kept (requests: also digits in a string) | `{"type":"integer","format":"int64"}` |
 * | `decimal()`  | `string`      | requests: number or numeric string; responses: string | in: number or string; out: `{"type":"string","format":"decimal"}` |
 * | `bytes()`    | `Uint8Array`  | base64 string                                     | `{"type":"string","contentEncoding":"base64"}` |
 *
 * They are Standard Schemas whose JSON Schema is given by {@link withJsonSchema}, so they work as model fields and
 * parameters (not inside a `z.object`, whose JSON Schema Zod builds itself).
 */
import { z } from "zod";
import type { JsonSchema, StandardSchemaV1 } from "../schema/standard-schema.ts";

/**
 * The same schema with the JSON Schema you give — one for both directions, or `{ input, output }` — for types the
 * schema library cannot describe (a `Date`, a `bigint`, a class) or describes differently on the wire.
 *
 * @example const Color = withJsonSchema(z.instanceof(ColorValue), { type: "string", pattern: "^#[0-9a-f]{6}$" })
 */
export function withJsonSchema<S extends StandardSchemaV1>(schema: S, json: JsonSchema | { input: JsonSchema; output: JsonSchema }): S {
  const both = "input" in json && "output" in json && typeof json.input === "object" ? (json as { input: JsonSchema; output: JsonSchema }) : { input: json, output: json };
  const std = schema["~standard"];
  const wrapped: StandardSchemaV1 = {
    "~standard": {
      version: 1,
      vendor: std.vendor,
      validate: (value) => std.validate(value),
      jsonSchema: { input: () => structuredClone(both.input), output: () => structuredClone(both.output) },
      ...(std.types === undefined ? {} : { types: std.types }),
    },
  };
  return wrapped as S;
}

/**
 * A date-time: a `Date` in the handler, an ISO 8601 string on the wire (requests may also send epoch milliseconds).
 * @example model({ opened_at: dateTime() })
 */
export function dateTime(): StandardSchemaV1<string | number | Date, Date> {
  return withJsonSchema(z.union([z.date(), z.iso.datetime({ offset: true }), z.number()]).pipe(z.coerce.date()), { type: "string", format: "date-time" });
}

/**
 * A 64-bit integer as a `bigint`, written with every digit (JSON numbers lose precision beyond 2^53 in
 * JavaScript clients, so requests may also send the digits as a string).
 * @example model({ id: int64() })
 */
export function int64(): StandardSchemaV1<bigint | number | string, bigint> {
  const digits = z.string().regex(/^-?\d{1,19}$/);
  const schema = z
    .union([z.bigint(), z.int(), digits])
    .transform((v) => BigInt(v))
    .refine((v) => v >= -(2n ** 63n) && v < 2n ** 63n, "Value out of range for a 64-bit integer");
  return withJsonSchema(schema, { type: "integer", format: "int64" });
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * An exact decimal kept as a string ("1234.50"): requests may send a number or a numeric string, responses always
 * send the string, so no binary floating point ever rounds it (pydantic's `Decimal`).
 * @example model({ balance: decimal() })
 */
export function decimal(): StandardSchemaV1<string | number, string> {
  const schema = z.union([z.string().regex(DECIMAL), z.number()]).transform((v) => (typeof v === "number" ? String(v) : v));
  return withJsonSchema(schema, {
    input: { anyOf: [{ type: "number" }, { type: "string", pattern: DECIMAL.source }] },
    output: { type: "string", format: "decimal", pattern: DECIMAL.source },
  });
}

/**
 * Binary data: a `Uint8Array` (a `Buffer` too) in the handler, base64 on the wire.
 * @example model({ avatar: bytes() })
 */
export function bytes(): StandardSchemaV1<string | Uint8Array, Uint8Array> {
  const schema = z.union([z.instanceof(Uint8Array), z.base64()]).transform((v) => (typeof v === "string" ? new Uint8Array(Buffer.from(v, "base64")) : v));
  return withJsonSchema(schema, { type: "string", contentEncoding: "base64" });
}
