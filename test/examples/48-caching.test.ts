import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { app, clock, getConfigFromExternal, lruCache, output, timing } from "../../examples/seed/48-caching.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("seed 48: in-process caching", () => {
  const client = new TestClient(app);
  const lines: string[] = [];
  const saved = { print: output.print, now: clock.now, computeMs: timing.computeMs };
  let fakeNow = 1_000_000;
  beforeEach(() => {
    lines.length = 0;
    output.print = (line) => void lines.push(line);
    clock.now = () => fakeNow;
    timing.computeMs = 5;
  });
  afterEach(() => {
    output.print = saved.print;
    clock.now = saved.now;
    timing.computeMs = saved.computeMs;
  });

  it("computes a key once: the second call is a cache hit with the same computed_at", async () => {
    const first = (await client.get("/compute/abc")).json();
    expect(first).toEqual({ key: "abc", result: "ABCABCABC", computed_at: fakeNow });
    fakeNow += 60;
    const second = (await client.get("/compute/abc")).json();
    expect(second).toEqual(first);
    expect(lines).toEqual(["[CACHE MISS] Computing for key: abc"]);
    await client.get("/compute/xyz");
    expect(lines).toEqual(["[CACHE MISS] Computing for key: abc", "[CACHE MISS] Computing for key: xyz"]);
  });

  it("serves items from the TTL cache until they expire (fake clock)", async () => {
    const first = await client.get("/items-cached/5");
    expect(first.json()).toEqual({ id: 5, name: "item-5", price: 9.99, from_cache: false });
    fakeNow += 29;
    expect((await client.get("/items-cached/5")).json()).toMatchObject({ from_cache: true });
    fakeNow += 2; // 31 s after it was stored: the 30 s TTL has passed
    expect((await client.get("/items-cached/5")).json()).toMatchObject({ from_cache: false });
    expect((await client.get("/items-cached/5")).json()).toMatchObject({ from_cache: true });
  });

  it("reads the config once", () => {
    expect(getConfigFromExternal()).toEqual({ theme: "dark", max_items: 100 });
    expect(getConfigFromExternal()).toBe(getConfigFromExternal());
    expect(lines).toEqual(["[CACHE MISS] Reading config"]);
  });

  it("lruCache evicts the least recently used key", () => {
    const calls: number[] = [];
    const square = lruCache((n: number) => (calls.push(n), n * n), 2);
    square(1);
    square(2);
    square(1); // 1 is now the most recent
    square(3); // evicts 2
    square(1);
    square(2);
    expect(calls).toEqual([1, 2, 3, 2]);
  });
});
