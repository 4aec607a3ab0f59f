/**
 * The response side of a model: a handler's value read by field names (plain objects, class instances with
 * getters, ORM rows), validated field by field, then written by alias with computed fields and the route's
 * serialization options; and the JSON Schemas that describe both sides.
 */
import { TypefastError } from "../errors/typefast-error.ts";
import type { JsonSchema, StandardIssue, StandardSchemaV1 } from "../schema/standard-schema.ts";
import { jsonable } from "./jsonable.ts";
import { isDefault, origins, prefixIssue, serialOf, setOwn, type DumpContext, type SchemaOptions } from "./kind.ts";
import type { ModelDef } from "./model-def.ts";
import { has, isPlain } from "./parse.ts";

/** Writes `value` as model `m`'s serialized form; problems go to `ctx.issues` (paths by field name). */
export function dumpModel(m: ModelDef, value: unknown, ctx: DumpContext, path: readonly (string | number)[], top: boolean): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    ctx.issues.push({ code: "invalid_type", expected: "object", message: "Expected an object", path: [...path] } as StandardIssue);
    return undefined;
  }
  const obj = value as Record<string, unknown>;
  const plain = isPlain(obj);
  const o = ctx.options;
  const set = o.excludeUnset ? origins.get(obj)?.fieldsSet : undefined;
  const byAlias = o.byAlias ?? m.serializeByAlias;
  const include = top ? o.include : undefined;
  const exclude = top ? o.exclude : undefined;
  const valid: Record<string, unknown> | undefined = m.computed.length > 0 ? {} : undefined;
  // First validate every field (nested models are written as they are read), then write: a value that cannot be
  // written is only met once the whole object is known to be valid — as in the compiled writer.
  const values: unknown[] = new Array(m.fields.length);
  const before = ctx.issues.length;
  for (let i = 0; i < m.fields.length; i++) {
    const f = m.fields[i]!;
    let raw = obj[f.name];
    if (raw === undefined && f.alias !== f.name) raw = obj[f.alias];
    if (raw === undefined && f.partial) continue;
    if (f.serial !== undefined) {
      values[i] = f.serial.dump(raw, ctx, path.concat(f.name), false);
      if (valid !== undefined) valid[f.name] = raw;
      continue;
    }
    const r = f.schema["~standard"].validate(raw);
    if (r instanceof Promise) throw asyncField(f.name);
    if (r.issues !== undefined) {
      for (const issue of r.issues) ctx.issues.push(prefixIssue(issue, path.concat(f.name)));
      continue;
    }
    if (valid !== undefined) valid[f.name] = r.value;
    values[i] = r.value;
  }
  if (ctx.issues.length > before) return undefined;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < m.fields.length; i++) {
    const f = m.fields[i]!;
    const v = f.serial !== undefined ? values[i] : jsonable(values[i]);
    if (v === undefined || f.exclude) continue;
    if ((include !== undefined && !include.has(f.name)) || exclude?.has(f.name)) continue;
    if (o.excludeUnset && !(set !== undefined ? set.has(f.name) : has(obj, f.name, plain) || has(obj, f.alias, plain))) continue;
    if (o.excludeNone && v === null) continue;
    if (o.excludeDefaults && f.absent.ok && equal(v, jsonable(f.absent.value))) continue;
    out[byAlias ? f.alias : f.name] = v;
  }
  for (const c of m.computed) {
    if ((include !== undefined && !include.has(c.name)) || exclude?.has(c.name)) continue;
    const v = jsonable(c.get(valid));
    if (v === undefined || (o.excludeNone && v === null)) continue;
    out[byAlias ? c.alias : c.name] = v;
  }
  if (m.extra === "allow" && plain) {
    for (const key of Object.keys(obj)) {
      if (m.index.has(key) || m.accepts.has(key) || (include !== undefined && !include.has(key)) || exclude?.has(key)) continue;
      const v = jsonable(obj[key]);
      if (v !== undefined && !(o.excludeNone && v === null)) setOwn(out, key, v);
    }
  }
  return out;
}

