import { afterEach, describe, expect, it } from "vitest";
import { app, state } from "../../examples/seed/55-health.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("seed 55: health checks", () => {
  const client = new TestClient(app);
  afterEach(() => {
    state.databaseHealthy = true;
  });

  it("liveness: alive with the uptime", async () => {
    const res = await client.get("/health/live");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: "alive", uptime: expect.any(Number) });
  });

  it("readiness: healthy with every check while the dependencies are up", async () => {
    const res = await client.get("/health/ready");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ status: "healthy", uptime_seconds: expect.any(Number), checks: { database: true, external_api: true } });
  });

  it("readiness: 503 degraded while the database is down; liveness stays 200", async () => {
    state.databaseHealthy = false;
    const res = await client.get("/health/ready");
    expect(res.status).toBe(503);
    expect(res.json()).toMatchObject({ status: "degraded", checks: { database: false, external_api: true } });
    expect((await client.get("/health/live")).status).toBe(200);
  });

  // Last: announcing the shutdown cannot be undone.
  it("both: 503 shutting_down once SIGTERM is received", async () => {
    app.beginShutdown(); // what serve() does on SIGTERM
    for (const path of ["/health/live", "/health/ready"]) {
      const res = await client.get(path);
      expect(res.status).toBe(503);
      expect(res.json()).toEqual({ status: "shutting_down" });
    }
  });
});
