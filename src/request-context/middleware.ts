import type { Request } from "../http/request.ts";
import type { Response } from "../http/response.ts";
import { dispatchSync, SyncCapableMiddleware, type Next } from "../middleware/middleware.ts";
import { openRequestFrame } from "./storage.ts";

/**
 * Opens a request context for every request, so {@link ContextVar}s can be set and read anywhere in it: in
 * middleware further in, dependencies, the handler, the streamed body, background tasks and teardown.
 * Add it last (outermost) so every other middleware runs inside it. `RequestIdMiddleware` opens the context too.
 *
 * @example
 * app.addMiddleware(RequestContextMiddleware);
 */
export class RequestContextMiddleware extends SyncCapableMiddleware {
  constructor(_options: Record<string, never> = {}) {
    super();
  }

  /** @internal `dispatch` without a promise when the rest of the stack answered synchronously. */
  [dispatchSync](request: Request, next: Next): Response | Promise<Response> {
    return openRequestFrame(request, () => next(request));
  }
}