/** The error for a field whose schema validates asynchronously on the response side. */
export function asyncField(name: string): Error {
  return new TypefastError(
    "TF_MODEL_ASYNC",
    `The schema of field '${name}' validates asynchronously, which a response model does not support: move the asynchronous check to the request side.`,
  );
}

/**
 * Model `m`'s JSON Schema: what requests may send (`input`: aliases, no computed fields) or what responses carry
 * (`output`: aliases unless `byAlias: false`, computed fields `readOnly`, options applied). Named (`$ref` into
 * `$defs`) under the model's id only when written with its own defaults, since other options change its shape.
 */
export function modelJsonSchema(m: ModelDef, io: "input" | "output", options: SchemaOptions): JsonSchema {
  const { options: ctx, top } = options;
  const defs: Record<string, JsonSchema> = {};
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const output = io === "output";
  const byAlias = !output || (ctx.byAlias ?? m.serializeByAlias);
  const shown = (name: string): boolean => !output || !top || ((ctx.include === undefined || ctx.include.has(name)) && !ctx.exclude?.has(name));
  const inner: SchemaOptions = { ...options, top: false };
  for (const f of m.fields) {
    if (!shown(f.name) || (output && f.exclude)) continue;
    const key = byAlias ? f.alias : f.name;
    const s = lift(f.schema, io, inner, defs);
    if (f.partial) delete s.default;
    properties[key] = s;
    const always = output ? !(f.absent.ok && f.absent.value === undefined) : !f.absent.ok;
    const dropped = output && (ctx.excludeUnset || ctx.excludeDefaults || (ctx.excludeNone && allowsNull(s)));
    if (always && !f.partial && !dropped) required.push(key);
  }
  if (output) {
    for (const c of m.computed) {
      if (!shown(c.name)) continue;
      const key = byAlias ? c.alias : c.name;
      const s = { ...lift(c.schema, "output", inner, defs), readOnly: true };
      properties[key] = s;
      if (!(ctx.excludeNone && allowsNull(s))) required.push(key);
    }
  }
  const body: JsonSchema = { type: "object" };
  if (m.title !== undefined) body.title = m.title;
  if (m.description !== undefined) body.description = m.description;
  body.properties = properties;
  if (required.length > 0) body.required = required;
  if (m.extra === "allow") body.additionalProperties = {};
  else if (m.extra === "forbid" || output) body.additionalProperties = false;
  if (m.id !== undefined && isDefault(ctx)) {
    defs[m.id] = body;
    return { $ref: `#/$defs/${m.id}`, $defs: defs };
  }
  return Object.keys(defs).length > 0 ? { ...body, $defs: defs } : body;
}

/** A field's JSON Schema with its `$defs` moved up into `defs` (named schemas are shared by the whole document). */
export function lift(schema: StandardSchemaV1, io: "input" | "output", options: SchemaOptions, defs: Record<string, JsonSchema>): JsonSchema {
  const serial = serialOf(schema);
  const converter = schema["~standard"].jsonSchema;
  if (serial === undefined && converter === undefined) {
    throw new TypefastError("TF_SCHEMA_JSON", `A model field's ${schema["~standard"].vendor} schema does not implement Standard JSON Schema (~standard.jsonSchema).`);
  }
  const doc = serial !== undefined ? serial.jsonSchema(io, options) : converter![io]({ target: options.target });
  const { $schema: _uri, $defs, definitions, ...root } = doc;
  for (const [name, def] of Object.entries(($defs ?? definitions ?? {}) as Record<string, JsonSchema>)) defs[name] ??= def;
  return root;
}

/** True when a JSON Schema admits `null`. */
export function allowsNull(s: JsonSchema): boolean {
  if (s.type === "null" || s.const === null) return true;
  if (Array.isArray(s.type) && s.type.includes("null")) return true;
  if (Array.isArray(s.enum) && s.enum.includes(null)) return true;
  const union = (s.anyOf ?? s.oneOf) as JsonSchema[] | undefined;
  return Array.isArray(union) && union.some(allowsNull);
}

/** Deep equality of JSON-ready values (dates by time), for `excludeDefaults`. */
export function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
