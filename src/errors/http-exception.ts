import { restoreStack, withoutStack } from "./no-stack.ts";
import { STATUS_TEXT } from "../http/status.ts";

/**
 * Raise to answer with an HTTP error: `{"detail": …}` with the given status and headers. It is an answer, not a
 * bug, so it carries no stack trace (capturing one would cost more than the request; see `errors/no-stack.ts`).
 *
 * @example
 * throw new HTTPException(404, "Item not found");
 * throw new HTTPException(401, "Not authenticated", { "WWW-Authenticate": "Bearer" });
 */
export class HTTPException extends Error {
  /** The HTTP status code sent to the client. */
  readonly status: number;
  /** Any JSON-serializable value; sent as `{"detail": detail}`. Defaults to the status phrase. */
  readonly detail: unknown;
  /** Extra response headers, e.g. `WWW-Authenticate` for 401 or `Retry-After` for 429. */
  readonly headers: Record<string, string> | undefined;

  constructor(status: number, detail?: unknown, headers?: Record<string, string>) {
    const text = detail === undefined ? (STATUS_TEXT[status] ?? "Error") : detail;
    super(withoutStack(typeof text === "string" ? text : JSON.stringify(text)));
    restoreStack();
    this.name = "HTTPException";
    this.status = status;
    this.detail = text;
    this.headers = headers;
  }
}
