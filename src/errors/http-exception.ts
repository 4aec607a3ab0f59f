import { STATUS_TEXT } from "../http/status.ts";

/**
 * Raise to answer with an HTTP error: `{"detail": …}` with the given status and headers.
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
    super(typeof text === "string" ? text : JSON.stringify(text));
    this.name = "HTTPException";
    this.status = status;
    this.detail = text;
    this.headers = headers;
  }
}
