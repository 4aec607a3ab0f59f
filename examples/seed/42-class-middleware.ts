/**
 * Seed example 42 — class-based middleware.
 *
 * Subclass `BaseHTTPMiddleware` and implement `dispatch(request, callNext)`; configuration goes to the
 * constructor (`app.addMiddleware(Class, options)`), so one instance serves every request. As in Starlette, the
 * middleware added last is the outermost and runs first. (Typefast ships a configurable
 * `SecurityHeadersMiddleware`; this example writes its own, as the original does.)
 */
import { App, BaseHTTPMiddleware, type CallNext, type Request, type Response } from "../../src/index.ts";

/** Where the log lines go (a test swaps it). */
export const output = { print: (line: string): void => console.log(line) };

/** Logs one line per request: level, client, method, path, status, duration. */
export class RequestLogMiddleware extends BaseHTTPMiddleware {
  readonly logLevel: string;

  constructor(options: { logLevel?: string } = {}) {
    super();
    this.logLevel = options.logLevel ?? "INFO"; // configuration stored on the instance
  }

  override async dispatch(request: Request, callNext: CallNext): Promise<Response> {
    const start = performance.now();
    const clientIp = request.client.host || "unknown";
    const response = await callNext(request); // the route, or the next middleware in
    const durationMs = performance.now() - start;
    output.print(`[${this.logLevel}] ${clientIp} ${request.method} ${request.path} ${response.status} ${durationMs.toFixed(1)}ms`);
    return response;
  }
}

/** Adds protective headers to every response. */
export class SecurityHeadersMiddleware extends BaseHTTPMiddleware {
  override async dispatch(request: Request, callNext: CallNext): Promise<Response> {
    const response = await callNext(request);
    response.headers["x-content-type-options"] = "nosniff"; // no MIME sniffing
    response.headers["x-frame-options"] = "DENY"; // no framing (clickjacking)
    response.headers["x-xss-protection"] = "1; mode=block"; // legacy XSS filter
    response.headers["referrer-policy"] = "strict-origin-when-cross-origin";
    return response;
  }
}

export const app = new App();

// Added in reverse order: the last added runs first.
app.addMiddleware(RequestLogMiddleware, { logLevel: "INFO" });
app.addMiddleware(SecurityHeadersMiddleware); // outermost: runs first, finishes last

app.get("/items", {}, () => ({ items: [] }));
