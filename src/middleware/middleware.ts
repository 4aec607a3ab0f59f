import type { Request } from "../http/request.ts";
import type { Response } from "../http/response.ts";

/** Calls the rest of the stack (inner middleware, then the router) and resolves with its response. */
export type CallNext = (request: Request) => Promise<Response>;

/**
 * A function middleware: runs around every request of the app (routing included, so it also sees 404s).
 * It may change the request's `state`, short-circuit with its own response, or change the response it gets back.
 * Streaming bodies pass through untouched unless the middleware reads them.
 *
 * @example
 * app.middleware(async (request, callNext) => {
 *   const started = performance.now();
 *   const response = await callNext(request);
 *   response.headers["x-process-time"] = String(performance.now() - started);
 *   return response;
 * });
 */
export type MiddlewareFn = (request: Request, callNext: CallNext) => Promise<Response>;

/**
 * The base of class middleware (Starlette's `BaseHTTPMiddleware`): configuration goes to the constructor, the
 * per-request work to `dispatch`. Register with `app.addMiddleware(MyMiddleware, options)`.
 *
 * @example
 * class SecurityHeaders extends BaseHTTPMiddleware {
 *   async dispatch(request: Request, callNext: CallNext) {
 *     const response = await callNext(request);
 *     response.headers["x-content-type-options"] = "nosniff";
 *     return response;
 *   }
 * }
 * app.addMiddleware(SecurityHeaders);
 */
export abstract class BaseHTTPMiddleware {
  /** Handles one request; call `callNext(request)` to continue down the stack. */
  abstract dispatch(request: Request, callNext: CallNext): Promise<Response>;
}

/** A middleware class whose constructor takes an options object (or nothing). */
export type MiddlewareClass<O> = new (options: O) => BaseHTTPMiddleware;

/** The rest of the stack as the built-in middleware see it: the response, or a promise of it. @internal */
export type Next = (request: Request) => Response | Promise<Response>;

/** The method built-in middleware implement besides `dispatch`. @internal */
export const dispatchSync: unique symbol = Symbol("typefast.dispatchSync");

/**
 * The base of the built-in middleware. They do their work in `[dispatchSync]`, which gets the rest of the stack
 * as it is — a route that answered synchronously gives a `Response`, not a promise — and returns the same way.
 * A stack of such middleware around a synchronous route therefore makes no promise at all, which matters twice:
 * promises are the largest per-request cost left in a small route, and with a request context on Node 20 and 22
 * every promise also runs `AsyncLocalStorage`'s hooks. `dispatch` stays, for code that calls it directly.
 * @internal
 */
export abstract class SyncCapableMiddleware extends BaseHTTPMiddleware {
  abstract [dispatchSync](request: Request, next: Next): Response | Promise<Response>;

  override dispatch(request: Request, callNext: CallNext): Promise<Response> {
    try {
      const answer = this[dispatchSync](request, callNext);
      return answer instanceof Promise ? answer : Promise.resolve(answer);
    } catch (error) {
      return Promise.reject(error);
    }
  }
}

/**
 * Applies `f` to a response that may still be coming: at once when it is already there, else when it arrives.
 * @internal
 */
export function mapResponse(answer: Response | Promise<Response>, f: (response: Response) => Response | Promise<Response>): Response | Promise<Response> {
  return answer instanceof Promise ? answer.then(f) : f(answer);
}

/** One registered middleware: a user's (`callNext` always returns a promise) or a built-in one. @internal */
export type StackEntry =
  | { readonly sync: false; readonly run: MiddlewareFn }
  | { readonly sync: true; readonly run: (request: Request, next: Next) => Response | Promise<Response> };

/** The stack entry of a class middleware instance. @internal */
export function entryOf(instance: BaseHTTPMiddleware): StackEntry {
  if (instance instanceof SyncCapableMiddleware) return { sync: true, run: (request, next) => instance[dispatchSync](request, next) };
  return { sync: false, run: (request, callNext) => instance.dispatch(request, callNext) };
}

/**
 * Composes middleware around `inner`. Registration order is Starlette's: the last one added is the outermost, so
 * it runs first on the way in and last on the way out. A user's middleware always gets a promise from `callNext`;
 * built-in ones get whatever the layer below returned.
 */
export function composeMiddleware(stack: readonly StackEntry[], inner: Next): Next {
  let next = inner;
  for (const entry of stack) {
    const below = next;
    if (entry.sync) {
      const run = entry.run;
      next = (request) => run(request, below);
    } else {
      const run = entry.run;
      const callNext: CallNext = (request) => {
        const answer = below(request);
        return answer instanceof Promise ? answer : Promise.resolve(answer);
      };
      next = (request) => run(request, callNext);
    }
  }
  return next;
}
