import type { Dependency } from "./di/depends.ts";
import { DependencyOverrides } from "./di/overrides.ts";
import type { ContentTypePolicy } from "./di/solve.ts";
import { ExceptionHandlers, type ErrorClass, type ExceptionHandler } from "./errors/exception-handlers.ts";
import { HTTPException } from "./errors/http-exception.ts";
import { hasResponseSentHooks, runResponseSent } from "./http/after-response.ts";
import { ClientDisconnectedError } from "./http/body.ts";
import type { FormLimits } from "./http/form-parse.ts";
import type { RawRequest, RawResponse } from "./http/raw.ts";
import { DEFAULT_LIMITS, Request, type RequestLimits } from "./http/request.ts";
import { RedirectResponse, Response } from "./http/response.ts";
import { consoleLogger, type Logger } from "./logger.ts";
import { runRoute } from "./pipeline.ts";
import { ANY_METHOD, RadixRouter } from "./routing/radix-router.ts";
import { Route } from "./routing/route.ts";
import { RouteRegistrar, type RouteDefinition } from "./routing/registrar.ts";
import { applySettings, applySocketSettings, Router, type RouterOptions } from "./routing/router.ts";
import { AppScope, Lifespan, type LifespanFn } from "./lifespan.ts";
import { resumeRequestFrame } from "./request-context/storage.ts";
import { composeMiddleware, entryOf, type BaseHTTPMiddleware, type CallNext, type MiddlewareFn, type StackEntry } from "./middleware/middleware.ts";
import { TypefastError } from "./errors/typefast-error.ts";
import { AppOpenAPI, type OpenAPICustomizer, type OpenAPIOptions } from "./openapi/app-openapi.ts";
import type { OpenAPIDocument } from "./openapi/types.ts";
import { registerDocs, type DocsOptions } from "./docs/register.ts";
import { setMaxListeners } from "node:events";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import type { ParamsSpec } from "./params/marker.ts";
import type { StandardSchemaV1 } from "./schema/standard-schema.ts";
import { WebSocketRoute, WebSocketRouter, type WebSocketHandler, type WebSocketMatch, type WebSocketRouteOptions } from "./websocket/route.ts";
import { handleUpgrade } from "./websocket/upgrade.ts";
import { WebSocketExceptionHandlers, type WebSocketExceptionHandler } from "./websocket/exception-handlers.ts";
import { serveAsyncAPI } from "./asyncapi/serve.ts";

/** Options of {@link App}; the OpenAPI and docs options are described in `docs/openapi.md`. */
export interface AppOptions<State = unknown> extends OpenAPIOptions, DocsOptions {
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
  /**
   * Startup and shutdown: an async generator whose code before `yield` runs at startup, after it at shutdown. What
   * it yields becomes `app.state`, typed.
   */
  lifespan?: LifespanFn<State>;
}

/**
 * What `app.mount()` accepts: another {@link App}, `StaticFiles`, or anything that answers the requests under a
 * path prefix. `rootPath` is set by `mount()` to the full prefix (the request path still holds the whole path).
 *
 * @example
 * const hello: Mountable = { rootPath: "", handleMounted: async () => new PlainTextResponse("hi") };
 * app.mount("/hello", hello);
 */
export interface Mountable {
  rootPath: string;
  /** Answers one request whose path starts with `rootPath`. */
  handleMounted(request: Request): Promise<Response>;
  /** Run with the parent app's startup and shutdown, when present. */
  startup?(): Promise<void>;
  shutdown?(): Promise<void>;
  /** Told when the parent starts shutting down (readiness turns 503). */
  beginShutdown?(): void;
}

/** A mounted sub-app (or any ASGI-like handler of a path prefix). */
interface Mount {
  readonly prefix: string;
  readonly app: Mountable;
}

/** Internal route-table name of a mount's remaining path. */
const MOUNT_REST = "typefast_mount_rest";

