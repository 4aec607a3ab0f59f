/**
 * The internal contract between models, their wrappers (`.array()`, `.optional()`, `.nullable()`) and the response
 * path. A model reads a request one way (wire keys → field names) and writes a response the other way (field names
 * → wire keys, plus computed fields), so besides Standard Schema's `validate` it carries a second, response-side
 * reader under the {@link SERIAL} symbol.
 */
import type { JsonSchema, StandardIssue, StandardSchemaV1 } from "../schema/standard-schema.ts";

/** How a response is written: the options of {@link SerializeOptions}, resolved once per route. */
export interface SerializeOptions {
  /**
   * Write aliased names (`productId`) rather than field names (`product_id`). Default: the model's
   * `serializeByAlias` (itself `true` by default, as FastAPI's `response_model_by_alias`).
   */
  byAlias?: boolean;
  /** Leave out fields the client did not send (for values parsed from a request) or the value did not have. */
  excludeUnset?: boolean;
  /** Leave out fields equal to their default. */
  excludeDefaults?: boolean;
  /** Leave out fields whose value is `null`. */
  excludeNone?: boolean;
  /** Only these fields (by field name) of the top-level model — of each item, for a list. */
  include?: Iterable<string>;
  /** Never these fields (by field name) of the top-level model — of each item, for a list. */
  exclude?: Iterable<string>;
}

/** {@link SerializeOptions} resolved once per route: shared by every request, never changed. */
export interface DumpOptions {
  readonly byAlias: boolean | undefined;
  readonly excludeUnset: boolean;
  readonly excludeDefaults: boolean;
  readonly excludeNone: boolean;
  readonly include: ReadonlySet<string> | undefined;
  readonly exclude: ReadonlySet<string> | undefined;
}

/** The state of one response dump: the options and the problems found so far. */
export interface DumpContext {
  readonly options: DumpOptions;
  readonly issues: StandardIssue[];
}

/** Options that shape a model's JSON Schema: the serialized form depends on them. */
export interface SchemaOptions {
  readonly options: DumpOptions;
  /** Apply `include`/`exclude` here (the top-level model, or the items of a top-level list). */
  readonly top: boolean;
  readonly target: string;
}

/** The response-side half of a model or wrapper. */
export interface Serial {
  /**
   * Validates a handler's value by field names and returns its JSON-ready wire form. Problems are pushed to
   * `ctx.issues` with `path` prefixed; the return value is then meaningless.
   */
  dump(value: unknown, ctx: DumpContext, path: readonly (string | number)[], top: boolean): unknown;
  /** A function doing what {@link Serial.dump} does, written straight to JSON text; made once per options. */
  writer(options: DumpOptions, top: boolean): Writer;
  /** The JSON Schema of what `validate` accepts (`input`) or of the serialized form under `options` (`output`). */
  jsonSchema(io: "input" | "output", options: SchemaOptions): JsonSchema;
  /** Whether `undefined` is accepted (the field may be absent), and what it becomes. */
  readonly absent: { readonly ok: boolean; readonly value: unknown };
}

/**
 * Writes a value's JSON text, or returns `undefined` (absent, or invalid: issues pushed to `ctx`). Issue paths
 * start with `path`; a container passes its own path and inserts the child's key afterwards with {@link keyIssues},
 * so the valid case allocates no paths.
 */
export type Writer = (value: unknown, ctx: DumpContext, path: readonly (string | number)[]) => string | undefined;

/** Inserts `key` after the first `depth` path segments of the issues pushed since `from`. */
export function keyIssues(ctx: DumpContext, from: number, depth: number, key: string | number): void {
  for (let i = from; i < ctx.issues.length; i++) {
    const issue = ctx.issues[i]!;
    const path = [...(issue.path ?? [])];
    path.splice(depth, 0, key);
    ctx.issues[i] = { ...issue, path };
  }
}

/** Where models keep their response-side half. */
export const SERIAL: unique symbol = Symbol("typefast.serial");

/** A schema with a response-side half: a model or one of its wrappers. */
export interface Serializable extends StandardSchemaV1 {
  readonly [SERIAL]: Serial;
}

/** The response-side half of `schema`, when it is a model or a model wrapper. */
export function serialOf(schema: unknown): Serial | undefined {
  return typeof schema === "object" && schema !== null ? (schema as Partial<Serializable>)[SERIAL] : undefined;
}

/** What a model remembers about a value it parsed: itself, and the fields the client sent. */
export interface Origin {
  readonly serial: Serial;
  readonly fieldsSet: ReadonlySet<string>;
}

/** Values parsed by a model → their origin. Weak, so parsed values are collected as usual. */
export const origins = new WeakMap<object, Origin>();

/** Whether any model has parsed a value yet: until then, looking a value up in {@link origins} is pointless. */
export const originsState = { used: false };

/** Resolves serialization options. */
export function dumpOptions(options: SerializeOptions = {}): DumpOptions {
  return Object.freeze({
    byAlias: options.byAlias,
    excludeUnset: options.excludeUnset === true,
    excludeDefaults: options.excludeDefaults === true,
    excludeNone: options.excludeNone === true,
    include: options.include === undefined ? undefined : new Set(options.include),
    exclude: options.exclude === undefined ? undefined : new Set(options.exclude),
  });
}

/** The default options: by alias (each model's own default), nothing excluded. */
export const DEFAULT_OPTIONS: DumpOptions = dumpOptions();

/** A fresh dump context. */
export function dumpContext(options: DumpOptions = DEFAULT_OPTIONS): DumpContext {
  return { options, issues: [] };
}

/** True when `options` write each model exactly as its own defaults say (so its JSON Schema keeps its id). */
export function isDefault(options: DumpOptions): boolean {
  return (
    options.byAlias === undefined && !options.excludeUnset && !options.excludeDefaults && !options.excludeNone &&
    options.include === undefined && options.exclude === undefined
  );
}

/** Prefixes an issue's path (Standard Schema paths may hold `{ key }` segments; they are kept as they are). */
export function prefixIssue(issue: StandardIssue, prefix: readonly (string | number)[]): StandardIssue {
  if (prefix.length === 0) return issue;
  return { ...issue, path: [...prefix, ...(issue.path ?? [])] };
}

/** Sets an own enumerable property, even for the key `__proto__` (which plain assignment would treat as the prototype). */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}
