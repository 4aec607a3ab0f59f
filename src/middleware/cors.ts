import { TypefastError } from "../errors/typefast-error.ts";
import type { Request } from "../http/request.ts";
import { PlainTextResponse, type Response } from "../http/response.ts";
import { dispatchSync, mapResponse, SyncCapableMiddleware, type Next } from "./middleware.ts";
import { addVary } from "./vary.ts";

/**
 * Options of {@link CORSMiddleware} (Starlette's names, in camelCase; same defaults).
 *
 * @example
 * const cors: CORSOptions = { allowOrigins: ["https://app.example.com"], allowCredentials: true };
 */
export interface CORSOptions {
  /** Origins allowed to read responses, e.g. `["https://app.example.com"]`; `["*"]` for any (default none). */
  allowOrigins?: readonly string[];
  /** Origins matching this pattern (whole string) are allowed too, e.g. `"https://.*\\.example\\.com"`. */
  allowOriginRegex?: string | RegExp;
  /** Methods allowed in cross-origin requests (default `["GET"]`); `["*"]` for all. */
  allowMethods?: readonly string[];
  /** Request headers allowed beyond the CORS-safelisted ones (default none); `["*"]` for any. */
  allowHeaders?: readonly string[];
  /** Allow cookies and `Authorization` (default `false`). Requires explicit origins, not `"*"`. */
  allowCredentials?: boolean;
  /** Response headers the browser may show to the page (default none). */
  exposeHeaders?: readonly string[];
  /** Seconds the browser may cache a preflight answer (default 600). */
  maxAge?: number;
}

const ALL_METHODS = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"];
// Always allowed by browsers without asking; listed so a strict browser never refuses them.
const SAFELISTED_HEADERS = ["accept", "accept-language", "content-language", "content-type"];

/**
 * Cross-Origin Resource Sharing, as Starlette's `CORSMiddleware`: answers preflight requests (`OPTIONS` with
 * `Access-Control-Request-Method`) itself — 200, or 400 naming what was refused — and adds the CORS headers to
 * the responses of allowed origins. Add it last, so it is outermost and also decorates error responses.
 *
 * @example
 * app.addMiddleware(CORSMiddleware, {
 *   allowOrigins: ["https://app.example.com"], allowOriginRegex: /https:\/\/.*\.preview\.example\.com/,
 *   allowMethods: ["GET", "POST"], allowHeaders: ["authorization"], allowCredentials: true, exposeHeaders: ["x-total"],
 * });
 */
export class CORSMiddleware extends SyncCapableMiddleware {
  readonly #allowAll: boolean;
  readonly #origins: ReadonlySet<string>;
  readonly #regex: RegExp | undefined;
  readonly #methods: ReadonlySet<string>;
  readonly #allHeaders: boolean;
  readonly #headers: ReadonlySet<string>;
  readonly #simple: Readonly<Record<string, string>>;
  readonly #preflight: Readonly<Record<string, string>>;

  constructor(options: CORSOptions = {}) {
    super();
    const origins = options.allowOrigins ?? [];
    this.#allowAll = origins.includes("*");
    if (this.#allowAll && options.allowCredentials) {
      throw new TypefastError(
        "TF_CORS_CONFIG",
        'CORS: allowCredentials cannot be combined with allowOrigins ["*"] — browsers refuse credentials with a wildcard, and echoing any origin would let every site act as the user. List the origins, or use allowOriginRegex.',
      );
    }
    this.#origins = new Set(origins);
    const pattern = options.allowOriginRegex;
    this.#regex = pattern === undefined ? undefined : new RegExp(`^(?:${typeof pattern === "string" ? pattern : pattern.source})$`, typeof pattern === "string" ? "" : pattern.flags.replace(/[gy]/g, ""));
    const methods = (options.allowMethods ?? ["GET"]).map((m) => m.toUpperCase());
    this.#methods = new Set(methods.includes("*") ? ALL_METHODS : methods);
    const headers = (options.allowHeaders ?? []).map((h) => h.toLowerCase());
    this.#allHeaders = headers.includes("*");
    this.#headers = new Set([...SAFELISTED_HEADERS, ...headers]);

    const simple: Record<string, string> = {};
    if (options.allowCredentials) simple["access-control-allow-credentials"] = "true";
    if (options.exposeHeaders?.length) simple["access-control-expose-headers"] = options.exposeHeaders.join(", ");
    this.#simple = simple;
    const preflight: Record<string, string> = {
      "access-control-allow-methods": [...this.#methods].join(", "),
      "access-control-max-age": String(options.maxAge ?? 600),
    };
    if (!this.#allHeaders) preflight["access-control-allow-headers"] = [...this.#headers].join(", ");
    if (options.allowCredentials) preflight["access-control-allow-credentials"] = "true";
    this.#preflight = preflight;
  }

  /** @internal `dispatch` without a promise when the rest of the stack answered synchronously. */
  [dispatchSync](request: Request, next: Next): Response | Promise<Response> {
    const origin = request.headers["origin"];
    if (typeof origin !== "string") {
      if (this.#allowAll) return next(request);
      // The answer depends on Origin even when none was sent: a shared cache must not reuse it for one that is.
      return mapResponse(next(request), (response) => {
        addVary(response.headers, "Origin");
        return response;
      });
    }
    if (request.method === "OPTIONS" && request.headers["access-control-request-method"] !== undefined) {
      return this.#answerPreflight(request, origin);
    }
    return mapResponse(next(request), (response) => {
      this.#decorate(response, origin);
      return response;
    });
  }

  /** True when `origin` may read responses. */
  isAllowedOrigin(origin: string): boolean {
    return this.#allowAll || this.#origins.has(origin) || (this.#regex !== undefined && this.#regex.test(origin));
  }

  #decorate(response: Response, origin: string): void {
    const headers = response.headers;
    if (this.#allowAll) {
      headers["access-control-allow-origin"] = "*";
    } else {
      addVary(headers, "Origin");
      if (!this.isAllowedOrigin(origin)) return;
      headers["access-control-allow-origin"] = origin;
    }
    for (const name in this.#simple) headers[name] = this.#simple[name]!;
  }

  #answerPreflight(request: Request, origin: string): Response {
    const failures: string[] = [];
    const headers: Record<string, string> = { ...this.#preflight };
    if (this.isAllowedOrigin(origin)) {
      headers["access-control-allow-origin"] = this.#allowAll ? "*" : origin;
    } else failures.push("origin");
    if (!this.#allowAll) headers["vary"] = "Origin";
    const method = String(request.headers["access-control-request-method"]).toUpperCase();
    if (!this.#methods.has(method)) failures.push("method");
    const requested = request.header("access-control-request-headers");
    if (requested !== undefined && requested.trim() !== "") {
      if (this.#allHeaders) headers["access-control-allow-headers"] = requested;
      else if (requested.split(",").some((h) => !this.#headers.has(h.trim().toLowerCase()))) failures.push("headers");
    }
    if (failures.length > 0) return new PlainTextResponse(`Disallowed CORS ${failures.join(", ")}`, { status: 400, headers });
    return new PlainTextResponse("OK", { status: 200, headers });
  }
}
