/**
 * The Standard Schema interface (`~standard`), the contract through which Typefast talks to any schema library —
 * Zod 4 by default, Valibot, ArkType… — plus the Standard JSON Schema extension used for coercion and OpenAPI.
 * Declared here rather than imported so the package has no runtime or type dependency on a schema library.
 */

/** A validation problem as a Standard Schema library reports it. Zod adds fields such as `code`, `expected`. */
export interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The outcome of `~standard.validate`. */
export type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

/** Options of the Standard JSON Schema converter. */
export interface JsonSchemaOptions {
  readonly target: "draft-2020-12" | "draft-07" | "openapi-3.0" | (string & {});
}

/** A JSON Schema document (loosely typed: it is data, not code). */
export type JsonSchema = Record<string, unknown>;

/** Any schema object implementing Standard Schema v1. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
    readonly jsonSchema?: {
      readonly input: (options: JsonSchemaOptions) => JsonSchema;
      readonly output: (options: JsonSchemaOptions) => JsonSchema;
    };
  };
}

/** The type a schema accepts (before defaults and transforms). */
export type InferInput<S> = S extends StandardSchemaV1<infer I, unknown> ? I : unknown;

/** The type a schema produces (after defaults and transforms). */
export type InferOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : unknown;

/** True for values implementing Standard Schema v1. */
export function isStandardSchema(value: unknown): value is StandardSchemaV1 {
  return (
    (typeof value === "object" || typeof value === "function") &&
    value !== null &&
    typeof (value as { "~standard"?: { validate?: unknown } })["~standard"]?.validate === "function"
  );
}
