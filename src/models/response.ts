/**
 * The schema a route validates and writes its result with. For a model (or `.array()` of one) it is the model's
 * response side: read by field names, written by alias with computed fields. For any other schema with
 * `responseOptions`, the schema's own validation followed by the options. Its `~standard.jsonSchema.output` is
 * the document of exactly what is sent, so the OpenAPI generator needs no special case.
 */
import { isPlainPrototype } from "../null-object.ts";
import type { JsonSchema, StandardResult, StandardSchemaV1 } from "../schema/standard-schema.ts";
import { documentOf } from "./base.ts";
import { jsonable, markReady, RawJson } from "./jsonable.ts";
import { dumpContext, dumpOptions, serialOf, setOwn, type DumpOptions, type SerializeOptions, type Writer } from "./kind.ts";
import { allowsNull, equal } from "./serialize.ts";

/**
 * Wraps a route's response model with its serialization options. Returns `schema` itself when there is nothing
 * to do (a plain schema and no options), so such routes keep their path unchanged.
 */
export function responseSchema(schema: StandardSchemaV1, options: SerializeOptions | undefined): StandardSchemaV1 {
  const serial = serialOf(schema);
  const empty = options === undefined || Object.values(options).every((v) => v === undefined);
  if (serial === undefined && empty) return schema;
  const template = dumpOptions(options);
  const std = schema["~standard"];
  if (serial !== undefined) {
    let write: Writer | undefined;
    return standard(std.vendor, (value) => {
      const ctx = dumpContext(template);
      const json = (write ??= serial.writer(template, true))(value, ctx, []);
      return ctx.issues.length > 0 ? { issues: ctx.issues } : { value: new RawJson(json ?? "null") };
    }, {
      input: (o) => std.jsonSchema!.input(o),
      output: (o) => documentOf(serial.jsonSchema("output", { options: template, top: true, target: o.target }), o.target),
    });
  }
  let defaults: Record<string, unknown> | undefined;
  const finish = (raw: unknown, r: StandardResult<unknown>): StandardResult<unknown> => {
    if (r.issues !== undefined) return r;
    defaults ??= defaultsOf(std.jsonSchema?.output({ target: "draft-2020-12" }));
    return { value: markReady(applyOptions(jsonable(r.value), raw, template, defaults)) };
  };
  return standard(std.vendor, (value) => {
    const r = std.validate(value);
    return r instanceof Promise ? r.then((done) => finish(value, done)) : finish(value, r);
  }, std.jsonSchema && {
    input: (o) => std.jsonSchema!.input(o),
    output: (o) => filterSchema(std.jsonSchema!.output(o), template),
  });
}

function standard(
  vendor: string,
  validate: StandardSchemaV1["~standard"]["validate"],
  jsonSchema: StandardSchemaV1["~standard"]["jsonSchema"],
): StandardSchemaV1 {
  return { "~standard": jsonSchema === undefined ? { version: 1, vendor, validate } : { version: 1, vendor, validate, jsonSchema } };
}

// For a list, the options apply to each item; `excludeNone` also applies to nested objects, as to nested models.
function applyOptions(value: unknown, raw: unknown, ctx: DumpOptions, defaults: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item, i) => filterObject(item, Array.isArray(raw) ? raw[i] : undefined, ctx, defaults));
  return filterObject(value, raw, ctx, defaults);
}

function filterObject(value: unknown, raw: unknown, ctx: DumpOptions, defaults: Record<string, unknown>): unknown {
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = value[key];
    if ((ctx.include !== undefined && !ctx.include.has(key)) || ctx.exclude?.has(key)) continue;
    if (ctx.excludeUnset && !(typeof raw === "object" && raw !== null && key in raw && (raw as Record<string, unknown>)[key] !== undefined)) continue;
    if (ctx.excludeNone && v === null) continue;
    if (ctx.excludeDefaults && key in defaults && equal(v, defaults[key])) continue;
    setOwn(out, key, ctx.excludeNone ? dropNulls(v) : v);
  }
  return out;
}

function dropNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNulls);
  if (!isRecord(v)) return v;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(v)) if (v[key] !== null) setOwn(out, key, dropNulls(v[key]));
  return out;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  return isPlainPrototype(Object.getPrototypeOf(v));
}

/** The object (or list item) the options apply to, with its `$ref` followed. */
function target(doc: JsonSchema): { node: JsonSchema } {
  const defs = (doc.$defs ?? {}) as Record<string, JsonSchema>;
  const deref = (s: JsonSchema): JsonSchema => (typeof s.$ref === "string" && s.$ref.startsWith("#/$defs/") ? (defs[s.$ref.slice(8)] ?? s) : s);
  const root = deref(doc);
  const node = root.type === "array" && typeof root.items === "object" ? deref(root.items as JsonSchema) : root;
  return { node };
}

function defaultsOf(doc: JsonSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (doc === undefined) return out;
  const properties = (target(doc).node.properties ?? {}) as Record<string, JsonSchema>;
  for (const [key, s] of Object.entries(properties)) if ("default" in s) setOwn(out, key, s.default);
  return out;
}

// The documented object loses the left-out properties and is inlined: a named schema may be used unfiltered elsewhere.
function filterSchema(doc: JsonSchema, ctx: DumpOptions): JsonSchema {
  const { node } = target(doc);
  const properties: Record<string, JsonSchema> = {};
  for (const [key, s] of Object.entries((node.properties ?? {}) as Record<string, JsonSchema>)) {
    if ((ctx.include === undefined || ctx.include.has(key)) && !ctx.exclude?.has(key)) properties[key] = s;
  }
  const keepRequired = !ctx.excludeUnset && !ctx.excludeDefaults;
  const required = ((node.required ?? []) as string[]).filter((k) => keepRequired && k in properties && !(ctx.excludeNone && allowsNull(properties[k]!)));
  const { required: _r, properties: _p, ...rest } = node;
  const object: JsonSchema = { ...rest, properties, ...(required.length > 0 ? { required } : {}) };
  const { $schema, $defs, ...root } = doc;
  const resolved = typeof root.$ref === "string" ? (doc.$defs as Record<string, JsonSchema>)[root.$ref.slice(8)]! : root;
  const top = resolved.type === "array" ? { ...resolved, items: object } : object;
  return { ...(typeof $schema === "string" ? { $schema } : {}), ...top, ...($defs !== undefined ? { $defs } : {}) };
}
