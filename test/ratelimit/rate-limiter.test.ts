/** Item 9: RateLimiter — keys, algorithms, headers, trusted proxies, on the in-memory store. */
import { describe, expect, it } from "vitest";
import { App, Depends, Header, MemoryRateLimitStore, RateLimiter, TypefastError, type RateLimiterOptions } from "../../src/index.ts";
import { z } from "zod";
import { TestClient } from "../../src/testing/index.ts";

function setup(options: Partial<RateLimiterOptions> = {}) {
  let now = 1_000_000;
  const store = new MemoryRateLimitStore({ now: () => now });
  const limiter = new RateLimiter({ limit: 3, window: 60, store, ...options });
  const app = new App();
  app.get("/items", { dependencies: [Depends(limiter)] }, () => ({ items: [] }));
  app.get("/free", {}, () => ({}));
  return { app, limiter, store, client: new TestClient(app), advance: (ms: number) => void (now += ms) };
}

async function statuses(client: TestClient, n: number, init?: Parameters<TestClient["get"]>[1]): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await client.get("/items", init)).status);
  return out;
}

describe("RateLimiter (fixed window)", () => {
  it("allows `limit` requests per window, then answers 429 with Retry-After and RateLimit headers", async () => {
    const { client, advance } = setup();
    const first = await client.get("/items");
    expect(first.header("ratelimit-limit")).toBe("3");
    expect(first.header("ratelimit-remaining")).toBe("2");
    expect(first.header("ratelimit-reset")).toBe("60");
    expect(first.header("ratelimit-policy")).toBe("3;w=60");
    expect(await statuses(client, 2)).toEqual([200, 200]);
    advance(15_000);
    const refused = await client.get("/items");
    expect(refused.status).toBe(429);
    expect(refused.json()).toEqual({ detail: "Too Many Requests" });
    expect(refused.header("retry-after")).toBe("45");
    expect(refused.header("ratelimit-remaining")).toBe("0");
    expect((await client.get("/free")).status).toBe(200);
    advance(45_000);
    expect(await statuses(client, 3)).toEqual([200, 200, 200]);
  });

  it("counts each client IP separately", async () => {
    const { app } = setup();
    const a = new TestClient(app, { remoteAddress: "198.51.100.1" });
    const b = new TestClient(app, { remoteAddress: "198.51.100.2" });
    expect(await statuses(a, 4)).toEqual([200, 200, 200, 429]);
    expect(await statuses(b, 1)).toEqual([200]);
  });

  it("believes X-Forwarded-For only from trusted proxies", async () => {
    const spoofable = setup();
    const attacker = new TestClient(spoofable.app, { remoteAddress: "203.0.113.66" });
    const spoofed = await Promise.all([1, 2, 3, 4].map((i) => attacker.get("/items", { headers: { "x-forwarded-for": `10.9.9.${i}` } })));
    expect(spoofed.map((r) => r.status)).toContain(429); // a client cannot pick its own key

    const proxied = setup({ trustedProxies: ["10.0.0.0/8"] });
    const proxy = new TestClient(proxied.app, { remoteAddress: "10.0.0.5" });
    expect(await statuses(proxy, 3, { headers: { "x-forwarded-for": "198.51.100.1" } })).toEqual([200, 200, 200]);
    expect(await statuses(proxy, 1, { headers: { "x-forwarded-for": "198.51.100.2" } })).toEqual([200]);
    expect(await statuses(proxy, 1, { headers: { "x-forwarded-for": "6.6.6.6, 198.51.100.1" } })).toEqual([429]);
  });

  it("keys by API key, falling back to the IP without one", async () => {
    const { client } = setup({ key: "api-key" });
    expect(await statuses(client, 4, { headers: { "x-api-key": "k1" } })).toEqual([200, 200, 200, 429]);
    expect(await statuses(client, 1, { headers: { "x-api-key": "k2" } })).toEqual([200]);
    expect(await statuses(client, 1)).toEqual([200]);
  });

  it("keys by a dependency's value, e.g. the current user", async () => {
    const currentUser = Depends({ token: Header(z.string()) }, ({ token }) => ({ id: token.replace("token-", "user-") }));
    const byUser = Depends({ user: currentUser }, ({ user }) => user.id);
    const { client } = setup({ key: byUser, limit: 2 });
    expect(await statuses(client, 3, { headers: { token: "token-alice" } })).toEqual([200, 200, 429]);
    expect(await statuses(client, 2, { headers: { token: "token-bob" } })).toEqual([200, 200]);
    expect((await client.get("/items")).status).toBe(422); // the user dependency's own validation still applies
  });

  it("keeps limiters with different names or settings apart on one store", async () => {
    const store = new MemoryRateLimitStore();
    const a = new RateLimiter({ limit: 1, window: 60, store, name: "login" });
    const b = new RateLimiter({ limit: 1, window: 60, store, name: "search" });
    const app = new App();
    app.get("/login", { dependencies: [Depends(a)] }, () => ({}));
    app.get("/search", { dependencies: [Depends(b)] }, () => ({}));
    const c = new TestClient(app);
    expect((await c.get("/login")).status).toBe(200);
    expect((await c.get("/search")).status).toBe(200);
    expect((await c.get("/login")).status).toBe(429);
  });

  it("gives its result as a parameter, with a custom detail and without headers on success", async () => {
    const limiter = new RateLimiter({ limit: 2, window: 10, detail: "Too many requests", headers: false });
    const app = new App();
    app.get("/q", { params: { quota: Depends(limiter) } }, ({ quota }) => ({ remaining: quota.remaining }));
    const c = new TestClient(app);
    const res = await c.get("/q");
    expect(res.json()).toEqual({ remaining: 1 });
    expect(res.header("ratelimit-limit")).toBeUndefined();
    await c.get("/q");
    expect((await c.get("/q")).json()).toEqual({ detail: "Too many requests" });
  });

  it("rejects nonsense settings", () => {
    expect(() => new RateLimiter({ limit: 0, window: 1 })).toThrow(TypefastError);
    expect(() => new RateLimiter({ limit: 1.5, window: 1 })).toThrow(TypefastError);
    expect(() => new RateLimiter({ limit: 1, window: 0 })).toThrow(TypefastError);
  });
});

