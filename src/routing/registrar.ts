import type { ParamsSpec } from "../params/marker.ts";
import type { StandardSchemaV1 } from "../schema/standard-schema.ts";
import type { Handler, RouteOptions } from "./route-options.ts";

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
 * The verb methods shared by `App` and `Router`: one route signature, `(path, options, handler)`, whose options
 * type the handler's arguments.
 */
export abstract class RouteRegistrar<Result> {
  /** Registers a route for one or more methods; `get`/`post`/… are shorthands. */
  route<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(
    methods: HttpMethod | readonly HttpMethod[] | string | readonly string[],
    path: string,
    options: RouteOptions<P, R>,
    handler: Handler<P, R>,
  ): Result {
    const list = (typeof methods === "string" ? [methods] : [...methods]).map((m) => m.toUpperCase());
    return this.addRoute({
      methods: list,
      path,
      options: options as RouteOptions<ParamsSpec, StandardSchemaV1 | undefined>,
      handler: handler as Handler<ParamsSpec, unknown>,
    });
  }

  /** Registers a `GET` route (it also answers `HEAD`). */
  get<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Result {
    return this.route("GET", path, options, handler);
  }
  /** Registers a `POST` route. */
  post<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Result {
    return this.route("POST", path, options, handler);
  }
  /** Registers a `PUT` route. */
  put<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Result {
    return this.route("PUT", path, options, handler);
  }
  /** Registers a `PATCH` route. */
  patch<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Result {
    return this.route("PATCH", path, options, handler);
  }
  /** Registers a `DELETE` route. */
  delete<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Result {
    return this.route("DELETE", path, options, handler);
  }
  /** Registers a `HEAD` route (GET routes already answer HEAD). */
  head<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Result {
    return this.route("HEAD", path, options, handler);
  }
  /** Registers an `OPTIONS` route. */
  options<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Result {
    return this.route("OPTIONS", path, options, handler);
  }

  /** Stores or compiles one route definition. */
  protected abstract addRoute(definition: RouteDefinition): Result;
}
