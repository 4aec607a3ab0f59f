import type { JsonSchema, JsonSchemaOptions, StandardResult, StandardSchemaV1 } from "../schema/standard-schema.ts";
import { issuePath } from "../schema/compile.ts";
import { DEFAULT_OPTIONS, dumpContext, dumpOptions, keyIssues, SERIAL, type SchemaOptions, type Serial, type Serializable, type SerializeOptions } from "./kind.ts";

const SCHEMA_URI: Record<string, string> = {
  "draft-2020-12": "https://json-schema.org/draft/2020-12/schema",
  "draft-07": "http://json-schema.org/draft-07/schema#",
};

/** Adds `$schema` to a finished JSON Schema document, as schema libraries' converters do. */
export function documentOf(schema: JsonSchema, target: string): JsonSchema {
  const uri = SCHEMA_URI[target];
  return uri === undefined ? schema : { $schema: uri, ...schema };
}

/**
 * What models and their wrappers share: Standard Schema (`validate` reads a request), the JSON Schemas, the
 * response-side half, and the `.array()` / `.optional()` / `.nullable()` / `.dump()` methods.
 *
 * `~standard.jsonSchema.output` describes the **serialized** form — what a response carries: aliased names and
 * computed fields (`readOnly`) — as pydantic's `mode="serialization"`; `input` describes what a request may send.
 *
 * @example
 * const doc = Item["~standard"].jsonSchema!.output({ target: "draft-2020-12" }); // what `response: Item` sends
 */
export abstract class ModelSchema<Out = unknown, Ret = Out> implements StandardSchemaV1<unknown, Out>, Serializable {
  /** Type only: what a handler may return for this response model (values by field name). */
  declare readonly "~returns": Ret;
  abstract readonly [SERIAL]: Serial;
  readonly "~standard": StandardSchemaV1<unknown, Out>["~standard"];

  constructor(validate: (value: unknown) => StandardResult<Out> | Promise<StandardResult<Out>>) {
    const doc = (io: "input" | "output", options: JsonSchemaOptions): JsonSchema => {
      const schemaOptions: SchemaOptions = { options: DEFAULT_OPTIONS, top: true, target: options.target };
      return documentOf(this[SERIAL].jsonSchema(io, schemaOptions), options.target);
    };
    this["~standard"] = {
      version: 1,
      vendor: "typefast",
      validate,
      jsonSchema: { input: (o) => doc("input", o), output: (o) => doc("output", o) },
    };
  }

  /**
   * A list of this model (`list[Item]`): `response: Item.array()`.
   * @example app.get("/items", { response: Item.array() }, () => db.items.all())
   */
  array(): ListOf<Out[], Ret[]> {
    return new ListOf(this);
  }

  /**
   * This model or nothing: as a field, it may be left out.
   * @example model({ address: Address.optional() })
   */
  optional(): OptionalOf<Out | undefined, Ret | undefined> {
    return new OptionalOf(this, undefined);
  }

  /**
   * This model or `null`.
   * @example model({ manager: Person.nullable() })
   */
  nullable(): OptionalOf<Out | null, Ret | null> {
    return new OptionalOf(this, null);
  }

  /**
   * Serializes a value as a response would (pydantic's `model_dump(mode="json")`): validated by field names,
   * written with aliases (unless `byAlias: false`), computed fields included, `options` applied. Throws a
   * `TypeError` when the value does not match.
   *
   * @example
   * Item.dump(item, { excludeUnset: true, byAlias: false }) // only the fields the client sent, by field name
   */
  dump(value: Ret | Out, options?: SerializeOptions): unknown {
    const ctx = dumpContext(options === undefined ? DEFAULT_OPTIONS : dumpOptions(options));
    const out = this[SERIAL].dump(value, ctx, [], true);
    const issue = ctx.issues[0];
    if (issue !== undefined) throw new TypeError(`dump(): the value does not match the model (${issuePath(issue).join(".") || "value"}: ${issue.message}).`);
    return out;
  }
}

/**
 * A list of a model or wrapper, created by `.array()`: validates every item, writes a JSON array.
 * @example app.get("/orders/{id}/lines", { response: OrderLine.array() }, ({ id }) => db.lines(id))
 */
