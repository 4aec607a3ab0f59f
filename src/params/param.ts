import { z } from "zod";
import type { InferInput, InferOutput, StandardSchemaV1 } from "../schema/standard-schema.ts";
import type { UploadFile } from "../http/upload-file.ts";
import { PARAM_BRAND, type Marker } from "./marker.ts";

/** Where a parameter is read from. */
export type ParamSource = "path" | "query" | "header" | "cookie" | "body" | "form" | "file";

/** Options shared by every parameter. */
export interface ParamOptions {
  /** The name on the wire when it differs from the key, e.g. `Query(s, { alias: "item-query" })`. */
  alias?: string;
  /** Shown in the OpenAPI document. */
  title?: string;
  /** Shown in the OpenAPI document. */
  description?: string;
  /** Example values, shown in the OpenAPI document. */
  examples?: unknown[];
  /** Marks the parameter deprecated in the OpenAPI document (it still works). */
  deprecated?: boolean;
  /** `false` hides the parameter from the OpenAPI document (it still works). */
  includeInSchema?: boolean;
}

/** Options of {@link Header}. */
export interface HeaderOptions extends ParamOptions {
  /** Read `user_agent` from the `user-agent` header (default `true`), as FastAPI does. */
  convertUnderscores?: boolean;
}

/** Options of {@link Body}. */
export interface BodyOptions extends ParamOptions {
  /** Expect `{"<name>": value}` instead of the bare value (automatic when a route has several bodies). */
  embed?: boolean;
  /** The documented media type, `application/json` by default. */
  mediaType?: string;
}

/** Options of {@link File} and {@link Files}. */
export interface FileOptions extends ParamOptions {
  /**
   * Largest accepted file for this field in bytes: a larger one is a 422 `file_too_large` at `["body", name]`.
   * The app's `limits.form.maxFileSize` still applies to every file (413 from the parser).
   */
  maxSize?: number;
}

/**
 * What a typed client must send for a parameter, at the type level only: where it goes, the schema's input type and
 * the options as written (for `alias`, `embed`, `convertUnderscores`). Read by `createClient`'s types.
 *
 * @example type Sent = (ReturnType<typeof Query<z.ZodDefault<z.ZodInt>>>)["~request"]["input"]; // number | undefined
 */
export interface ParamRequest<Src extends ParamSource = ParamSource, In = unknown, O = {}> {
  readonly source: Src;
  readonly input: In;
  readonly options: O;
}

/** A declared request parameter: its source, schema and options. Created by `Path`, `Query`, `Body`… */
export class Param<T = unknown, Src extends ParamSource = ParamSource, In = T, O = {}> implements Marker<T> {
  readonly [PARAM_BRAND] = true;
  // Required at the type level only (see ValueOf): never assigned at runtime.
  declare readonly "~value": T;
  // Type only, never assigned: what a client sends (see ParamRequest).
  declare readonly "~request": ParamRequest<Src, In, O>;
  constructor(
    readonly source: ParamSource,
    readonly schema: StandardSchemaV1 | undefined,
    readonly options: Readonly<ParamOptions & HeaderOptions & BodyOptions & FileOptions> = {},
    /** For files: a list of files (`Files()`), or optional (`File({ optional: true })`). */
    readonly file?: { readonly multiple: boolean; readonly optional: boolean },
  ) {}
}

const STRING = z.string();

/**
 * A path parameter: `/items/{item_id}` with `item_id: Path(z.number().int())`. The raw segment is coerced by the
 * schema's JSON type, as FastAPI does with type hints.
 * @example app.get("/items/{item_id}", { params: { item_id: Path(z.number().int()) } }, ({ item_id }) => item_id)
 */
export function Path(): Param<string, "path", string>;
export function Path<S extends StandardSchemaV1, const O extends ParamOptions = {}>(schema: S, options?: O): Param<InferOutput<S>, "path", InferInput<S>, O>;
export function Path(schema: StandardSchemaV1 = STRING, options?: ParamOptions): Param {
  return new Param("path", schema, options);
}

