import type { RequestContext } from "../context.ts";
import { DEPENDS_BRAND, type InferParams, type Marker, type ParamsSpec } from "../params/marker.ts";

/**
 * How long a dependency's value lives. `"function"` and `"request"` say when a generator's code after `yield`
 * runs (after the handler, or after the response is sent); `"app"` makes one value for the whole app — created at
 * startup (or on first use), shared by every request, torn down at shutdown.
 */
export type DependencyScope = "function" | "request" | "app";

/** Options of {@link Depends}. */
export interface DependsOptions {
  /**
   * Reuse the value when the same dependency appears several times in one request's graph (default `true`).
   * `false` calls it again for this use.
   */
  useCache?: boolean;
  /**
   * For generator dependencies: `"request"` (default) runs the teardown after the response is sent (so streamed
   * responses can still use the resource); `"function"` runs it right after the handler, before the response is
   * sent — use it when the teardown can fail and the client must know (e.g. a transaction commit). `"app"` creates
   * the value once per app (a connection pool, a loaded model) and runs its teardown at shutdown; it may only depend
   * on other app-scoped dependencies, never on request parameters.
   */
  scope?: DependencyScope;
}

/** What a dependency may return: a value, a promise, or a (async) generator that yields the value once. */
export type DependencyResult<T> = T | Promise<T> | Generator<T, unknown, undefined> | AsyncGenerator<T, unknown, undefined>;

/** The value a dependency function's return type resolves to (the yielded value for generators). */
export type Resolved<R> =
  R extends AsyncGenerator<infer Y, unknown, never> ? Y : R extends Generator<infer Y, unknown, never> ? Y : Awaited<R>;

/** A dependency function: receives its declared params and the request context. */
export type DependencyFn<A, R> = (args: A, ctx: RequestContext) => R;

/**
 * A stateful, configurable dependency written as a class (FastAPI's callable class instances, seed ex. 28):
 * `params` declares its inputs, `call` runs per request with the instance's configuration.
 */
export interface Injectable<P extends ParamsSpec, R> {
  readonly params: P;
  call(args: InferParams<P>, ctx: RequestContext): R;
}

/**
 * A resolved dependency marker. `key` identifies it for per-request caching and `dependencyOverrides`: the
 * function, or the instance for class-based dependencies, so every `Depends(getDb)` is the same dependency.
 */
export class Dependency<T = unknown> implements Marker<T> {
  readonly [DEPENDS_BRAND] = true;
  // Required at the type level only (see ValueOf): never assigned at runtime.
  declare readonly "~value": T;
  constructor(
    readonly key: object,
    readonly params: ParamsSpec,
    readonly call: (args: Record<string, unknown>, ctx: RequestContext) => unknown,
    readonly options: Readonly<Required<DependsOptions>>,
    /** A readable name for errors and the OpenAPI operation (function or class name). */
    readonly name: string,
    /** OpenAPI data a dependency carries (security schemes use it); read by the OpenAPI generator. */
    readonly openapi?: DependencyOpenAPI,
    /** OAuth2 scopes this use requires (`Security(dep, { scopes })`); accumulated down the graph. */
    readonly scopes: readonly string[] = [],
  ) {}
}

/**
 * What a dependency contributes to the OpenAPI operations that use it. A security scheme is documented once in
 * `components.securitySchemes` under `name`, and each operation gets a `security` requirement with the scopes
 * accumulated along the path to it.
 */
export interface DependencyOpenAPI {
  readonly securityScheme?: { readonly name: string; readonly scheme: Readonly<Record<string, unknown>> };
}

const DEFAULTS: Required<DependsOptions> = { useCache: true, scope: "request" };

/**
 * Declares a dependency: a function (sync, async, or a generator whose code after `yield` is teardown), a function
 * with its own parameters, or a class instance with `params` and `call`. The result is a reusable marker: put it in
 * a route's `params` to receive its value, or in `dependencies` for its side effects.
 *
 * @example
 * async function* getDb() { const tx = await pool.begin(); try { yield tx; await tx.commit(); } catch (e) { await tx.rollback(); throw e; } }
 * const pagination = Depends({ skip: Query(z.number().int().default(0)) }, ({ skip }) => ({ skip }));
 * app.get("/items", { params: { db: Depends(getDb), page: pagination } }, ({ db, page }) => …);
 */
export function Depends<R>(fn: DependencyFn<Record<string, never>, R>, options?: DependsOptions): Dependency<Resolved<R>>;
export function Depends<const P extends ParamsSpec, R>(params: P, fn: DependencyFn<InferParams<P>, R>, options?: DependsOptions): Dependency<Resolved<R>>;
// A Dependency has `params` and `call` too, so its overload must come before the Injectable one (else its value
// type would be inferred as `unknown`).
export function Depends<T>(dependency: Dependency<T>, options?: DependsOptions): Dependency<T>;
export function Depends<P extends ParamsSpec, R>(instance: Injectable<P, R>, options?: DependsOptions): Dependency<Resolved<R>>;
export function Depends(first: unknown, second?: unknown, third?: unknown): Dependency {
  if (first instanceof Dependency) {
    const opts = { ...first.options, ...(second as DependsOptions | undefined) };
    return new Dependency(first.key, first.params, first.call, opts, first.name, first.openapi, first.scopes);
  }
  if (typeof first === "function") {
    const fn = first as Dependency["call"];
    return new Dependency(fn, {}, fn, { ...DEFAULTS, ...(second as DependsOptions | undefined) }, fn.name || "anonymous");
  }
  if (typeof first === "object" && first !== null) {
    const maybe = first as Partial<Injectable<ParamsSpec, unknown>>;
    if (typeof maybe.call === "function" && typeof maybe.params === "object") {
      const instance = first as Injectable<ParamsSpec, unknown>;
      const call = instance.call.bind(instance) as Dependency["call"];
      const name = (instance.constructor?.name ?? "instance") + ".call";
      return new Dependency(instance, instance.params, call, { ...DEFAULTS, ...(second as DependsOptions | undefined) }, name);
    }
    if (typeof second === "function") {
      const fn = second as Dependency["call"];
      return new Dependency(fn, first as ParamsSpec, fn, { ...DEFAULTS, ...(third as DependsOptions | undefined) }, fn.name || "anonymous");
    }
  }
  throw new TypeError(
    "Depends() takes a function, a params object and a function, a class instance with `params` and `call`, or another Depends(); got " +
      describe(first),
  );
}

/** True for markers created by {@link Depends}. */
export function isDependency(value: unknown): value is Dependency {
  return value instanceof Dependency;
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}
