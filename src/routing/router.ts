import type { Dependency } from "../di/depends.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import type { ResponseSpec } from "./route-options.ts";
import { RouteRegistrar, type RouteDefinition } from "./registrar.ts";

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

  constructor(options: RouterOptions = {}) {
    super();
    checkPrefix(options.prefix);
    this.settings = options;
  }

  /** The routes as they will be registered, with this router's settings applied. */
  get definitions(): readonly RouteDefinition[] {
    return this.#definitions.map((d) => applySettings(d, this.settings));
  }

  /** Adds another router's routes to this one, with extra settings applied on top. */
  includeRouter(router: Router, options: RouterOptions = {}): void {
    checkPrefix(options.prefix);
    for (const d of router.definitions) this.#definitions.push(applySettings(d, options));
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