/**
 * A query parameter (`?q=…`). An array schema collects repeated keys (`?tag=a&tag=b`); an object schema reads each
 * of its properties from the query string.
 * @example { q: Query(z.string().optional()), limit: Query(z.number().int().max(100).default(20)) }
 */
export function Query(): Param<string, "query", string>;
export function Query<S extends StandardSchemaV1, const O extends ParamOptions = {}>(schema: S, options?: O): Param<InferOutput<S>, "query", InferInput<S>, O>;
export function Query(schema: StandardSchemaV1 = STRING, options?: ParamOptions): Param {
  return new Param("query", schema, options);
}

/**
 * A request header; the key `user_agent` reads `user-agent` unless `convertUnderscores: false`. An array schema
 * collects repeated headers.
 * @example { x_token: Header(z.string()) }
 */
export function Header(): Param<string, "header", string>;
export function Header<S extends StandardSchemaV1, const O extends HeaderOptions = {}>(schema: S, options?: O): Param<InferOutput<S>, "header", InferInput<S>, O>;
export function Header(schema: StandardSchemaV1 = STRING, options?: HeaderOptions): Param {
  return new Param("header", schema, options);
}

/**
 * A cookie sent by the client.
 * @example { session_id: Cookie(z.string().optional()) }
 */
export function Cookie(): Param<string, "cookie", string>;
export function Cookie<S extends StandardSchemaV1, const O extends ParamOptions = {}>(schema: S, options?: O): Param<InferOutput<S>, "cookie", InferInput<S>, O>;
export function Cookie(schema: StandardSchemaV1 = STRING, options?: ParamOptions): Param {
  return new Param("cookie", schema, options);
}

/**
 * The JSON request body, validated by `schema`. With several bodies in one route (or `embed: true`) each is read
 * from the key of its name: `{"item": {...}, "user": {...}}`.
 * @example app.post("/items", { params: { item: Body(Item) } }, ({ item }) => item)
 */
export function Body<S extends StandardSchemaV1, const O extends BodyOptions = {}>(schema: S, options?: O): Param<InferOutput<S>, "body", InferInput<S>, O> {
  return new Param("body", schema, options);
}

/**
 * A form field (`application/x-www-form-urlencoded` or `multipart/form-data`). An object schema reads the whole
 * form as one model.
 * @example { username: Form(z.string()), password: Form(z.string()) }
 */
export function Form(): Param<string, "form", string>;
export function Form<S extends StandardSchemaV1, const O extends ParamOptions = {}>(schema: S, options?: O): Param<InferOutput<S>, "form", InferInput<S>, O>;
export function Form(schema: StandardSchemaV1 = STRING, options?: ParamOptions): Param {
  return new Param("form", schema, options);
}

/**
 * An uploaded file from a `multipart/form-data` body, streamed to memory or a temporary file and removed after
 * the response. `File({ optional: true })` accepts a form without it.
 * @example app.post("/upload", { params: { file: File() } }, async ({ file }) => ({ name: file.filename, size: file.size }))
 */
export function File<const O extends FileOptions & { optional?: false } = {}>(options?: O): Param<UploadFile, "file", Blob, O>;
export function File<const O extends FileOptions & { optional: true }>(options: O): Param<UploadFile | undefined, "file", Blob | undefined, O>;
export function File(options: FileOptions & { optional?: boolean } = {}): Param {
  return new Param("file", undefined, options, { multiple: false, optional: options.optional === true });
}

/**
 * Every file uploaded under one field name (possibly none when `optional`).
 * @example { files: Files() }
 */
export function Files<const O extends FileOptions & { optional?: boolean } = {}>(options: O = {} as O): Param<UploadFile[], "file", Blob[], O> {
  return new Param("file", undefined, options, { multiple: true, optional: options.optional === true });
}

/** True for the markers created by `Path`, `Query`, `Header`, `Cookie`, `Body`, `Form`, `File`, `Files`. */
export function isParam(value: unknown): value is Param {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[PARAM_BRAND] === true;
}
