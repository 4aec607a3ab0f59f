/** Item 8: one Cache interface, run against both backends; memoize. */
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Depends, MemoryCache, Path, RedisCache, memoize, type Cache } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { sleep } from "../core/helpers.ts";
import { connectRedis, uniquePrefix } from "./redis.ts";

let redis: Redis;
beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(() => redis?.disconnect());

type Item = { id: number; name: string };

const backends: Array<[string, () => Cache<Item | null>]> = [
  ["MemoryCache", () => new MemoryCache<Item | null>()],
  ["RedisCache", () => new RedisCache<Item | null>(redis, { prefix: uniquePrefix("cache") })],
];

for (const [name, make] of backends) {
  describe(`${name} (shared behaviour)`, () => {
    it("stores, reads, deletes and clears", async () => {
      const cache = make();
      expect(await cache.get("a")).toBeUndefined();
      await cache.set("a", { id: 1, name: "one" });
      await cache.set("b", null);
      expect(await cache.get("a")).toEqual({ id: 1, name: "one" });
      expect(await cache.get("b")).toBeNull();
      expect(await cache.delete("a")).toBe(true);
      expect(await cache.delete("a")).toBe(false);
      await cache.set("c", { id: 3, name: "three" });
      await cache.clear();
      expect(await cache.get("b")).toBeUndefined();
      expect(await cache.get("c")).toBeUndefined();
    });

    it("expires entries after their TTL", async () => {
      const cache = make();
      await cache.set("short", { id: 1, name: "x" }, { ttl: 0.3 });
      await cache.set("long", { id: 2, name: "y" }, { ttl: 10 });
      expect(await cache.get("short")).toEqual({ id: 1, name: "x" });
      await sleep(450);
      expect(await cache.get("short")).toBeUndefined();
      expect(await cache.get("long")).toEqual({ id: 2, name: "y" });
      await expect(cache.set("bad", null, { ttl: 0 })).rejects.toThrow(RangeError);
    });

    it("getOrSet computes once for concurrent misses and stores nothing when the factory fails", async () => {
      const cache = make();
      let calls = 0;
      const load = async () => {
        calls++;
        await sleep(10);
        return { id: 7, name: "seven" };
      };
      const results = await Promise.all([1, 2, 3].map(() => cache.getOrSet("item:7", load, { ttl: 5 })));
      expect(results).toEqual([1, 2, 3].map(() => ({ id: 7, name: "seven" })));
      expect(calls).toBe(1);
      expect(await cache.getOrSet("item:7", load)).toEqual({ id: 7, name: "seven" });
      expect(calls).toBe(1);
      await expect(cache.getOrSet("item:8", async () => { throw new Error("db down"); })).rejects.toThrow("db down");
      expect(await cache.get("item:8")).toBeUndefined();
    });

    it("works as a dependency (seed example 48's item cache)", async () => {
      const cache = make();
      const getCache = Depends(() => cache);
      const app = new App();
      app.get("/items-cached/{item_id}", { params: { item_id: Path(z.int()), cache: getCache } }, async ({ item_id, cache }) => {
        const hit = await cache.get(`item:${item_id}`);
        if (hit) return { ...hit, from_cache: true };
        const item = { id: item_id, name: `item-${item_id}` };
        await cache.set(`item:${item_id}`, item, { ttl: 30 });
        return { ...item, from_cache: false };
      });
      const client = new TestClient(app);
      expect((await client.get("/items-cached/1")).json()).toEqual({ id: 1, name: "item-1", from_cache: false });
      expect((await client.get("/items-cached/1")).json()).toEqual({ id: 1, name: "item-1", from_cache: true });
    });
  });
}

describe("MemoryCache", () => {
  it("evicts the least recently used entry beyond maxEntries", async () => {
    const cache = new MemoryCache<number>({ maxEntries: 2 });
    await cache.set("a", 1);
    await cache.set("b", 2);
    await cache.get("a"); // a is now more recent than b
    await cache.set("c", 3);
    expect(await cache.get("b")).toBeUndefined();
    expect(await cache.get("a")).toBe(1);
    expect(cache.size).toBe(2);
  });

  it("uses the default TTL and an injectable clock", async () => {
    let now = 0;
    const cache = new MemoryCache<string>({ defaultTtl: 30, now: () => now });
    await cache.set("k", "v");
    now = 29_999;
    expect(await cache.get("k")).toBe("v");
    now = 30_000;
    expect(await cache.get("k")).toBeUndefined();
  });
});

describe("RedisCache", () => {
  it("is shared between clients and only clears its own prefix", async () => {
    const prefix = uniquePrefix("shared");
    const other = uniquePrefix("other");
    const a = new RedisCache<string>(redis, { prefix });
    const b = new RedisCache<string>(redis, { prefix });
    const c = new RedisCache<string>(redis, { prefix: other });
    await a.set("k", "from a", { ttl: 5 });
    await c.set("k", "keep me", { ttl: 5 });
    expect(await b.get("k")).toBe("from a");
    expect(await redis.pttl(`${prefix}k`)).toBeGreaterThan(4000);
    await b.clear();
    expect(await a.get("k")).toBeUndefined();
    expect(await c.get("k")).toBe("keep me");
    await c.clear();
  });

  it("refuses an empty prefix and non-JSON values", async () => {
    expect(() => new RedisCache(redis, { prefix: "" })).toThrow(RangeError);
    await expect(new RedisCache<unknown>(redis, { prefix: uniquePrefix("x") }).set("f", () => 1)).rejects.toThrow(/not JSON data/);
  });
});

describe("memoize", () => {
  it("caches results per argument like lru_cache, with cacheInfo and cacheClear", () => {
    let computed = 0;
    const expensive = memoize((key: string) => ({ key, result: key.toUpperCase().repeat(3), n: ++computed }), { maxSize: 2 });
    expect(expensive("ab")).toEqual({ key: "ab", result: "ABABAB", n: 1 });
    expect(expensive("ab").n).toBe(1);
    expensive("cd");
    expensive("ef"); // evicts "ab"
    expect(expensive("ab").n).toBe(4);
    expect(expensive.cacheInfo()).toEqual({ hits: 1, misses: 4, size: 2, maxSize: 2 });
    expensive.cacheClear();
    expect(expensive.cacheInfo().size).toBe(0);
  });

  it("shares one in-flight promise and forgets rejections", async () => {
    let calls = 0;
    const load = memoize(async (id: number) => {
      calls++;
      if (calls === 1) throw new Error("flaky");
      return id * 2;
    });
    await expect(load(2)).rejects.toThrow("flaky");
    const [a, b] = await Promise.all([load(2), load(2)]);
    expect([a, b, calls]).toEqual([4, 4, 2]);
  });

  it("expires results after ttl and supports custom keys", () => {
    let now = 0;
    let calls = 0;
    const config = memoize((_o: { env: string }) => ++calls, { ttl: 60, now: () => now, key: (o) => o.env });
    config({ env: "prod" });
    config({ env: "prod" });
    expect(calls).toBe(1);
    now = 60_000;
    config({ env: "prod" });
    expect(calls).toBe(2);
  });
});