describe("RateLimiter (sliding window)", () => {
  it("never allows more than `limit` in any window-long span (no burst across a boundary)", async () => {
    const fixed = setup({ limit: 3, window: 10 });
    fixed.advance(9_000);
    // Fixed: 3 at the end of one window, 3 more right after it resets — 6 within two seconds.
    expect(await statuses(fixed.client, 3)).toEqual([200, 200, 200]);
    const sliding = setup({ limit: 3, window: 10, algorithm: "sliding" });
    expect(await statuses(sliding.client, 3)).toEqual([200, 200, 200]);
    sliding.advance(5_000);
    expect(await statuses(sliding.client, 1)).toEqual([429]);
    sliding.advance(4_999);
    const refused = await sliding.client.get("/items");
    expect(refused.status).toBe(429);
    expect(refused.header("retry-after")).toBe("1");
    sliding.advance(1);
    expect(await statuses(sliding.client, 3)).toEqual([200, 200, 200]);
  });

  it("does not count refused requests, so a client hammering in a loop gets in when the window moves", async () => {
    const { client, advance } = setup({ limit: 2, window: 10, algorithm: "sliding" });
    await statuses(client, 2);
    advance(3_000);
    expect(await statuses(client, 50)).toEqual(new Array(50).fill(429));
    advance(7_000);
    expect(await statuses(client, 2)).toEqual([200, 200]);
  });

  it("reports remaining and reset from the oldest counted hit", async () => {
    const { client, advance } = setup({ limit: 2, window: 10, algorithm: "sliding" });
    await client.get("/items");
    advance(4_000);
    const res = await client.get("/items");
    expect(res.header("ratelimit-remaining")).toBe("0");
    expect(res.header("ratelimit-reset")).toBe("6");
  });
});

describe("MemoryRateLimitStore", () => {
  it("resets a key and sweeps expired keys", async () => {
    let now = 0;
    const store = new MemoryRateLimitStore({ now: () => now });
    for (let i = 0; i < 1500; i++) await store.hit(`k${i}`, 1, 1000, i % 2 === 0 ? "fixed" : "sliding");
    expect((await store.hit("k0", 1, 1000, "fixed")).allowed).toBe(false);
    await store.reset("k0");
    expect((await store.hit("k0", 1, 1000, "fixed")).allowed).toBe(true);
    now = 5000;
    await store.hit("fresh", 1, 1000, "fixed");
    expect(store.size).toBe(1);
  });
});
