import type { Request } from "../http/request.ts";
import { RedirectResponse, type Response } from "../http/response.ts";
import { ProxyList, type TrustedProxies } from "./forwarded.ts";
import { dispatchSync, SyncCapableMiddleware, type Next } from "./middleware.ts";

/**
 * Options of {@link HTTPSRedirectMiddleware}.
 *
 * @example
 * app.addMiddleware(HTTPSRedirectMiddleware, { trustedProxies: ["10.0.0.0/8"], status: 308 });
 */
export interface HTTPSRedirectOptions {
  /** Proxies whose `X-Forwarded-Proto` is believed (TLS ends at the load balancer). Default none. */
  trustedProxies?: TrustedProxies;
  /** 307 (default, keeps method and body, as Starlette) or 308 (permanent). */
  status?: 307 | 308;
}

/**
 * Redirects every plain-HTTP request to the same URL on `https`. Behind a load balancer that terminates TLS, list
 * it in `trustedProxies` so its `X-Forwarded-Proto: https` is believed — else every request would loop.
 *
 * @example
 * app.addMiddleware(HTTPSRedirectMiddleware, { trustedProxies: ["10.0.0.0/8"] });
 */
export class HTTPSRedirectMiddleware extends SyncCapableMiddleware {
  readonly #proxies: ProxyList;
  readonly #status: 307 | 308;

  constructor(options: HTTPSRedirectOptions = {}) {
    super();
    this.#proxies = new ProxyList(options.trustedProxies);
    this.#status = options.status ?? 307;
  }

  /** @internal `dispatch` without a promise when the rest of the stack answered synchronously. */
  [dispatchSync](request: Request, next: Next): Response | Promise<Response> {
    if (this.#proxies.scheme(request) === "https") return next(request);
    const host = (request.header("host") ?? "localhost").trim();
    // The default ports are implied by the scheme: http://example.com:80 becomes https://example.com.
    const target = host.replace(/:(80|443)$/, "");
    return new RedirectResponse(`https://${target}${request.url}`, this.#status);
  }
}
