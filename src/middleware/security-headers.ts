import type { Request } from "../http/request.ts";
import type { Response } from "../http/response.ts";
import { dispatchSync, mapResponse, SyncCapableMiddleware, type Next } from "./middleware.ts";

/**
 * Options of {@link SecurityHeadersMiddleware}: each header's value, or `false` to leave it out.
 *
 * @example
 * app.addMiddleware(SecurityHeadersMiddleware, { frameOptions: "SAMEORIGIN", contentSecurityPolicy: "default-src 'self'" });
 */
export interface SecurityHeadersOptions {
  /** `X-Content-Type-Options` (default `nosniff`): no MIME sniffing of uploads served as text. */
  contentTypeOptions?: string | false;
  /** `X-Frame-Options` (default `DENY`): no framing, against clickjacking. */
  frameOptions?: string | false;
  /** `Referrer-Policy` (default `strict-origin-when-cross-origin`). */
  referrerPolicy?: string | false;
  /**
   * `Strict-Transport-Security` (default off). Turn it on only when the whole site (and, with
   * `includeSubDomains`, every subdomain) is served over HTTPS: browsers remember it for `maxAge` seconds.
   */
  hsts?: { maxAge: number; includeSubDomains?: boolean; preload?: boolean } | false;
  /** `Content-Security-Policy` (default off: a policy is specific to each app's pages). */
  contentSecurityPolicy?: string | false;
  /** `Cross-Origin-Opener-Policy` (default `same-origin`). */
  crossOriginOpenerPolicy?: string | false;
  /** `X-XSS-Protection` (default off). Old browsers' filter caused leaks; set `"0"` to disable it explicitly. */
  xssProtection?: string | false;
}

/**
 * Adds protective response headers to every response — seed example 42's `SecurityHeadersMiddleware`, with
 * current defaults. A header the route set itself is left as it is.
 *
 * @example
 * app.addMiddleware(SecurityHeadersMiddleware, { hsts: { maxAge: 31_536_000, includeSubDomains: true } });
 */
export class SecurityHeadersMiddleware extends SyncCapableMiddleware {
  readonly #headers: ReadonlyArray<readonly [string, string]>;

  constructor(options: SecurityHeadersOptions = {}) {
    super();
    const pick = (value: string | false | undefined, fallback: string | false): string | false => (value === undefined ? fallback : value);
    const hsts = options.hsts;
    const entries: Array<[string, string | false]> = [
      ["x-content-type-options", pick(options.contentTypeOptions, "nosniff")],
      ["x-frame-options", pick(options.frameOptions, "DENY")],
      ["referrer-policy", pick(options.referrerPolicy, "strict-origin-when-cross-origin")],
      ["cross-origin-opener-policy", pick(options.crossOriginOpenerPolicy, "same-origin")],
      ["content-security-policy", pick(options.contentSecurityPolicy, false)],
      ["x-xss-protection", pick(options.xssProtection, false)],
      ["strict-transport-security", hsts ? `max-age=${hsts.maxAge}${hsts.includeSubDomains ? "; includeSubDomains" : ""}${hsts.preload ? "; preload" : ""}` : false],
    ];
    this.#headers = entries.filter((e): e is [string, string] => e[1] !== false);
  }

  /** @internal `dispatch` without a promise when the rest of the stack answered synchronously. */
  [dispatchSync](request: Request, next: Next): Response | Promise<Response> {
    return mapResponse(next(request), (response) => {
      const headers = response.headers;
      for (const [name, value] of this.#headers) if (headers[name] === undefined) headers[name] = value;
      return response;
    });
  }
}
