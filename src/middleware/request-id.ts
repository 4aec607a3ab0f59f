import { randomUUID } from "node:crypto";
import type { Request } from "../http/request.ts";
import type { Response } from "../http/response.ts";
import { requestIdVar } from "../request-context/context-var.ts";
import { openRequestFrame } from "../request-context/storage.ts";
import { dispatchSync, mapResponse, SyncCapableMiddleware, type Next } from "./middleware.ts";

/**
 * Options of {@link RequestIdMiddleware}.
 *
 * @example
 * app.addMiddleware(RequestIdMiddleware, { header: "x-correlation-id", trustIncoming: false });
 */
export interface RequestIdOptions {
  /** The header carrying the id, in both directions (default `x-request-id`). */
  header?: string;
  /** Makes a new id (default `crypto.randomUUID()`). */
  generate?: () => string;
  /**
   * Reuse the id the client (or the proxy in front) sent, when it looks like an id: 1–200 visible ASCII
   * characters (default `true`). Anything else is replaced, so a header cannot inject lines into your logs.
   */
  trustIncoming?: boolean;
  /**
   * Open the request context and set `requestIdVar` (default `true`). `false` only stamps the header and
   * `request.state.requestId`: on Node 20 the context's `AsyncLocalStorage` makes every promise, write and tick of
   * the process run hooks (about 3 µs per request in `bench/middleware-stack.ts`); Node 22 and 24 pay far less.
   */
  context?: boolean;
}

// Visible ASCII only: no spaces, no CR/LF, no control characters that would forge or split log lines.
const SAFE_ID = /^[\x21-\x7e]{1,200}$/;

/**
 * Gives every request an id: the incoming `X-Request-ID` when it is sane, else a new UUID. The id is echoed in the
 * response header, stored in `request.state.requestId`, and set in the request context (`requestIdVar`), so
 * `contextLogger()` stamps it on every line of the request — seed example 49.
 *
 * @example
 * app.addMiddleware(RequestIdMiddleware);                      // X-Request-ID, UUIDs
 * app.addMiddleware(RequestIdMiddleware, { header: "x-correlation-id" });
 */
export class RequestIdMiddleware extends SyncCapableMiddleware {
  readonly #header: string;
  readonly #generate: () => string;
  readonly #trust: boolean;
  readonly #context: boolean;

  constructor(options: RequestIdOptions = {}) {
    super();
    this.#header = (options.header ?? "x-request-id").toLowerCase();
    this.#generate = options.generate ?? randomUUID;
    this.#trust = options.trustIncoming ?? true;
    this.#context = options.context ?? true;
  }

  /** @internal `dispatch` without a promise when the rest of the stack answered synchronously. */
  [dispatchSync](request: Request, next: Next): Response | Promise<Response> {
    let id: string | undefined;
    if (this.#trust) {
      const incoming = request.headers[this.#header];
      if (typeof incoming === "string" && SAFE_ID.test(incoming)) id = incoming;
    }
    const requestId = id ?? this.#generate();
    request.state.requestId = requestId;
    const header = this.#header;
    const stamp = (response: Response): Response => {
      response.headers[header] = requestId;
      return response;
    };
    if (!this.#context) return mapResponse(next(request), stamp);
    return openRequestFrame(request, () => {
      requestIdVar.set(requestId);
      return mapResponse(next(request), stamp);
    });
  }
}
