import { TypefastError } from "../errors/typefast-error.ts";
import { storage, type Frame } from "./storage.ts";

/**
 * Options of {@link ContextVar}.
 *
 * @example
 * const requestIdVar = new ContextVar<string>("request_id", { default: "unknown" });
 */
export interface ContextVarOptions<T> {
  /** What {@link ContextVar.get} returns when the variable was not set in this request (or outside any request). */
  default?: T;
}

const NO_DEFAULT: unique symbol = Symbol("typefast.noDefault");

/**
 * A request-scoped variable — Python's `contextvars.ContextVar` for Typefast: set it in a middleware or a
 * dependency, read it anywhere further down the same request (services, loggers, background tasks) without passing
 * it as a parameter. Concurrent requests never see each other's values.
 *
 * A value set during a request lives in that request's context, opened by `RequestContextMiddleware` (or
 * `RequestIdMiddleware`); outside a request, use {@link runInRequestContext} or {@link ContextVar.run}.
 *
 * @example
 * const currentTenant = new ContextVar<string>("tenant", { default: "public" });
 * app.addMiddleware(RequestContextMiddleware);
 * const tenant = Depends({ t: Header(z.string()) }, ({ t }) => { currentTenant.set(t); return t; });
 * function tableName() { return `${currentTenant.get()}.items`; }   // no parameter needed
 */
export class ContextVar<T> {
  /** A name for error messages. */
  readonly name: string;
  readonly #default: T | typeof NO_DEFAULT;

  constructor(name: string, options: ContextVarOptions<T> = {}) {
    this.name = name;
    this.#default = "default" in options ? (options.default as T) : NO_DEFAULT;
  }

  /**
   * The value in the current request; else the default; else throws a `LookupError`-like `TypefastError`
   * (`TF_CONTEXT_UNSET`), as Python's `ContextVar.get()` raises `LookupError`.
   * @example const id = requestIdVar.get();
   */
  get(): T {
    const frame = storage.getStore();
    if (frame !== undefined && frame.has(this)) return frame.get(this) as T;
    if (this.#default !== NO_DEFAULT) return this.#default;
    throw new TypefastError("TF_CONTEXT_UNSET", `Context variable '${this.name}' has no value here and no default. Set it earlier in the request, or give it a default.`);
  }

  /**
   * The value in the current request, or `undefined` (never throws).
   * @example const user = currentUserVar.peek();
   */
  peek(): T | undefined {
    const frame = storage.getStore();
    if (frame !== undefined && frame.has(this)) return frame.get(this) as T;
    return this.#default === NO_DEFAULT ? undefined : this.#default;
  }

  /**
   * Sets the value for the rest of the current request (every later read in it, including the middleware on the
   * way out and the background tasks). Throws `TF_NO_REQUEST_CONTEXT` outside a request context.
   * @example currentUserVar.set(user);
   */
  set(value: T): void {
    const frame = storage.getStore();
    if (frame === undefined) {
      throw new TypefastError(
        "TF_NO_REQUEST_CONTEXT",
        `Cannot set context variable '${this.name}': no request context is open. Add app.addMiddleware(RequestContextMiddleware) ` +
          "(or RequestIdMiddleware), or wrap the code in runInRequestContext(() => …).",
      );
    }
    frame.set(this, value);
  }

  /**
   * Runs `fn` with the variable set to `value` in a child context: the change is seen inside `fn` (and what it
   * starts) and undone afterwards — `ContextVar.set()` plus `reset(token)` in one call.
   * @example await requestIdVar.run("job-42", () => processJob());
   */
  run<R>(value: T, fn: () => R): R {
    const parent = storage.getStore();
    const frame: Frame = parent === undefined ? new Map() : new Map(parent);
    frame.set(this, value);
    return storage.run(frame, fn);
  }
}

/**
 * Runs `fn` in a fresh, empty request context — for code that runs outside a request but uses context variables
 * (a job worker, a script, a test).
 *
 * @example
 * await runInRequestContext(async () => { requestIdVar.set("cron-nightly"); await nightlyCleanup(); });
 */
export function runInRequestContext<R>(fn: () => R): R {
  return storage.run(new Map(), fn);
}

/** True while code runs inside a request context. @example if (hasRequestContext()) log.info("in a request"); */
export function hasRequestContext(): boolean {
  return storage.getStore() !== undefined;
}

/**
 * The current request's id, set by `RequestIdMiddleware`; `undefined` outside a request or without the middleware.
 * @example log.info(`handling ${requestIdVar.peek() ?? "-"}`);
 */
export const requestIdVar = new ContextVar<string | undefined>("request_id", { default: undefined });

/**
 * The authenticated user of the current request, for code far from the handler (audit logs, row filters). Set it
 * in your auth dependency: `currentUserVar.set(user)`. Typed `unknown`: declare your own typed `ContextVar<User>`
 * when you want the type.
 * @example const user = currentUserVar.peek();
 */
export const currentUserVar = new ContextVar<unknown>("current_user", { default: undefined });
