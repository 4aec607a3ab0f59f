import type { RequestContext } from "../context.ts";
import type { InferParams, ParamsSpec } from "../params/marker.ts";
import type { StandardSchemaV1 } from "../schema/standard-schema.ts";
import type { Handler, HandlerResult, RouteOptions } from "./route-options.ts";

/** HTTP methods with a shorthand. */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

/** A route definition as declared, before an app compiles it. */
export interface RouteDefinition {
  readonly methods: readonly string[];
  readonly path: string;
  readonly options: RouteOptions<ParamsSpec, StandardSchemaV1 | undefined>;
  readonly handler: Handler<ParamsSpec, unknown>;
}

/**
 * What a registration call knows about its route at the type level: the method(s), the path template, the declared
 * params, the response model and what the handler returns. `app.get(...)` returns the route with this attached, so
 * `createClient<typeof routes>()` can type requests and responses without code generation (see `docs/client.md`).
 *
 * @example type Path = (typeof readItem)["~route"]["path"]; // "/items/{item_id}"
 */
export interface RouteInfo<M extends string = string, Path extends string = string, P = unknown, R = unknown, T = unknown> {
  readonly method: M;
  readonly path: Path;
  readonly params: P;
  readonly response: R;
  readonly result: T;
}

/**
 * The type-only slot that carries a route's {@link RouteInfo}; never set at runtime.
 *
 * @example
 * export const readItem = app.get("/items/{item_id}", { params: { item_id: Path(z.int()) } }, ({ item_id }) => ({ item_id }));
 * type Info = (typeof readItem)["~route"]; // { method: "GET"; path: "/items/{item_id}"; … }
 */
export interface RouteTypes<I extends RouteInfo = RouteInfo> {
  readonly "~route": I;
}

/**
 * What a registration call returns: the registrar's result (a `Route` for an app) with its {@link RouteTypes}.
 * @example const route: Registered<Route, "GET", "/items", {}, undefined, string[]> = app.get("/items", {}, () => ["a"]);
 */
export type Registered<Result, M extends string, Path extends string, P, R, T> = Result & RouteTypes<RouteInfo<M, Path, P, R, T>>;

/** A handler as registration infers it: `T` is what it returns (checked against the response model). */
type TypedHandler<P extends ParamsSpec, T> = (args: InferParams<P>, ctx: RequestContext) => T | Promise<T>;

/**
 * The verb methods shared by `App` and `Router`: one route signature, `(path, options, handler)`, whose options
 * type the handler's arguments.
 */
export abstract class RouteRegistrar<Result> {
  /** Registers a route for one or more methods; `get`/`post`/… are shorthands. */
  route<M extends string, Path extends string, P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined, T extends HandlerResult<R> = HandlerResult<R>>(
    methods: M | readonly M[],
    path: Path,
    options: RouteOptions<P, R>,
    handler: TypedHandler<P, T>,
  ): Registered<Result, Uppercase<M>, Path, P, R, T> {
    const list = (typeof methods === "string" ? [methods] : [...methods]).map((m) => m.toUpperCase());
    return this.addRoute({
      methods: list,
      path,
      options: options as RouteOptions<ParamsSpec, StandardSchemaV1 | undefined>,
      handler: handler as Handler<ParamsSpec, unknown>,
    }) as Registered<Result, Uppercase<M>, Path, P, R, T>;
  }

  /** Registers a `GET` route (it also answers `HEAD`). */
  get<Path extends string, P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined, T extends HandlerResult<R> = HandlerResult<R>>(
    path: Path, options: RouteOptions<P, R>, handler: TypedHandler<P, T>,
  ): Registered<Result, "GET", Path, P, R, T> {
    return this.route("GET", path, options, handler);
  }
  /** Registers a `POST` route. */
  post<Path extends string, P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined, T extends HandlerResult<R> = HandlerResult<R>>(
    path: Path, options: RouteOptions<P, R>, handler: TypedHandler<P, T>,
  ): Registered<Result, "POST", Path, P, R, T> {
    return this.route("POST", path, options, handler);
  }
  /** Registers a `PUT` route. */
  put<Path extends string, P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined, T extends HandlerResult<R> = HandlerResult<R>>(
    path: Path, options: RouteOptions<P, R>, handler: TypedHandler<P, T>,
  ): Registered<Result, "PUT", Path, P, R, T> {
    return this.route("PUT", path, options, handler);
  }
  /** Registers a `PATCH` route. */
  patch<Path extends string, P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined, T extends HandlerResult<R> = HandlerResult<R>>(
    path: Path, options: RouteOptions<P, R>, handler: TypedHandler<P, T>,
  ): Registered<Result, "PATCH", Path, P, R, T> {
    return this.route("PATCH", path, options, handler);
  }
  /** Registers a `DELETE` route. */
  delete<Path extends string, P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined, T extends HandlerResult<R> = HandlerResult<R>>(
    path: Path, options: RouteOptions<P, R>, handler: TypedHandler<P, T>,
  ): Registered<Result, "DELETE", Path, P, R, T> {
    return this.route("DELETE", path, options, handler);
  }
  /** Registers a `HEAD` route (GET routes already answer HEAD). */
  head<Path extends string, P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined, T extends HandlerResult<R> = HandlerResult<R>>(
    path: Path, options: RouteOptions<P, R>, handler: TypedHandler<P, T>,
  ): Registered<Result, "HEAD", Path, P, R, T> {
    return this.route("HEAD", path, options, handler);
  }
  /** Registers an `OPTIONS` route. */
  options<Path extends string, P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined, T extends HandlerResult<R> = HandlerResult<R>>(
    path: Path, options: RouteOptions<P, R>, handler: TypedHandler<P, T>,
  ): Registered<Result, "OPTIONS", Path, P, R, T> {
    return this.route("OPTIONS", path, options, handler);
  }

  /** Stores or compiles one route definition. */
  protected abstract addRoute(definition: RouteDefinition): Result;
}
