/** Item 5: app-scoped dependencies (fastapi#617) — created once, shared, torn down at shutdown. */
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { App, Depends, Query, TypefastError } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger } from "../core/helpers.ts";

function pools() {
  const events: string[] = [];
  let created = 0;
  const getPool = Depends(
    async function* getPool() {
      const pool = { id: ++created, open: true };
      events.push(`pool ${pool.id} open`);
      try {
        yield pool;
      } finally {
        pool.open = false;
        events.push(`pool ${pool.id} closed`);
      }
    },
    { scope: "app" },
  );
  const getRepo = Depends(
    { pool: getPool },
    function getRepo({ pool }) {
      events.push("repo created");
      return { pool };
    },
    { scope: "app" },
  );
  return { events, getPool, getRepo, created: () => created };
}

describe('scope: "app"', () => {
  it("creates the value at startup, shares it across requests, and tears it down at shutdown", async () => {
    const { events, getPool, created } = pools();
    const app = new App({ lifespan: async function* () { events.push("lifespan up"); yield; events.push("lifespan down"); } });
    app.get("/pool", { params: { pool: getPool } }, ({ pool }) => ({ id: pool.id, open: pool.open }));
    const client = new TestClient(app);
    await client.start();
    expect(events).toEqual(["lifespan up", "pool 1 open"]);
    expect((await client.get("/pool")).json()).toEqual({ id: 1, open: true });
    expect((await client.get("/pool")).json()).toEqual({ id: 1, open: true });
    expect(created()).toBe(1);
    await client.stop();
    // Torn down before the lifespan's shutdown: the pool may use what the lifespan set up.
    expect(events).toEqual(["lifespan up", "pool 1 open", "pool 1 closed", "lifespan down"]);
  });

  it("builds app-scoped chains in order and tears them down newest first", async () => {
    const { events, getRepo, getPool } = pools();
    const closeOrder: string[] = [];
    const getClient = Depends(async function* getClient() { yield "client"; closeOrder.push("client"); }, { scope: "app" });
    const app = new App();
    app.get("/a", { params: { repo: getRepo, c: getClient } }, ({ repo }) => ({ id: repo.pool.id }));
    app.get("/b", { params: { pool: getPool } }, ({ pool }) => ({ id: pool.id }));
    const client = await new TestClient(app).start();
    expect(events).toEqual(["pool 1 open", "repo created"]);
    expect((await client.get("/b")).json()).toEqual({ id: 1 });
    await client.stop();
    expect(closeOrder).toEqual(["client"]);
    expect(events.at(-1)).toBe("pool 1 closed");
  });

  it("without startup, creates the value on first use — once, even for concurrent first requests", async () => {
    const { getPool, created } = pools();
    const app = new App();
    app.get("/pool", { params: { pool: getPool } }, ({ pool }) => ({ id: pool.id }));
    const client = new TestClient(app);
    const answers = await Promise.all([1, 2, 3, 4].map(() => client.get("/pool")));
    expect(answers.map((r) => r.json().id)).toEqual([1, 1, 1, 1]);
    expect(created()).toBe(1);
    await app.shutdown();
  });

  it("retries a creation that failed instead of caching the error", async () => {
    let attempts = 0;
    const flaky = Depends(() => {
      attempts++;
      if (attempts === 1) throw new Error("connection refused");
      return "connected";
    }, { scope: "app" });
    const app = new App({ logger: collectingLogger() });
    app.get("/", { params: { conn: flaky } }, ({ conn }) => ({ conn }));
    const client = new TestClient(app);
    expect((await client.get("/")).status).toBe(500);
    expect((await client.get("/")).json()).toEqual({ conn: "connected" });
    expect(attempts).toBe(2);
  });

  it("fails startup when the value cannot be created, so the app never serves without it", async () => {
    const broken = Depends(async () => { throw new Error("pool exhausted"); }, { scope: "app" });
    const app = new App();
    app.get("/", { params: { b: broken } }, () => ({}));
    await expect(app.startup()).rejects.toThrow("pool exhausted");
  });

  it("is refused at registration when it depends on request data", () => {
    const app = new App();
    const perRequest = Depends({ q: Query(z.string()) }, ({ q }) => q, { scope: "app" });
    expect(() => app.get("/", { params: { v: perRequest } }, () => ({}))).toThrow(TypefastError);
    expect(() => app.get("/", { params: { v: perRequest } }, () => ({}))).toThrow(/has scope "app" but uses the query parameter 'q'/);
    const user = Depends(() => "alice");
    const cached = Depends({ user }, ({ user }) => user, { scope: "app" });
    expect(() => app.get("/u", { params: { v: cached } }, () => ({}))).toThrow(/request-scoped dependency/);
  });

  it("cannot reach the request through its context", async () => {
    const sneaky = Depends((_args, ctx) => ctx.request.path, { scope: "app" });
    const app = new App({ logger: collectingLogger() });
    app.get("/", { params: { s: sneaky } }, () => ({}));
    await expect(app.startup()).rejects.toThrow(/cannot use ctx.request/);
  });

  it("can be replaced with dependencyOverrides in tests", async () => {
    const { getPool, created } = pools();
    const app = new App();
    app.get("/pool", { params: { pool: getPool } }, ({ pool }) => ({ id: pool.id }));
    using _ = app.dependencyOverrides.set(getPool, () => ({ id: 99, open: true }));
    const client = await new TestClient(app).start();
    expect((await client.get("/pool")).json()).toEqual({ id: 99 });
    expect(created()).toBe(0);
    await client.stop();
  });

  it("logs a failing teardown and still tears down the rest", async () => {
    const logger = collectingLogger();
    const closed: string[] = [];
    const a = Depends(async function* a() { yield 1; closed.push("a"); }, { scope: "app" });
    const b = Depends(async function* b() { yield 2; throw new Error("close failed"); }, { scope: "app" });
    const app = new App({ logger });
    app.get("/", { params: { a, b } }, () => ({}));
    await app.startup();
    await app.shutdown();
    expect(closed).toEqual(["a"]);
    expect(logger.errors.map((e) => e.message)).toEqual(["The teardown of app-scoped dependency b failed"]);
  });
});