/**
 * A Typefast application: routes with typed parameters and dependencies, validation, exception handlers, and the
 * Node request handler `app.handle` that `serve()` and the test client drive.
 *
 * @example
 * const app = new App({ title: "Shop" });
 * app.get("/items/{item_id}", { params: { item_id: Path(z.number().int()) } }, ({ item_id }) => ({ item_id }));
 * serve(app, { port: 8000 });
 */
export class App<State = unknown> extends RouteRegistrar<Route> implements Mountable {
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
  #rootPath = "";
  /** Where the OpenAPI document is served, or `null` when it (and the docs) are off. */
  readonly openapiUrl: string | null;
  /** Webhooks documented under `webhooks`: `app.webhooks.post("new-subscription", { params: { body: Body(Sub) } }, () => {})`. */
  readonly webhooks: Router;
  readonly #openapi: AppOpenAPI<App>;
  readonly #routes: Route[] = [];
  readonly #mounts: Mount[] = [];
  readonly #router = new RadixRouter<Route | Mount>();
  readonly #websockets = new WebSocketRouter<App<any>>();
  /** @internal See {@link websocketExceptionHandler}. */
  readonly websocketExceptionHandlers = new WebSocketExceptionHandlers();
  readonly #middleware: StackEntry[] = [];
  #stack: ((request: Request) => Response | Promise<Response>) | undefined;
  readonly #dependencies: readonly Dependency[];
  readonly #redirectSlashes: boolean;
  readonly #lifespan: Lifespan;
  // Every open event stream listens to it: no listener limit (see endEventStreams).
  readonly #closing = unlimited(new AbortController());
  /** @internal The values of `scope: "app"` dependencies. */
  readonly appScope = new AppScope();

  constructor(options: AppOptions<State> = {}) {
    super();
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
    this.#lifespan = new Lifespan(this, options.lifespan as LifespanFn<unknown> | undefined);
    this.openapiUrl = options.openapiUrl === undefined ? "/openapi.json" : options.openapiUrl;
    this.webhooks = options.webhooks ?? new Router();
    this.#openapi = new AppOpenAPI(options);
    registerDocs(this, this.openapiUrl, options, (path, name, handler) => {
      // Docs routes skip app dependencies (an auth dependency must not lock the docs), as in FastAPI.
      const route = new Route(["GET"], path, { includeInSchema: false, name }, handler, []);
      this.#router.add("GET", path, route);
      this.#routes.push(route);
    });
  }

  /**
   * The path this app is mounted at inside a parent app ("" at the top); docs and OpenAPI `servers` use it. Set by
   * `mount()`; passed on to this app's own mounts, whichever was mounted first.
   */
  get rootPath(): string {
    return this.#rootPath;
  }

