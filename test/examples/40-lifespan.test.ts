import { afterEach, beforeEach, describe, expect, expectTypeOf, it } from "vitest";
import { app, dbPool, mlModel, output, type DatabasePool, type MLModel } from "../../examples/seed/40-lifespan.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("seed 40: lifespan", () => {
  const lines: string[] = [];
  const print = output.print;
  beforeEach(() => {
    lines.length = 0;
    output.print = (line) => void lines.push(line);
  });
  afterEach(() => {
    output.print = print;
  });

  it("runs startup before requests and shutdown after them, in the order written", async () => {
    const client = new TestClient(app);
    // Without startup (FastAPI's TestClient outside `with`): nothing is loaded yet.
    expect((await client.get("/predict", { params: { data: "x" } })).json()).toEqual({ error: "Model not ready" });
    expect((await client.get("/db-status")).json()).toEqual({ connected: false });

    await client.start();
    expect(lines).toEqual([
      "[Startup] Starting application...",
      "[Startup] ML model loaded",
      "[Startup] Database pool initialized",
      "[Startup] Application ready",
    ]);
    expect((await client.get("/predict", { params: { data: "hello" } })).json()).toEqual({ result: "prediction for: hello" });
    expect((await client.get("/db-status")).json()).toEqual({ connected: true });
    expect((await client.get("/predict")).status).toBe(422); // data is required

    lines.length = 0;
    await client.stop();
    expect(lines).toEqual(["[Shutdown] Shutting down...", "[Shutdown] Database pool closed", "[Shutdown] ML model unloaded", "[Shutdown] Goodbye"]);
    expect(mlModel.loaded).toBe(false);
    expect(dbPool.pool).toBeNull();
  });

  it("types app.state from what the lifespan yields", () => {
    expectTypeOf<typeof app.state>().toEqualTypeOf<{ mlModel: MLModel; dbPool: DatabasePool }>();
  });
});
