import type { Dependency } from "./di/depends.ts";
import { DependencyOverrides } from "./di/overrides.ts";
import type { ContentTypePolicy } from "./di/solve.ts";
import { ExceptionHandlers, type ErrorClass, type ExceptionHandler } from "./errors/exception-handlers.ts";
import { HTTPException } from "./errors/http-exception.ts";
import { runResponseSent } from "./http/after-response.ts";
import { ClientDisconnectedError } from "./http/body.ts";
import type { FormLimits } from "./http/form-parse.ts";
import type { RawRequest, RawResponse } from "./http/raw.ts";
import { DEFAULT_LIMITS, Request, type RequestLimits } from "./http/request.ts";
import { RedirectResponse, type Response } from "./http/response.ts";
import { consoleLogger, type Logger } from "./logger.ts";
import type { ParamsSpec } from "./params/marker.ts";
import { runRoute } from "./pipeline.ts";
import { RadixRouter } from "./routing/radix-router.ts";
import { Route } from "./routing/route.ts";
import type { Handler, RouteOptions } from "./routing/route-options.ts";
import type { StandardSchemaV1 } from "./schema/standard-schema.ts";
import { Lifespan, type LifespanFn } from "./lifespan.ts";

/** Options of {@link App}. */
export interface AppOptions {
  /** API title, version and description, shown in the OpenAPI document. */
  title?: string;
  version?: string;
  description?: string;
  /** Dependencies run before every route of the app (auth, rate limits). */
  dependencies?: readonly Dependency<any>[];
  /** Body and form size limits. */
  limits?: { bodySize?: number; form?: Partial<FormLimits> };
  /** Where errors that cannot reach the client are reported. Default: the console. */
  logger?: Logger;
  /** Redirect `/items/` ↔ `/items` with 307 when only the other exists (default `true`, as FastAPI). */
  redirectSlashes?: boolean;
  /** A JSON route receiving another content type answers 422 (default, as FastAPI) or 415. */
  wrongContentType?: 422 | 415;
  /** Startup and shutdown: an async generator whose code before `yield` runs at startup, after it at shutdown. */
  lifespan?: LifespanFn;
}

type Methods = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS";

/**
 * A Typefast application: routes with typed parameters and dependencies, validation, exception handlers, and the
 * Node request handler `app.handle` that `serve()` and the test client drive.
 *
 * @example
 * const app = new App({ title: "Shop" });
 * app.get("/items/{item_id}", { params: { item_id: Path(z.number().int()) } }, ({ item_id }) => ({ item_id }));
 * serve(app, { port: 8000 });
 */
export class App {
  readonly title: string;
  readonly version: string;
  readonly description: string | undefined;
  /** Replace dependencies (in tests): `app.dependencyOverrides.set(getDb, fakeDb)`. */
  readonly dependencyOverrides = new DependencyOverrides();
  readonly exceptionHandlers: ExceptionHandlers;
  readonly logger: Logger;
  readonly limits: RequestLimits;
  /** @internal How JSON routes treat other content types. */
  readonly wrongContentType: ContentTypePolicy;
  readonly #routes: Route[] = [];
  readonly #router = new RadixRouter<Route>();
  readonly #dependencies: readonly Dependency[];
  readonly #redirectSlashes: boolean;
  readonly #lifespan: Lifespan;

  constructor(options: AppOptions = {}) {
    this.title = options.title ?? "Typefast";
    this.version = options.version ?? "0.1.0";
    this.description = options.description;
    this.logger = options.logger ?? consoleLogger;
    this.exceptionHandlers = new ExceptionHandlers(this.logger);
    this.limits = {
      bodySize: options.limits?.bodySize ?? DEFAULT_LIMITS.bodySize,
      form: { ...DEFAULT_LIMITS.form, ...options.limits?.form },
    };
    this.wrongContentType = options.wrongContentType === 415 ? "415" : "422";
    this.#dependencies = options.dependencies ?? [];
    this.#redirectSlashes = options.redirectSlashes ?? true;
    this.#lifespan = new Lifespan(this, options.lifespan);
  }

  /** The registered routes, in registration order. */
  get routes(): readonly Route[] {
    return this.#routes;
  }

