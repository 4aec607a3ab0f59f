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

/**
 * Composes middleware around `inner`. Registration order is Starlette's: the last one added is the outermost, so
 * it runs first on the way in and last on the way out.
 */
export function composeMiddleware(stack: readonly MiddlewareFn[], inner: CallNext): CallNext {
  let next = inner;
  for (const mw of stack) {
    const below = next;
    next = (request) => mw(request, below);
  }
  return next;
}
