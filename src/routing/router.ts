import type { Dependency } from "../di/depends.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import type { ResponseSpec } from "./route-options.ts";
import { RouteRegistrar, type RouteDefinition } from "./registrar.ts";
import { parsePathTemplate } from "./path-template.ts";
import type { ParamsSpec } from "../params/marker.ts";
import type { StandardSchemaV1 } from "../schema/standard-schema.ts";
import type { WebSocketHandler, WebSocketRouteOptions } from "../websocket/route.ts";

/** A WebSocket route declared on a {@link Router}, registered on the app by `includeRouter`. */
export interface WebSocketDefinition {
  readonly path: string;
  readonly options: WebSocketRouteOptions<any, any, any>;
  readonly handler: WebSocketHandler<any, any, any>;
}

/** Settings a router applies to every route in it (and that `includeRouter` can add on top). */
export interface RouterOptions {
  /** Path prefix, e.g. `/users` (no trailing slash). */
  prefix?: string;
  /** OpenAPI tags added to every route. */
  tags?: readonly string[];
  /** Dependencies run before every route (auth for a whole group). */
  dependencies?: readonly Dependency<any>[];
  /** Documented responses added to every route. */
  responses?: Readonly<Record<number | string, ResponseSpec>>;
  /** Marks every route deprecated in OpenAPI. */
  deprecated?: boolean;
  /** `false` hides every route from OpenAPI. */
  includeInSchema?: boolean;
}

/**
 * A group of routes with shared settings — FastAPI's `APIRouter`. Declare routes on it like on an app, then
 * `app.includeRouter(router)`; prefixes, tags, dependencies and responses compose through nested routers.
 *
 * @example
 * const users = new Router({ prefix: "/users", tags: ["users"], dependencies: [Depends(getCurrentAdmin)] });
 * users.get("/", {}, () => listUsers());
 * app.includeRouter(users);
 */
export class Router extends RouteRegistrar<void> {
  readonly settings: Readonly<RouterOptions>;
  readonly #definitions: RouteDefinition[] = [];
  readonly #websockets: WebSocketDefinition[] = [];

  constructor(options: RouterOptions = {}) {
    super();
    checkPrefix(options.prefix);
    this.settings = options;
  }

  /** The routes as they will be registered, with this router's settings applied. */
  get definitions(): readonly RouteDefinition[] {
    return this.#definitions.map((d) => applySettings(d, this.settings));
  }

  /** The WebSocket routes as they will be registered: prefix and dependencies applied (tags and docs settings are HTTP-only). */
  get websocketDefinitions(): readonly WebSocketDefinition[] {
    return this.#websockets.map((d) => applySocketSettings(d, this.settings));
  }

  /** Adds another router's routes (HTTP and WebSocket) to this one, with extra settings applied on top. */
  includeRouter(router: Router, options: RouterOptions = {}): void {
    checkPrefix(options.prefix);
    for (const d of router.definitions) this.#definitions.push(applySettings(d, options));
    for (const d of router.websocketDefinitions) this.#websockets.push(applySocketSettings(d, options));
  }

  /**
   * Declares a WebSocket route on this router, as `app.websocket` does; the router's prefix and dependencies apply.
   * @example chat.websocket("/rooms/{room}", { params: { room: Path(z.string()) } }, async ({ room }, ws) => { await ws.accept(); … })
   */
  websocket<P extends ParamsSpec = {}, In extends StandardSchemaV1 | undefined = undefined, Out extends StandardSchemaV1 | undefined = undefined>(
    path: string,
    options: WebSocketRouteOptions<P, In, Out>,
    handler: WebSocketHandler<P, In, Out>,
  ): this {
    parsePathTemplate(path); // a malformed path fails here, where it is written, not at includeRouter
    this.#websockets.push({ path, options, handler: handler as WebSocketHandler<any, any, any> });
    return this;
  }

  protected addRoute(definition: RouteDefinition): void {
    this.#definitions.push(definition);
  }
}

/** Applies a router's (or an include's) settings to a route: outer prefix and dependencies come first. */
export function applySettings(d: RouteDefinition, s: RouterOptions): RouteDefinition {
  const o = d.options;
  return {
    methods: d.methods,
    path: (s.prefix ?? "") + d.path,
    handler: d.handler,
    options: {
      ...o,
      tags: merge(s.tags, o.tags),
      dependencies: merge(s.dependencies, o.dependencies),
      responses: s.responses || o.responses ? { ...s.responses, ...o.responses } : undefined,
      deprecated: o.deprecated ?? s.deprecated,
      includeInSchema: s.includeInSchema === false ? false : o.includeInSchema,
    },
  };
}

/** Applies a router's prefix and dependencies to a WebSocket route. */
export function applySocketSettings(d: WebSocketDefinition, s: RouterOptions): WebSocketDefinition {
  return {
    path: (s.prefix ?? "") + d.path,
    handler: d.handler,
    options: { ...d.options, dependencies: merge(s.dependencies, d.options.dependencies) },
  };
}

function merge<T>(outer: readonly T[] | undefined, inner: readonly T[] | undefined): readonly T[] | undefined {
  if (!outer || outer.length === 0) return inner;
  if (!inner || inner.length === 0) return outer;
  return [...outer, ...inner.filter((x) => !outer.includes(x))];
}

function checkPrefix(prefix: string | undefined): void {
  if (prefix === undefined || prefix === "") return;
  if (!prefix.startsWith("/") || prefix.endsWith("/")) {
    throw new TypefastError("TF_ROUTER_PREFIX", `Router prefix ${JSON.stringify(prefix)} must start with "/" and not end with "/", e.g. "/users".`);
  }
}
