/**
 * A model's compiled definition: every field resolved once (name, wire alias, schema, what `undefined` gives), so
 * reading a request and writing a response only walk arrays.
 */
import { TypefastError } from "../errors/typefast-error.ts";
import type { StandardSchemaV1 } from "../schema/standard-schema.ts";
import { isField, type Field } from "./field.ts";
import { serialOf, type Serial } from "./kind.ts";

/** How a model treats keys it does not declare (pydantic's `extra`). */
export type ExtraPolicy = "ignore" | "forbid" | "allow";

/** Options of `model()`: pydantic's `model_config`. */
export interface ModelConfig {
  /** The name of the model in JSON Schema `$defs` and OpenAPI `components.schemas`. */
  id?: string;
  /** JSON Schema `title` and `description` of the model. */
  title?: string;
  description?: string;
  /** Derives every field's alias from its name, e.g. {@link toCamel}. A `field(…, { alias })` wins over it. */
  aliasGenerator?: (name: string) => string;
  /** Also accept field names, not only aliases, in requests (default `false`: only aliases). */
  populateByName?: boolean;
  /** Write responses with aliases (default `true`, as FastAPI's `response_model_by_alias`). */
  serializeByAlias?: boolean;
  /** Undeclared keys: dropped (`"ignore"`, default), refused with `extra_forbidden` (`"forbid"`), or kept (`"allow"`). */
  extra?: ExtraPolicy;
}

/** Lets a hook report problems; the model then fails with them (a 422 for a request). */
export interface ValidationContext {
  /**
   * Reports a problem. `path` is relative to the model: `[]` (default) is the model itself — `loc: ["body"]` for
   * a body — and `["password"]` a field (by field name in after-hooks; it is reported under the key the client used).
   */
  addIssue(issue: { message: string; path?: readonly (string | number)[] }): void;
}

/** A hook run on the raw input before the fields (pydantic's `model_validator(mode="before")`). */
export type BeforeHook = (input: unknown, ctx: ValidationContext) => unknown;
/** A hook run on the validated value (pydantic's `model_validator(mode="after")`). */
export type AfterHook<T = any> = (value: T, ctx: ValidationContext) => T | void | Promise<T | void>;

/** A computed field: derived from the validated value, written in responses, `readOnly` in the output schema. */
export interface ComputedField<T = any, S extends StandardSchemaV1 = StandardSchemaV1> {
  /** The type of the value, for the output JSON Schema (and the written value's conversion). */
  schema: S;
  /** Computes the value from the model's validated value (by field names). */
  get: (value: T) => unknown;
  /** The name on the wire (default: the model's alias generator, else the name). */
  alias?: string;
}

export interface FieldDef {
  readonly name: string;
  readonly alias: string;
  readonly schema: StandardSchemaV1;
  /** The response-side half, when the field is itself a model or wrapper. */
  readonly serial: Serial | undefined;
  /** Never written in responses. */
  readonly exclude: boolean;
  /** From `.partial()`: absent means absent — not validated, no default. */
  readonly partial: boolean;
  /** Whether the schema accepts `undefined` and what it makes of it (a default). */
  readonly absent: { readonly ok: boolean; readonly value: unknown };
}

export interface ComputedDef {
  readonly name: string;
  readonly alias: string;
  readonly schema: StandardSchemaV1;
  readonly get: (value: any) => unknown;
}

export interface ModelDef {
  readonly fields: readonly FieldDef[];
  readonly index: ReadonlyMap<string, number>;
  /** Keys read from requests: aliases, and names with `populateByName`. */
  readonly accepts: ReadonlySet<string>;
  readonly computed: readonly ComputedDef[];
  readonly before: readonly BeforeHook[];
  readonly after: readonly AfterHook[];
  readonly populateByName: boolean;
  readonly serializeByAlias: boolean;
  readonly extra: ExtraPolicy;
  readonly id: string | undefined;
  readonly title: string | undefined;
  readonly description: string | undefined;
  /** The model's response-side half (a function: the model is built after its definition). */
  readonly serial: () => Serial;
}

/** What a model adds to its shape and config: hooks, computed fields, partial fields. */
export interface Extras {
  readonly before: readonly BeforeHook[];
  readonly after: readonly AfterHook[];
  readonly computed: Readonly<Record<string, ComputedField>>;
  readonly partial: boolean;
}

export const NO_EXTRAS: Extras = { before: [], after: [], computed: {}, partial: false };

/** Resolves a shape and config into a definition; bad aliases fail here, when the model is declared. */
export function buildDef(shape: Record<string, StandardSchemaV1 | Field>, config: ModelConfig, extras: Extras, serial: () => Serial): ModelDef {
  const aliasOf = (name: string, explicit: string | undefined): string => explicit ?? config.aliasGenerator?.(name) ?? name;
  const fields: FieldDef[] = [];
  for (const name of Object.keys(shape)) {
    const entry = shape[name];
    const schema = isField(entry) ? entry.schema : entry;
    if (typeof schema?.["~standard"]?.validate !== "function") {
      throw new TypefastError("TF_MODEL_FIELD", `model(): field '${name}' is not a schema. Use a Zod (or other Standard Schema) schema, or field(schema, { alias }).`);
    }
    const inner = serialOf(schema);
    const alias = aliasOf(name, isField(entry) ? entry.options.alias : undefined);
    if (name === "__proto__" || alias === "__proto__") throw new TypefastError("TF_MODEL_FIELD", "model(): a field cannot be named or aliased '__proto__'.");
    fields.push({
      name,
      alias,
      schema,
      serial: inner,
      exclude: isField(entry) && entry.options.exclude === true,
      partial: extras.partial,
      absent: inner?.absent ?? probe(schema),
    });
  }
  const computed = Object.entries(extras.computed).map(([name, c]) => ({ name, alias: aliasOf(name, c.alias), schema: c.schema, get: c.get }));
  const accepts = new Set<string>();
  const seen = new Map<string, string>();
  for (const f of fields) {
    for (const key of config.populateByName ? [f.alias, f.name] : [f.alias]) {
      const other = seen.get(key);
      if (other !== undefined && other !== f.name) {
        throw new TypefastError("TF_MODEL_ALIAS", `model(): fields '${other}' and '${f.name}' are both read from the key '${key}'. Give one of them another alias.`);
      }
      seen.set(key, f.name);
      accepts.add(key);
    }
  }
  for (const c of computed) {
    if (c.name === "__proto__" || c.alias === "__proto__") throw new TypefastError("TF_MODEL_FIELD", "model(): a computed field cannot be named or aliased '__proto__'.");
    if (seen.has(c.alias) || seen.has(c.name)) throw new TypefastError("TF_MODEL_ALIAS", `model(): computed field '${c.name}' has the name or alias of a field.`);
  }
  return {
    fields,
    index: new Map(fields.map((f, i) => [f.name, i])),
    accepts,
    computed,
    before: extras.before,
    after: extras.after,
    populateByName: config.populateByName === true,
    serializeByAlias: config.serializeByAlias !== false,
    extra: config.extra ?? "ignore",
    id: config.id,
    title: config.title,
    description: config.description,
    serial,
  };
}

// What the schema makes of a missing value: an error (required), `undefined` (optional) or a default.
function probe(schema: StandardSchemaV1): { ok: boolean; value: unknown } {
  let result;
  try {
    result = schema["~standard"].validate(undefined);
  } catch {
    return { ok: false, value: undefined };
  }
  if (result instanceof Promise) {
    result.catch(() => {});
    return { ok: false, value: undefined };
  }
  return result.issues === undefined ? { ok: true, value: result.value } : { ok: false, value: undefined };
}