export class ListOf<Out = unknown[], Ret = Out> extends ModelSchema<Out, Ret> {
  readonly [SERIAL]: Serial;

  constructor(readonly item: Serializable) {
    super((value) => validateList(item, value) as StandardResult<Out> | Promise<StandardResult<Out>>);
    const inner = item[SERIAL];
    this[SERIAL] = {
      absent: { ok: false, value: undefined },
      dump: (value, ctx, path, top) => {
        const list = value instanceof Set ? [...value] : value;
        if (!Array.isArray(list)) {
          ctx.issues.push({ code: "invalid_type", expected: "array", message: "Expected an array", path: [...path] } as never);
          return undefined;
        }
        const out = new Array(list.length);
        for (let i = 0; i < list.length; i++) out[i] = inner.dump(list[i], ctx, path.concat(i), top);
        return out;
      },
      writer: (options, top) => {
        const write = inner.writer(options, top);
        return (value, ctx, path) => {
          const list = value instanceof Set ? [...value] : value;
          if (!Array.isArray(list)) {
            ctx.issues.push({ code: "invalid_type", expected: "array", message: "Expected an array", path: [...path] } as never);
            return undefined;
          }
          const before = ctx.issues.length;
          let s = "";
          for (let i = 0; i < list.length; i++) {
            const n = ctx.issues.length;
            const item = write(list[i], ctx, path);
            if (ctx.issues.length > n) keyIssues(ctx, n, path.length, i);
            s += i === 0 ? (item ?? "null") : "," + (item ?? "null");
          }
          return ctx.issues.length > before ? undefined : "[" + s + "]";
        };
      },
      jsonSchema: (io, options) => {
        const { $defs, ...items } = inner.jsonSchema(io, options);
        return $defs === undefined ? { type: "array", items } : { type: "array", items, $defs };
      },
    };
  }
}

/**
 * A model or wrapper that also accepts `undefined` (`.optional()`, the field may be absent) or `null`
 * (`.nullable()`, documented as `anyOf: [model, null]`).
 * @example model({ billing_address: Address.nullable(), shipping_address: Address.optional() })
 */
export class OptionalOf<Out = unknown, Ret = Out> extends ModelSchema<Out, Ret> {
  readonly [SERIAL]: Serial;

  constructor(
    readonly inner: Serializable,
    readonly empty: undefined | null,
  ) {
    super((value) => (value === empty ? { value: empty as Out } : (inner["~standard"].validate(value) as StandardResult<Out>)));
    const serial = inner[SERIAL];
    this[SERIAL] = {
      absent: empty === undefined ? { ok: true, value: undefined } : serial.absent,
      dump: (value, ctx, path, top) => (value === empty ? empty : serial.dump(value, ctx, path, top)),
      writer: (options, top) => {
        const write = serial.writer(options, top);
        const text = empty === null ? "null" : undefined;
        return (value, ctx, path) => (value === empty ? text : write(value, ctx, path));
      },
      jsonSchema: (io, options) => {
        const doc = serial.jsonSchema(io, options);
        if (empty === undefined) return doc;
        const { $defs, ...root } = doc;
        const union: JsonSchema = { anyOf: [root, { type: "null" }] };
        return $defs === undefined ? union : { ...union, $defs };
      },
    };
  }
}

function validateList(item: Serializable, value: unknown): StandardResult<unknown[]> | Promise<StandardResult<unknown[]>> {
  if (!Array.isArray(value)) return { issues: [{ code: "invalid_type", expected: "array", message: "Expected an array", path: [] } as never] };
  const results = value.map((v) => item["~standard"].validate(v));
  const finish = (done: StandardResult<unknown>[]): StandardResult<unknown[]> => {
    const issues = done.flatMap((r, i) => (r.issues ?? []).map((issue) => ({ ...issue, path: [i, ...(issue.path ?? [])] })));
    return issues.length > 0 ? { issues } : { value: done.map((r) => (r as { value: unknown }).value) };
  };
  return results.some((r) => r instanceof Promise) ? Promise.all(results).then(finish) : finish(results as StandardResult<unknown>[]);
}
