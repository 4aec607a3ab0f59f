/** Item 9 on the real Redis: atomic Lua scripts, correct across clients and across two app processes. */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, Depends, RateLimiter, RedisRateLimitStore } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { connectRedis, uniquePrefix } from "../cache/redis.ts";
import { sleep } from "../core/helpers.ts";

const FIXTURE = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "limited-server.ts");

let redis: Redis;
let other: Redis;
beforeAll(async () => {
  redis = await connectRedis();
  other = await connectRedis();
});
afterAll(() => {
  redis?.disconnect();
  other?.disconnect();
});

describe("RedisRateLimitStore", () => {
  for (const algorithm of ["fixed", "sliding"] as const) {
    it(`${algorithm}: allows exactly the limit under concurrent hits from two clients`, async () => {
      const prefix = uniquePrefix(`rl-${algorithm}`);
      const a = new RedisRateLimitStore(redis, { prefix });
      const b = new RedisRateLimitStore(other, { prefix });
      const hits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? a : b).hit("client", 10, 60_000, algorithm)));
      expect(hits.filter((h) => h.allowed)).toHaveLength(10);
      const refused = hits.find((h) => !h.allowed)!;
      expect(refused.remaining).toBe(0);
      expect(refused.retryAfterMs).toBeGreaterThan(58_000);
      expect(await redis.pttl(`${prefix}client`)).toBeGreaterThan(58_000); // counters expire on their own
    });

    it(`${algorithm}: lets requests through again once the window has passed`, async () => {
      const store = new RedisRateLimitStore(redis, { prefix: uniquePrefix("rl-window") });
      expect((await store.hit("k", 2, 1000, algorithm)).allowed).toBe(true);
      expect((await store.hit("k", 2, 1000, algorithm)).allowed).toBe(true);
      expect((await store.hit("k", 2, 1000, algorithm)).allowed).toBe(false);
      await sleep(1100);
      expect((await store.hit("k", 2, 1000, algorithm)).allowed).toBe(true);
      await store.reset("k");
      expect((await store.hit("k", 2, 1000, algorithm)).remaining).toBe(1);
    });
  }

  it("sliding: refused hits are not stored", async () => {
    const prefix = uniquePrefix("rl-refused");
    const store = new RedisRateLimitStore(redis, { prefix });
    for (let i = 0; i < 10; i++) await store.hit("k", 3, 60_000, "sliding");
    expect(await redis.zcard(`${prefix}k`)).toBe(3);
  });

  it("seed example 28's RateLimiter(max_requests=5), production version: 5 requests, then 429", async () => {
    const rateLimit = new RateLimiter({ limit: 5, window: 60, detail: "Too many requests", store: new RedisRateLimitStore(redis, { prefix: uniquePrefix("seed28") }) });
    const app = new App();
    app.get("/items", { dependencies: [Depends(rateLimit)] }, () => ({ items: [], skip: 0, limit: 20 }));
    const client = new TestClient(app);
    for (let i = 0; i < 5; i++) expect((await client.get("/items")).json()).toEqual({ items: [], skip: 0, limit: 20 });
    const refused = await client.get("/items");
    expect(refused.status).toBe(429);
    expect(refused.json()).toEqual({ detail: "Too many requests" });
    expect(Number(refused.header("retry-after"))).toBeGreaterThan(0);
  });
});

describe("two app processes sharing one Redis", () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill("SIGTERM");
  });

  async function start(env: Record<string, string>): Promise<string> {
    const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    children.push(child);
    let output = "";
    return new Promise((resolve, reject) => {
      child.stdout!.on("data", (chunk: Buffer) => {
        output += chunk;
        const line = output.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve(JSON.parse(line).url);
      });
      child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
      child.once("exit", (code) => reject(new Error(`app process exited (${code}):\n${output}`)));
    });
  }

  for (const algorithm of ["fixed", "sliding"]) {
    it(`${algorithm}: allow exactly the limit in total, whichever process gets the request`, { timeout: 90_000 }, async () => {
      const env = { PREFIX: uniquePrefix(`cross-${algorithm}`), LIMIT: "12", ALGORITHM: algorithm };
      const urls = await Promise.all([start(env), start(env)]);
      const get = (url: string, key: string) =>
        fetch(`${url}/items`, { headers: { "x-api-key": key } }).then(async (r) => ({ status: r.status, pid: r.headers.get("x-pid"), body: await r.json() }));

      // Alternating one by one: each process alone would allow 12, together they allow 12 in total.
      const alternating = [];
      for (let i = 0; i < 14; i++) alternating.push(await get(urls[i % 2]!, "sequential-key"));
      expect(alternating.map((r) => r.status)).toEqual([...new Array(12).fill(200), 429, 429]);
      expect(new Set(alternating.map((r) => r.pid)).size).toBe(2);

      // A concurrent burst across both processes: still exactly the limit (each hit is one atomic script).
      const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => get(urls[i % 2]!, "burst-key")));
      expect(burst.filter((r) => r.status === 200)).toHaveLength(12);
      expect(burst.filter((r) => r.status === 429)).toHaveLength(28);
      expect(new Set(burst.map((r) => r.pid)).size).toBe(2);
      const other = await fetch(`${urls[0]}/items`, { headers: { "x-api-key": "another-key" } });
      expect(other.status).toBe(200);
    });
  }
});
