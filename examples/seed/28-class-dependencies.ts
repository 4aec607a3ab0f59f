/**
 * Seed example 28 — class-based dependencies.
 *
 * A class instance with `params` and `call` is a dependency: its configuration (a maximum page size, a request
 * budget) is set once in the constructor, and `call` runs per request with that shared state.
 */
import { z } from "zod";
import { App, Depends, HTTPException, Query, type RequestContext } from "../../src/index.ts";

/** Validates `skip`/`limit` and refuses pages larger than `maxLimit`. */
export class Paginator {
  // FastAPI reads these from `__call__`'s signature; Typefast declares them as `params`.
  readonly params = { skip: Query(z.int().default(0)), limit: Query(z.int().default(20)) };

  constructor(readonly maxLimit = 100) {}

  call({ skip, limit }: { skip: number; limit: number }): { skip: number; limit: number } {
    if (limit > this.maxLimit) throw new HTTPException(400, `limit cannot exceed ${this.maxLimit}`);
    return { skip, limit: Math.min(limit, this.maxLimit) };
  }
}

/** Counts requests per client address in memory (use Redis to share the count between processes). */
export class RateLimiter {
  readonly params = {};
  readonly requests = new Map<string, number>();

  constructor(readonly maxRequests = 10) {}

  call(_args: object, { request }: RequestContext): void {
    const clientIp = request.client.host;
    const count = this.requests.get(clientIp) ?? 0;
    if (count >= this.maxRequests) throw new HTTPException(429, "Too many requests");
    this.requests.set(clientIp, count + 1);
  }
}

/** One instance each, configured once and reused by every request. */
export const paginate = new Paginator(50);
export const rateLimit = new RateLimiter(5);

export const app = new App({ title: "Class-based dependencies" });

app.get("/items", {
  // Same order as the seed: the page is checked before the request is counted.
  params: { pagination: Depends(paginate), _: Depends(rateLimit) },
}, ({ pagination }) => ({ items: [], ...pagination }));