  /** Registers a route for one or more methods; `get`/`post`/… are shorthands. */
  route<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(
    methods: Methods | readonly Methods[] | string | readonly string[],
    path: string,
    options: RouteOptions<P, R>,
    handler: Handler<P, R>,
  ): Route {
    const list = (typeof methods === "string" ? [methods] : [...methods]).map((m) => m.toUpperCase());
    const route = new Route(list, path, options as RouteOptions<ParamsSpec, StandardSchemaV1 | undefined>, handler as Handler<ParamsSpec, unknown>, this.#dependencies);
    for (const method of list) this.#router.add(method, path, route);
    this.#routes.push(route);
    return route;
  }

  /** Registers a `GET` route (also answers `HEAD`). */
  get<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Route {
    return this.route("GET", path, options, handler);
  }
  /** Registers a `POST` route. */
  post<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Route {
    return this.route("POST", path, options, handler);
  }
  /** Registers a `PUT` route. */
  put<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Route {
    return this.route("PUT", path, options, handler);
  }
  /** Registers a `PATCH` route. */
  patch<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Route {
    return this.route("PATCH", path, options, handler);
  }
  /** Registers a `DELETE` route. */
  delete<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Route {
    return this.route("DELETE", path, options, handler);
  }
  /** Registers a `HEAD` route (GET routes already answer HEAD). */
  head<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Route {
    return this.route("HEAD", path, options, handler);
  }
  /** Registers an `OPTIONS` route. */
  options<P extends ParamsSpec = {}, R extends StandardSchemaV1 | undefined = undefined>(path: string, options: RouteOptions<P, R>, handler: Handler<P, R>): Route {
    return this.route("OPTIONS", path, options, handler);
  }

  /**
   * Handles errors of a class (and its subclasses), or HTTP exceptions of one status, with your own response.
   * @example app.exceptionHandler(HTTPException, (req, exc) => new JSONResponse({ error: exc.detail }, { status: exc.status }))
   */
  exceptionHandler<E>(match: ErrorClass<E> | number, handler: ExceptionHandler<E>): this {
    this.exceptionHandlers.add(match as ErrorClass<unknown> | number, handler);
    return this;
  }

  /** Runs the lifespan's startup part (once). `serve()` and `TestClient.start()` call it. */
  startup(): Promise<void> {
    return this.#lifespan.startup();
  }

  /** Runs the lifespan's shutdown part (once, after startup). */
  shutdown(): Promise<void> {
    return this.#lifespan.shutdown();
  }

  /** What the lifespan yielded at startup (e.g. `{ db }`), or `undefined`. */
  get state(): unknown {
    return this.#lifespan.state;
  }

  /** The Node request handler: `http.createServer(app.handle)`. */
  readonly handle = (raw: RawRequest, res: RawResponse): void => {
    const url = raw.url || "/";
    const q = url.indexOf("?");
    let path = q === -1 ? url : url.slice(0, q);
    const query = q === -1 ? "" : url.slice(q + 1);
    let request: Request;
    let pending: Promise<Response>;
    try {
      if (path.indexOf("%") !== -1) path = decodePath(path);
      const match = this.#router.find(raw.method || "GET", path);
      if (match !== null && "value" in match) {
        request = new Request(raw, path, query, match.params, this.limits);
        pending = runRoute(this, match.value, request);
      } else {
        request = new Request(raw, path, query, EMPTY_PARAMS, this.limits);
        pending = this.#noRoute(request, match === null ? undefined : match.allowed);
      }
    } catch (error) {
      request = new Request(raw, "/", "", EMPTY_PARAMS, this.limits);
      pending = this.exceptionHandlers.handle(request, error);
    }
    pending.then(
      (response) => this.#send(request, response, res),
      (error) => this.#crash(request, res, error),
    );
  };

  async #noRoute(request: Request, allowed: string[] | undefined): Promise<Response> {
    if (allowed !== undefined) {
      return this.exceptionHandlers.handle(request, new HTTPException(405, "Method Not Allowed", { allow: allowed.join(", ") }));
    }
    if (this.#redirectSlashes && request.path !== "/") {
      const other = request.path.endsWith("/") ? request.path.slice(0, -1) : request.path + "/";
      if (this.#router.find(request.method, other) !== null) {
        const target = encodeURI(other) + (request.queryString ? `?${request.queryString}` : "");
        return new RedirectResponse(target, 307);
      }
    }
    return this.exceptionHandlers.handle(request, new HTTPException(404, "Not Found"));
  }

  async #send(request: Request, response: Response, res: RawResponse): Promise<void> {
    try {
      const sent = response.send(res, { method: request.method, requestHeaders: request.headers });
      if (sent instanceof Promise) await sent;
    } catch (error) {
      if (error instanceof ClientDisconnectedError) return this.#finish(request);
      if (!res.headersSent) {
        // e.g. a FileResponse whose file is gone: answer through the exception handlers instead.
        const fallback = await this.exceptionHandlers.handle(request, error);
        await fallback.send(res, { method: request.method, requestHeaders: request.headers });
      } else {
        this.logger.error(`Sending the response of ${request.method} ${request.path} failed`, error);
        res.destroy();
      }
    }
    return this.#finish(request);
  }

  async #finish(request: Request): Promise<void> {
    await runResponseSent(request, (e) => this.logger.error(`After-response work of ${request.method} ${request.path} failed`, e));
    await request.close().catch((e) => this.logger.error("Releasing request resources failed", e));
  }

  // Only reachable through a bug in the framework itself; never leave the client hanging.
  #crash(request: Request, res: RawResponse, error: unknown): void {
    this.logger.error(`Internal failure while handling ${request.method} ${request.path}`, error);
    if (!res.headersSent) {
      res.writeHead(500, { "content-type": "application/json", "content-length": 35 });
      res.end('{"detail":"Internal Server Error"}\n');
    } else res.destroy();
  }
}

const EMPTY_PARAMS: Record<string, string> = Object.freeze(Object.create(null));

function decodePath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    throw new HTTPException(400, "Invalid percent-encoding in the URL path");
  }
}
