/**
 * JSON Schemas for the AsyncAPI document. AsyncAPI 3.0's default schema format is a superset of JSON Schema
 * draft-07, so message payloads are converted with that target; named sub-schemas (`definitions` / `$defs`,
 * e.g. Zod's `.meta({ id })`) are moved to `components.schemas` and every `$ref` is rewritten to point there.
 */
import type { CompiledSchema } from "../schema/compile.ts";
import type { JsonSchema, StandardSchemaV1 } from "../schema/standard-schema.ts";

const LOCAL_REF = /^#\/(?:definitions|\$defs)\/(.+)$/;

/** Collects named schemas for `components.schemas` while payloads and binding schemas are converted. */
export class SchemaRegistry {
  readonly schemas: Record<string, JsonSchema> = {};

  /** A message payload: draft-07 when the library can produce it, 2020-12 otherwise (compatible for common schemas). */
  payload(compiled: CompiledSchema, io: "input" | "output"): JsonSchema {
    return this.adopt(draft07(compiled.schema, io) ?? (io === "input" ? compiled.inputJsonSchema() : compiled.outputJsonSchema()));
  }

  /** Moves a converted schema's local definitions into the registry; returns the schema with rewritten refs. */
  adopt(schema: JsonSchema): JsonSchema {
    const copy = structuredClone(schema);
    for (const key of ["definitions", "$defs"] as const) {
      const defs = copy[key] as Record<string, JsonSchema> | undefined;
      if (defs === undefined) continue;
      delete copy[key];
      for (const [name, def] of Object.entries(defs)) this.schemas[name] ??= rewrite(def) as JsonSchema;
    }
    delete copy.$schema;
    return rewrite(copy) as JsonSchema;
  }
}

/** The name a payload is known by when its top level is a reference to a named schema (`ChatMessage`). */
export function refName(schema: JsonSchema): string | undefined {
  const ref = schema.$ref;
  return typeof ref === "string" && ref.startsWith("#/components/schemas/") ? ref.slice("#/components/schemas/".length) : undefined;
}

function draft07(schema: StandardSchemaV1, io: "input" | "output"): JsonSchema | undefined {
  try {
    return schema["~standard"].jsonSchema?.[io]({ target: "draft-07" });
  } catch {
    return undefined;
  }
}

function rewrite(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewrite);
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (key === "$ref" && typeof inner === "string") {
      const m = LOCAL_REF.exec(inner);
      out[key] = m ? `#/components/schemas/${m[1]}` : inner;
    } else out[key] = rewrite(inner);
  }
  return out;
}
