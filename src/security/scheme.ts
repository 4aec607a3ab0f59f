import { Dependency } from "../di/depends.ts";
import { HTTPException } from "../errors/http-exception.ts";
import type { Request } from "../http/request.ts";

/** Options every security scheme accepts. */
export interface SchemeOptions<A extends boolean = boolean> {
  /**
   * `true` (default): missing or malformed credentials answer 401. `false`: the dependency resolves to
   * `undefined` instead, so a route can serve anonymous users too, or try several schemes in turn.
   */
  autoError?: A;
  /** The name under `components.securitySchemes` (default: the class name, as FastAPI does). */
  schemeName?: string;
  /** Shown next to the scheme in the OpenAPI document and Swagger UI's Authorize dialog. */
  description?: string;
}

/** The value a scheme resolves to: `T`, or `T | undefined` when `autoError: false`. */
export type Credential<T, A extends boolean> = A extends false ? T | undefined : T;

const SCHEME_DEPENDS = Object.freeze({ useCache: true, scope: "request" } as const);

/**
 * The base of every security scheme: a dependency with no declared parameters (credentials are read straight from
 * the request, so they are not listed as operation parameters — FastAPI does the same) that carries its OpenAPI
 * Security Scheme Object. Subclasses implement {@link SecurityScheme.extract}.
 *
 * A scheme is itself a dependency: put it in `params` directly, or wrap it in `Depends()` / `Security()`. Its
 * `key` is the instance, so `app.dependencyOverrides.set(scheme, …)` and per-request caching work on it.
 *
 * @example
 * class TenantKey extends SecurityScheme<string> {
 *   constructor() { super({ type: "apiKey", in: "header", name: "x-tenant" }, {}); }
 *   protected extract(request: Request) { return request.header("x-tenant") ?? notAuthenticated("APIKey"); }
 * }
 */
export abstract class SecurityScheme<T> extends Dependency<T> {
  /** The name under `components.securitySchemes`. */
  readonly schemeName: string;
  /** Whether failures answer 401 (`true`) or resolve to `undefined` (`false`). */
  readonly autoError: boolean;
  /** The OpenAPI Security Scheme Object (description included). */
  readonly model: Readonly<Record<string, unknown>>;

  protected constructor(model: Record<string, unknown>, options: SchemeOptions) {
    const name = options.schemeName ?? new.target.name;
    const full = Object.freeze(options.description === undefined ? { ...model } : { ...model, description: options.description });
    // `call` may run on a copy made by Depends()/Security(), so it must not rely on `this`: close over the instance.
    let self: SecurityScheme<T> | undefined;
    const call = (_args: Record<string, unknown>, ctx: { request: Request }): unknown => self!.resolve(ctx.request);
    super(PENDING_KEY, {}, call, SCHEME_DEPENDS, name, { securityScheme: { name, scheme: full } });
    self = this;
    // The instance is its own key (it cannot be passed to super() before it exists).
    Object.defineProperty(this, "key", { value: this, enumerable: true });
    this.schemeName = name;
    this.autoError = options.autoError ?? true;
    this.model = full;
  }

  /**
   * Reads the credentials from the request: returns them, or returns the `HTTPException` describing why there are
   * none. Returning (not throwing) lets the base class honour `autoError: false` in one place.
   */
  protected abstract extract(request: Request): T | HTTPException;

  /** Runs {@link SecurityScheme.extract} and applies `autoError`. */
  resolve(request: Request): T | undefined {
    const result = this.extract(request);
    if (result instanceof HTTPException) {
      if (this.autoError) throw result;
      return undefined;
    }
    return result;
  }
}

const PENDING_KEY = Object.freeze({});
