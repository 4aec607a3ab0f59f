import { TypefastError } from "../errors/typefast-error.ts";
import { jsonShape, type JsonShape } from "./json-type.ts";
import type { JsonSchema, StandardIssue, StandardResult, StandardSchemaV1 } from "./standard-schema.ts";

/** JSON Schema target used everywhere: OpenAPI 3.1 speaks JSON Schema 2020-12. */
const TARGET = { target: "draft-2020-12" } as const;

/**
 * A schema analyzed once at registration: its JSON Schemas (input and output, computed lazily and cached) and the
 * shape used to coerce strings. `validate` is the library's own function, called directly on the hot path.
 */
export interface CompiledSchema {
  readonly schema: StandardSchemaV1;
  readonly validate: (value: unknown) => StandardResult<unknown> | Promise<StandardResult<unknown>>;
  inputJsonSchema(): JsonSchema;
  outputJsonSchema(): JsonSchema;
  shape(): JsonShape;
}

// Conversions are cached per schema object: the same model used by many routes is converted once.
const converted = new WeakMap<object, { input?: JsonSchema; output?: JsonSchema }>();

/**
 * Compiles a Standard Schema. `where` names the place it is used ("GET /items/{id}, query parameter 'q'") so a
 * schema the library cannot convert to JSON Schema fails at registration with a message saying where and why.
 */
export function compileSchema(schema: StandardSchemaV1, where: string): CompiledSchema {
  const std = schema["~standard"];
  let memo = converted.get(schema);
  if (!memo) converted.set(schema, (memo = {}));
  const cached = memo;
  let shape: JsonShape | undefined;
  const convert = (io: "input" | "output"): JsonSchema => {
    const converter = std.jsonSchema;
    if (!converter) {
      throw new TypefastError(
        "TF_SCHEMA_JSON",
        `${where}: the ${std.vendor} schema does not implement Standard JSON Schema (~standard.jsonSchema), which ` +
          "Typefast needs to coerce parameters and to document them. Use Zod ≥ 4.2 or a library that implements it.",
      );
    }
    try {
      return converter[io](TARGET);
    } catch (error) {
      throw new TypefastError(
        "TF_SCHEMA_JSON",
        `${where}: this schema cannot be described in JSON Schema (${(error as Error).message}). ` +
          "Use a JSON-representable type here (for dates: z.iso.datetime() or z.coerce.date() with an override).",
      );
    }
  };
  const compiled: CompiledSchema = {
    schema,
    validate: std.validate,
    inputJsonSchema: () => (cached.input ??= convert("input")),
    outputJsonSchema: () => (cached.output ??= convert("output")),
    shape: () => (shape ??= jsonShape(compiled.inputJsonSchema())),
  };
  return compiled;
}

/** Normalizes a Standard Schema issue path (`PropertyKey | {key}`) to plain keys. */
export function issuePath(issue: StandardIssue): (string | number)[] {
  const out: (string | number)[] = [];
  for (const seg of issue.path ?? []) {
    const key = typeof seg === "object" && seg !== null ? seg.key : seg;
    out.push(typeof key === "symbol" ? String(key) : (key as string | number));
  }
  return out;
}
