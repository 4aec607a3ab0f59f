import type { JsonSchema } from "./standard-schema.ts";

/** The JSON types a raw string parameter can be coerced to, read from the parameter's input JSON Schema. */
export type ScalarKind = "string" | "integer" | "number" | "boolean" | "null";

/** What a parameter's schema accepts, reduced to what string coercion needs. */
export interface JsonShape {
  /** Scalar kinds accepted at the top level (for an array: of its items), most specific first. */
  readonly kinds: readonly ScalarKind[];
  /** The schema accepts an array (a query/header list from repeated keys). */
  readonly array: boolean;
  /** The schema accepts an object (a model of query/header/cookie/form fields). */
  readonly object: boolean;
  /** Property names when the schema is an object with declared properties. */
  readonly properties: Readonly<Record<string, JsonSchema>>;
  /** True when the schema accepts anything (no `type` constraint found). */
  readonly any: boolean;
}

const ORDER: readonly ScalarKind[] = ["integer", "number", "boolean", "null", "string"];

/**
 * Reduces a JSON Schema to the kinds that matter for coercing strings: follows local `$ref`s into `$defs`, and
 * unions (`anyOf`/`oneOf`, type arrays) — so `z.number().int().optional()` and `z.union([z.int(), z.string()])`
 * both coerce as FastAPI's type hints would.
 */
export function jsonShape(schema: JsonSchema): JsonShape {
  const kinds = new Set<ScalarKind>();
  const state = { array: false, object: false, any: false, properties: {} as Record<string, JsonSchema>, items: [] as JsonSchema[] };
  const defs = (schema.$defs ?? schema.definitions ?? {}) as Record<string, JsonSchema>;
  collect(schema, defs, kinds, state, 0);
  // For an array, coercion applies to the items: collect the item kinds instead.
  if (state.array && kinds.size === 0) {
    for (const item of state.items) collect(item, defs, kinds, { ...state, items: [] }, 0);
  }
  return {
    kinds: ORDER.filter((k) => kinds.has(k)),
    array: state.array,
    object: state.object,
    properties: state.properties,
    any: state.any && kinds.size === 0 && !state.array && !state.object,
  };
}

interface CollectState {
  array: boolean;
  object: boolean;
  any: boolean;
  properties: Record<string, JsonSchema>;
  items: JsonSchema[];
}

function collect(s: JsonSchema, defs: Record<string, JsonSchema>, kinds: Set<ScalarKind>, st: CollectState, depth: number): void {
  if (depth > 32) return; // a recursive $ref: nothing more to learn for coercion
  if (typeof s.$ref === "string") {
    const name = s.$ref.replace(/^#\/(\$defs|definitions)\//, "");
    const target = defs[name];
    if (target) collect(target, defs, kinds, st, depth + 1);
    return;
  }
  const union = (s.anyOf ?? s.oneOf ?? s.allOf) as JsonSchema[] | undefined;
  if (Array.isArray(union)) {
    for (const part of union) collect(part, defs, kinds, st, depth + 1);
    return;
  }
  if ("const" in s) return addLiteral(s.const, kinds);
  if (Array.isArray(s.enum)) {
    for (const v of s.enum) addLiteral(v, kinds);
    return;
  }
  const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
  if (types.length === 0) st.any = true;
  for (const t of types) {
    if (t === "array") {
      st.array = true;
      if (s.items && typeof s.items === "object") st.items.push(s.items as JsonSchema);
    } else if (t === "object") {
      st.object = true;
      Object.assign(st.properties, (s.properties ?? {}) as Record<string, JsonSchema>);
    } else if (t === "integer" || t === "number" || t === "boolean" || t === "null" || t === "string") {
      kinds.add(t);
    }
  }
}

function addLiteral(value: unknown, kinds: Set<ScalarKind>): void {
  if (typeof value === "number") kinds.add(Number.isInteger(value) ? "integer" : "number");
  else if (typeof value === "boolean") kinds.add("boolean");
  else if (value === null) kinds.add("null");
  else kinds.add("string");
}
