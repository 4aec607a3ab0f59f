import { TypefastError } from "../errors/typefast-error.ts";
import type { Request } from "../http/request.ts";
import { PlainTextResponse, RedirectResponse, type Response } from "../http/response.ts";
import { dispatchSync, SyncCapableMiddleware, type Next } from "./middleware.ts";

/**
 * Options of {@link TrustedHostMiddleware}.
 *
 * @example
 * app.addMiddleware(TrustedHostMiddleware, { allowedHosts: ["example.com", "*.example.com"] });
 */
export interface TrustedHostOptions {
  /** Host names served: `"example.com"`, `"*.example.com"` (any subdomain), or `"*"` (default: any). */
  allowedHosts?: readonly string[];
  /** Redirect `example.com` to `www.example.com` when only the latter is listed (default `true`, as Starlette). */
  wwwRedirect?: boolean;
}

/**
 * Refuses requests whose `Host` header is not one of ours with `400 Invalid host header` — the defence against
 * Host-header attacks (poisoned password-reset links, cache poisoning) when the app builds URLs from the host.
 *
 * @example
 * app.addMiddleware(TrustedHostMiddleware, { allowedHosts: ["example.com", "*.example.com"] });
 */
export class TrustedHostMiddleware extends SyncCapableMiddleware {
  readonly #any: boolean;
  readonly #exact: ReadonlySet<string>;
  readonly #suffixes: readonly string[];
  readonly #wwwRedirect: boolean;

  constructor(options: TrustedHostOptions = {}) {
    super();
    const hosts = (options.allowedHosts ?? ["*"]).map((h) => h.toLowerCase());
    for (const host of hosts) {
      if (host !== "*" && host.lastIndexOf("*") > 0) {
        throw new TypefastError("TF_TRUSTED_HOST", `Trusted host ${JSON.stringify(host)}: a wildcard is only allowed as a leading "*." (e.g. "*.example.com") or alone ("*").`);
      }
      if (host.startsWith("*") && host !== "*" && !host.startsWith("*.")) {
        throw new TypefastError("TF_TRUSTED_HOST", `Trusted host ${JSON.stringify(host)}: write subdomain wildcards as "*.example.com".`);
      }
    }
    this.#any = hosts.includes("*");
    this.#exact = new Set(hosts.filter((h) => !h.startsWith("*")));
    this.#suffixes = hosts.filter((h) => h.startsWith("*.")).map((h) => h.slice(1)); // ".example.com"
    this.#wwwRedirect = options.wwwRedirect ?? true;
  }

  /** @internal `dispatch` without a promise when the rest of the stack answered synchronously. */
  [dispatchSync](request: Request, next: Next): Response | Promise<Response> {
    if (this.#any) return next(request);
    const host = hostName(request.header("host") ?? "");
    if (this.#allowed(host)) return next(request);
    // Only an exactly listed www host: a wildcard must not turn every unknown name into a redirect.
    if (this.#wwwRedirect && host !== "" && this.#exact.has(`www.${host}`)) {
      const scheme = request.raw.socket?.encrypted ? "https" : "http";
      const port = portOf(request.header("host") ?? "");
      return new RedirectResponse(`${scheme}://www.${host}${port}${request.url}`, 307);
    }
    return new PlainTextResponse("Invalid host header", { status: 400 });
  }

  #allowed(host: string): boolean {
    if (host === "") return false;
    if (this.#exact.has(host)) return true;
    for (const suffix of this.#suffixes) if (host.endsWith(suffix) && host.length > suffix.length) return true;
    return false;
  }
}

/** The host name of a `Host` header, lower-cased, without the port (IPv6 literals keep their brackets). */
function hostName(header: string): string {
  const value = header.trim().toLowerCase();
  if (value.startsWith("[")) return value.slice(0, value.indexOf("]") + 1);
  const colon = value.indexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}

function portOf(header: string): string {
  const match = /:(\d+)$/.exec(header.trim());
  return match === null ? "" : `:${match[1]}`;
}