  set rootPath(path: string) {
    this.#rootPath = path;
    for (const m of this.#mounts) m.app.rootPath = path + m.prefix;
  }

  /** The registered routes, in registration order. */
  get routes(): readonly Route[] {
    return this.#routes;
  }

  protected addRoute(d: RouteDefinition): Route {
    if (this.#stack !== undefined) this.#lateRegistration(`${d.methods.join(",")} ${d.path}`);
    const route = new Route(d.methods, d.path, d.options, d.handler, this.#dependencies);
    this.#openapi.routeAdded(route);
    for (const method of d.methods) this.#router.add(method, d.path, route);
    this.#routes.push(route);
    return route;
  }

  /**
   * The OpenAPI 3.1 document of this app, generated from the route plans on first call, then customized (see
   * {@link customizeOpenAPI}) and cached; adding a route drops the cache. Replace this method to build the
   * document yourself (FastAPI's `app.openapi = custom_openapi`).
   * @example const doc = app.openapi(); doc.paths["/items/{item_id}"].get.operationId
   */
  openapi(): OpenAPIDocument {
    return this.#openapi.document(this);
  }

  /**
   * The cached OpenAPI document (`undefined` before the first `openapi()` call). Assign `undefined` to make the
   * next call regenerate, or a document to serve that one.
   * @example app.openapiSchema = undefined; // regenerate on the next request
   */
  get openapiSchema(): OpenAPIDocument | undefined {
    return this.#openapi.schema;
  }
  set openapiSchema(document: OpenAPIDocument | undefined) {
    this.#openapi.schema = document;
  }

  /**
   * Post-processes the generated document (security schemes, `x-logo`, webhooks…): runs once per generation,
   * and its result is what `openapi()` caches and `/openapi.json` serves.
   * @example app.customizeOpenAPI((doc) => { doc.info["x-logo"] = { url: "/logo.png" }; })
   */
  customizeOpenAPI(fn: OpenAPICustomizer<App>): this {
    this.#openapi.customize(fn);
    return this;
  }

  /**
   * Adds a router's routes, with extra settings (prefix, tags, dependencies, responses) applied on top.
   * @example app.includeRouter(usersRouter, { prefix: "/v1" })
   */
  includeRouter(router: Router, options: RouterOptions = {}): this {
    for (const d of router.definitions) this.addRoute(applySettings(d, options));
    for (const d of router.websocketDefinitions) {
      const s = applySocketSettings(d, options);
      this.websocket(s.path, s.options, s.handler);
    }
    return this;
  }

  /**
   * Serves another app under a path prefix: it keeps its own routes, middleware, exception handlers and docs
   * (at `<prefix>/docs`). Its lifespan runs with this app's. Also mounts `StaticFiles` or any {@link Mountable}.
   * @example root.mount("/v1", v1App).mount("/static", new StaticFiles({ directory: "public" }))
   */
  mount(prefix: string, app: Mountable): this {
    if (!/^\/[^{}]*[^/]$/.test(prefix)) {
      throw new TypefastError("TF_MOUNT_PREFIX", `Mount prefix ${JSON.stringify(prefix)} must start with "/", not end with "/" and have no {params}, e.g. "/v1".`);
    }
    if ((app as unknown) === this) throw new TypefastError("TF_MOUNT_SELF", "An app cannot be mounted inside itself.");
    const mount: Mount = { prefix, app };
    app.rootPath = this.rootPath + prefix;
    this.#router.add(ANY_METHOD, prefix, mount);
    this.#router.add(ANY_METHOD, `${prefix}/{${MOUNT_REST}:path}`, mount);
    if (app instanceof App) this.#websockets.mount(prefix, app);
    this.#mounts.push(mount);
    return this;
  }

  /**
   * Registers a WebSocket route. Its params and dependencies (security included) are resolved before the handler
   * runs — a validation or auth failure closes the connection with 1008 — and generator dependencies are torn
   * down when the handler ends. The first WebSocket route also serves the AsyncAPI document at `/asyncapi.json`
   * (unless `openapiUrl` is `null`).
   * See `docs/realtime.md`.
   * @example app.websocket("/ws", {}, async (_, ws) => { await ws.accept(); for await (const t of ws.iterText()) await ws.sendText(t); })
   */
  websocket<P extends ParamsSpec = {}, In extends StandardSchemaV1 | undefined = undefined, Out extends StandardSchemaV1 | undefined = undefined>(
    path: string,
    options: WebSocketRouteOptions<P, In, Out>,
    handler: WebSocketHandler<P, In, Out>,
  ): this {
    const route = new WebSocketRoute(path, options, handler, this.#dependencies);
    // Served beside the OpenAPI document, and off with it (`openapiUrl: null`).
    if (this.#websockets.routes.length === 0 && this.openapiUrl !== null) serveAsyncAPI(this);
    this.#websockets.add(route);
    return this;
  }

  /**
   * Registers how an error escaping this app's WebSocket routes ends the conversation — the WebSocket counterpart
   * of {@link exceptionHandler}. The handler gets the socket (open, or still in its handshake when a dependency
   * failed) and the error, after generator dependencies were torn down.
   * @example app.websocketExceptionHandler(RoomNotFound, (ws, e) => ws.close(4404, `No room ${e.room}`))
   */
  websocketExceptionHandler<E>(errorClass: ErrorClass<E>, handler: WebSocketExceptionHandler<E>): this {
    this.websocketExceptionHandlers.add(errorClass, handler);
    return this;
  }

  /** The registered WebSocket routes, in registration order. */
  get websocketRoutes(): readonly WebSocketRoute[] {
    return this.#websockets.routes;
  }

  /** @internal The WebSocket route for a full request path, in this app or a mounted one. */
  matchWebSocket(path: string): WebSocketMatch<App<any>> | null {
    return this.#websockets.match(this, path);
  }

  /** The Node `upgrade` handler: `server.on("upgrade", app.handleUpgrade)` (`serve()` installs it). */
  readonly handleUpgrade = (raw: IncomingMessage, socket: Duplex, head: Buffer): void => handleUpgrade(this, raw, socket, head);

  /** The mounted sub-apps (and other mounted handlers), in mount order. */
  get mounts(): readonly { readonly prefix: string; readonly app: Mountable }[] {
    return this.#mounts;
  }

  /**
   * Adds a function middleware. The last added runs first (outermost), as in Starlette.
   * @example app.middleware(async (request, callNext) => { const r = await callNext(request); r.headers["x-app"] = "1"; return r; })
   */
  middleware(fn: MiddlewareFn): this {
    return this.#addEntry({ sync: false, run: fn });
  }

  /**
   * Adds a class middleware (a {@link BaseHTTPMiddleware} subclass), constructed once with `options`.
   * @example app.addMiddleware(RequestLogMiddleware, { logLevel: "INFO" })
   */
  addMiddleware<O>(cls: new (options: O) => BaseHTTPMiddleware, ...options: {} extends O ? [O?] : [O]): this {
    return this.#addEntry(entryOf(new cls((options[0] ?? {}) as O)));
  }

  #addEntry(entry: StackEntry): this {
    if (this.#stack !== undefined) this.#lateRegistration("middleware");
    this.#middleware.push(entry);
    return this;
  }

  /**
   * Handles errors of a class (and its subclasses), or HTTP exceptions of one status, with your own response.
   * @example app.exceptionHandler(HTTPException, (req, exc) => new JSONResponse({ error: exc.detail }, { status: exc.status }))
   */
  exceptionHandler<E>(match: ErrorClass<E> | number, handler: ExceptionHandler<E>): this {
    this.exceptionHandlers.add(match as ErrorClass<unknown> | number, handler);
    return this;
  }

  /**
   * Runs the lifespan's startup part (once), then creates the app-scoped dependencies the routes use, then starts
   * the mounted apps. `serve()` and `TestClient.start()` call it; a failure here means the app must not serve.
   */
  async startup(): Promise<void> {
    await this.#lifespan.startup();
    for (const route of this.#routes) await this.appScope.warm(route.plan(this.dependencyOverrides));
    for (const m of this.#mounts) await m.app.startup?.();
  }

  /**
   * Shuts down the mounted apps, tears down the app-scoped dependencies, then runs the lifespan's shutdown part
   * (once, after startup). Every part runs even if one fails; the first failure is re-thrown at the end.
   */
  async shutdown(): Promise<void> {
    this.#lifespan.beginShutdown();
    const failures: unknown[] = [];
    for (const m of [...this.#mounts].reverse()) await m.app.shutdown?.().catch((e: unknown) => void failures.push(e));
    await this.appScope.close((error, name) => {
      this.logger.error(`The teardown of app-scoped dependency ${name} failed`, error);
    });
    await this.#lifespan.shutdown().catch((e: unknown) => void failures.push(e));
    if (failures.length > 0) throw failures[0];
  }

  /**
   * Announces the shutdown: from now on `shuttingDown` is true, so readiness checks answer 503 while in-flight
   * requests finish. `serve()` calls it on SIGTERM before it stops accepting connections.
   */
  beginShutdown(): void {
    this.#lifespan.beginShutdown();
    for (const m of this.#mounts) m.app.beginShutdown?.();
  }

  /**
   * Ends every open Server-Sent Events stream of this app (mounted apps included) cleanly: the producer is stopped
   * and the stream gets its final chunk, so browsers reconnect — to another instance. Streams opened afterwards
   * end at once. `serve()` calls it when it stops accepting connections, as it closes WebSockets with 1001; call it
   * yourself when you run `app.handle` on a server of your own.
   * @example process.on("SIGTERM", () => { server.close(); app.endEventStreams(); closeWebSockets(app); })
   */
  endEventStreams(): void {
    this.#closing.abort();
  }

  /** True once a shutdown has been announced or started. */
  get shuttingDown(): boolean {
    return this.#lifespan.shuttingDown;
  }

  /**
   * What the lifespan yielded at startup (e.g. `{ db }`), typed from the lifespan function. Reading it before
   * startup throws `TF_STATE_BEFORE_STARTUP` (a test that forgot `await client.start()`); `undefined` when the app
   * has no lifespan.
   */
  get state(): State {
    if (this.#lifespan.defined && (this.#lifespan.phase === "idle" || this.#lifespan.phase === "starting")) {
      throw new TypefastError(
        "TF_STATE_BEFORE_STARTUP",
        "app.state was read before the lifespan's startup finished: serve(app) runs it, and in tests `await client.start()` (or `await using client = await new TestClient(app).start()`).",
      );
    }
    return this.#lifespan.state as State;
  }

  /** The Node request handler: `http.createServer(app.handle)`. */
  readonly handle = (raw: RawRequest, res: RawResponse): void => {
    const request = new Request(raw, this.limits);
    const stack = this.#stack ?? (this.#stack = this.#buildStack());
    let answer: Response | Promise<Response>;
    try {
      answer = stack(request);
    } catch (error) {
      // Routes never throw (runRoute turns every error into a response): this came from a middleware.
      return this.#recover(request, res, error);
    }
    // A synchronous route (see runRoute) behind built-in middleware only is sent in the same tick: no promise is
    // made for it at all.
    if (!(answer instanceof Promise)) return void this.#sendInContext(request, answer, res);
    answer.then(
      (response) => this.#sendInContext(request, response, res),
      (error) => this.#recover(request, res, error),
    );
  };

  // A request context opened by middleware also covers a streamed body, background tasks and teardown. A buffered
  // response with nothing to do after it runs no code of the app while it is sent: it needs no context.
  #sendInContext(request: Request, response: Response, res: RawResponse): void | Promise<void> {
    if (response.send === BUFFERED_SEND && request.afterResponse === undefined && !request.holdsResources) return this.#send(request, response, res);
    return resumeRequestFrame(request, () => this.#send(request, response, res));
  }

  /** Answers a request routed to this app from a parent (mounted at `rootPath`), through this app's middleware. */
  handleMounted(request: Request): Promise<Response> {
    const stack = this.#stack ?? (this.#stack = this.#buildStack());
    let answer: Response | Promise<Response>;
    try {
      answer = stack(request);
    } catch (error) {
      return this.exceptionHandlers.handle(request, error);
    }
    if (!(answer instanceof Promise)) return Promise.resolve(answer);
    if (this.#middleware.length === 0) return answer;
    return answer.catch((error) => this.exceptionHandlers.handle(request, error));
  }

  // Built on the first request, then frozen: adding routes or middleware after that is a bug worth reporting.
  // The stack may answer synchronously (a synchronous route, behind built-in middleware only).
  #buildStack(): (request: Request) => Response | Promise<Response> {
    const inner = (request: Request) => this.#dispatch(request, request.path.slice(this.rootPath.length) || "/");
    return this.#middleware.length === 0 ? inner : composeMiddleware(this.#middleware, inner);
  }

  // An error thrown by a middleware becomes a response through the exception handlers. Done here, on the rejection
  // path, rather than with a `.catch` around the stack: that would cost every request one more promise, which
  // counts on Node 20 when a request context makes every promise run hooks.
  #recover(request: Request, res: RawResponse, error: unknown): void {
    this.exceptionHandlers.handle(request, error).then(
      (response) => this.#sendInContext(request, response, res),
      (failure) => this.#crash(request, res, failure),
    );
  }

  #dispatch(request: Request, path: string): Response | Promise<Response> {
    if (!request.pathValid) {
      return this.exceptionHandlers.handle(request, new HTTPException(400, "Invalid percent-encoding in the URL path"));
    }
    const match = this.#router.find(request.method, path);
    if (match !== null && "value" in match) {
      const target = match.value;
      if (target instanceof Route) {
        request.pathParams = match.params;
        return runRoute(this, target, request);
      }
      return target.app.handleMounted(request);
    }
    return this.#noRoute(request, path, match === null ? undefined : match.allowed);
  }

  async #noRoute(request: Request, path: string, allowed: string[] | undefined): Promise<Response> {
    if (allowed !== undefined) {
      return this.exceptionHandlers.handle(request, new HTTPException(405, "Method Not Allowed", { allow: allowed.join(", ") }));
    }
    if (this.#redirectSlashes && path !== "/") {
      const other = path.endsWith("/") ? path.slice(0, -1) : path + "/";
      if (this.#router.find(request.method, other) !== null) {
        const target = encodeURI(this.rootPath + other) + (request.queryString ? `?${request.queryString}` : "");
        return new RedirectResponse(target, 307);
      }
    }
    return this.exceptionHandlers.handle(request, new HTTPException(404, "Not Found"));
  }

  #lateRegistration(what: string): never {
    throw new TypefastError(
      "TF_LATE_REGISTRATION",
      `Cannot add ${what} after the app started serving requests: register routes and middleware before serve() or the first test request.`,
    );
  }

  // Synchronous for a plain response with nothing to do after it; a promise only when there is something to wait for.
  #send(request: Request, response: Response, res: RawResponse): void | Promise<void> {
    let sent: void | Promise<void>;
    try {
      sent = response.send(res, { method: request.method, requestHeaders: request.headers, closing: this.#closing.signal });
    } catch (error) {
      return this.#sendFailed(request, res, error);
    }
    if (sent instanceof Promise) {
      return sent.then(
        () => this.#finish(request),
        (error) => this.#sendFailed(request, res, error),
      );
    }
    return this.#finish(request);
  }

  async #sendFailed(request: Request, res: RawResponse, error: unknown): Promise<void> {
    try {
      if (error instanceof ClientDisconnectedError) return;
      if (!res.headersSent) {
        // e.g. a FileResponse whose file is gone: answer through the exception handlers instead.
        const fallback = await this.exceptionHandlers.handle(request, error);
        await fallback.send(res, { method: request.method, requestHeaders: request.headers });
      } else {
        this.logger.error(`Sending the response of ${request.method} ${request.path} failed`, error);
        res.destroy();
      }
    } catch (failure) {
      this.logger.error(`Sending the error response of ${request.method} ${request.path} failed`, failure);
      res.destroy();
    } finally {
      await this.#finish(request);
    }
  }

  // Synchronous when the after-response work is (a synchronous teardown): a promise only when there is waiting.
  #finish(request: Request): void | Promise<void> {
    if (!hasResponseSentHooks(request) && !request.holdsResources) return;
    const ran = runResponseSent(request, (e) => this.logger.error(`After-response work of ${request.method} ${request.path} failed`, e));
    return ran instanceof Promise ? ran.then(() => this.#release(request)) : this.#release(request);
  }

  #release(request: Request): void | Promise<void> {
    if (request.holdsResources) return request.close().catch((e) => this.logger.error("Releasing request resources failed", e));
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

const BUFFERED_SEND = Response.prototype.send;

function unlimited(controller: AbortController): AbortController {
  setMaxListeners(0, controller.signal);
  return controller;
}
