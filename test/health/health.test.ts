/** Item 10: liveness and readiness endpoints with registered checks; 503 while shutting down. */
import { describe, expect, it } from "vitest";
import { App, Health } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger } from "../core/helpers.ts";

function setup(checks: ConstructorParameters<typeof Health>[1] = {}) {
  const logger = collectingLogger();
  const app = new App({ logger });
  const health = new Health(app, checks);
  app.includeRouter(health.router());
  return { app, health, logger, client: new TestClient(app) };
}

describe("Health", () => {
  it("liveness answers alive with the uptime and checks nothing", async () => {
    let called = false;
    const { client } = setup({ checks: { database: () => (called = true) } });
    const res = await client.get("/health/live");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: "alive", uptime: expect.any(Number) });
    expect(called).toBe(false);
  });

  it("readiness reports every check: 200 healthy when all pass", async () => {
    const { client } = setup({ checks: { database: async () => true, external_api: () => true } });
    const res = await client.get("/health/ready");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: "healthy", uptime_seconds: expect.any(Number), checks: { database: true, external_api: true } });
    expect(res.header("cache-control")).toBe("no-store");
  });

  it("readiness is 503 degraded when a check fails, throws or hangs — and logs why", async () => {
    const { client, health, logger } = setup({ timeout: 0.05, checks: { database: async () => false } });
    health.addCheck("cache", () => { throw new Error("ECONNREFUSED"); });
    let aborted = false;
    health.addCheck("slow", (signal) => new Promise((resolve) => signal.addEventListener("abort", () => { aborted = true; resolve(true); })));
    health.addCheck("ok", () => true);
    const res = await client.get("/health/ready");
    expect(res.status).toBe(503);
    expect(res.json().status).toBe("degraded");
    expect(res.json().checks).toEqual({ database: false, cache: false, slow: false, ok: true });
    expect(aborted).toBe(true);
    expect(logger.errors.map((e) => e.message)).toEqual(["Health check cache failed"]);
    expect(logger.warnings).toEqual(["Health check slow timed out after 50 ms"]);
  });

  it("runs the checks concurrently", async () => {
    let active = 0;
    let most = 0;
    const slow = async () => {
      most = Math.max(most, ++active);
      await new Promise((resolve) => setTimeout(resolve, 20));
      active--;
      return true;
    };
    const { client } = setup({ checks: { a: slow, b: slow, c: slow } });
    await client.get("/health/ready");
    expect(most).toBe(3);
  });

  it("both endpoints turn 503 shutting_down as soon as a shutdown is announced", async () => {
    const { app, client } = setup({ checks: { database: () => true } });
    await client.start();
    expect((await client.get("/health/ready")).status).toBe(200);
    app.beginShutdown();
    for (const path of ["/health/live", "/health/ready"]) {
      const res = await client.get(path);
      expect([res.status, res.json()]).toEqual([503, { status: "shutting_down" }]);
    }
  });

  it("also turns 503 in a mounted app when the parent shuts down", async () => {
    const root = new App();
    const sub = new App();
    sub.includeRouter(new Health(sub).router());
    root.mount("/api", sub);
    const client = new TestClient(root);
    expect((await client.get("/api/health/ready")).status).toBe(200);
    root.beginShutdown();
    expect((await client.get("/api/health/ready")).status).toBe(503);
  });

  it("takes a prefix, documents the endpoints under the health tag, or hides them", () => {
    const app = new App();
    app.includeRouter(new Health(app, { prefix: "/_status" }).router());
    const paths = app.openapi().paths!;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(["/_status/live", "/_status/ready"]));
    expect((paths["/_status/ready"]!.get as { tags: string[] }).tags).toEqual(["health"]);
    const hidden = new App();
    hidden.includeRouter(new Health(hidden, { includeInSchema: false }).router());
    expect(hidden.openapi().paths?.["/health/live"]).toBeUndefined();
  });
});
