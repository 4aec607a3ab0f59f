/** Item 5: typed lifespan state, failing startup, graceful SIGTERM shutdown. */
import { spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, expectTypeOf, it } from "vitest";
import { App, Depends, serve, TypefastError } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger } from "../core/helpers.ts";

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");

describe("lifespan state", () => {
  it("is typed from what the lifespan yields and reachable from routes and dependencies", async () => {
    const events: string[] = [];
    const app = new App({
      lifespan: async function* () {
        events.push("startup");
        yield { model: { predict: (x: string) => `prediction for: ${x}` }, pool: "connected" as const };
        events.push("shutdown");
      },
    });
    expectTypeOf<typeof app.state>().toEqualTypeOf<{ model: { predict: (x: string) => string }; pool: "connected" }>();
    const pool = Depends(() => app.state.pool);
    app.get("/predict", { params: { pool } }, ({ pool }) => ({ result: app.state.model.predict("x"), pool }));
    await using client = await new TestClient(app).start();
    expect((await client.get("/predict")).json()).toEqual({ result: "prediction for: x", pool: "connected" });
    await client.stop();
    expect(events).toEqual(["startup", "shutdown"]);
  });

  it("refuses to be read before startup, naming the usual cause", () => {
    const app = new App({ lifespan: async function* () { yield { db: 1 }; } });
    expect(() => app.state).toThrow(TypefastError);
    expect(() => app.state).toThrow(/client.start\(\)/);
    expect(new App().state).toBeUndefined();
  });

  it("runs shutdown once even when called twice, and accepts sync generators", async () => {
    let downs = 0;
    const app = new App({ lifespan: function* () { yield 1; downs++; } });
    await app.startup();
    await app.shutdown();
    await app.shutdown();
    expect(downs).toBe(1);
  });
});

describe("serve() with a failing startup", () => {
  const exitCode = process.exitCode;
  afterEach(() => {
    process.exitCode = exitCode;
  });

  it("rejects with TF_STARTUP_FAILED, logs why, sets a non-zero exit code and does not listen", async () => {
    const logger = collectingLogger();
    const app = new App({
      title: "Shop",
      logger,
      lifespan: async function* () {
        throw new Error("database is unreachable");
        yield; // eslint-disable-line no-unreachable
      },
    });
    const failure = await serve(app, { port: 0, announce: false, handleSignals: false }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TypefastError);
    expect((failure as TypefastError).code).toBe("TF_STARTUP_FAILED");
    expect((failure as Error).message).toBe("Application startup failed: database is unreachable. Shop was not started.");
    expect(((failure as Error).cause as Error).message).toBe("database is unreachable");
    expect(logger.errors[0]!.message).toContain("Application startup failed: database is unreachable");
    expect(process.exitCode).toBe(1);
  });

  it("tears down what did start when a mounted app fails", async () => {
    const events: string[] = [];
    const root = new App({ logger: collectingLogger(), lifespan: async function* () { events.push("root up"); yield; events.push("root down"); } });
    const sub = new App({ lifespan: async function* () { throw new Error("sub failed"); yield; } }); // eslint-disable-line require-yield
    root.mount("/sub", sub);
    await expect(serve(root, { port: 0, announce: false, handleSignals: false })).rejects.toThrow(/sub failed/);
    expect(events).toEqual(["root up", "root down"]);
  });

  it("makes the process exit non-zero with a clear message", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(FIXTURES, "failing-startup.ts")], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c) => (output += c));
    child.stderr.on("data", (c) => (output += c));
    const [code] = await once(child, "exit");
    expect(code).not.toBe(0);
    expect(output).toContain("Application startup failed: database is unreachable. Broken was not started.");
    expect(output).not.toContain("is listening");
  });
});

describe("SIGTERM", () => {
  it("flips readiness to 503, finishes in-flight requests, then runs shutdown and exits 0", { timeout: 60_000 }, async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(FIXTURES, "graceful-server.ts")], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stderr.on("data", (c) => (output += c));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        output += chunk;
        const line = output.split("\n").find((l) => l.startsWith("{"));
        if (line) resolve(JSON.parse(line).url);
      });
      child.once("exit", () => reject(new Error(`server exited early:\n${output}`)));
    });
    expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    const slow = fetch(`${url}/slow`).then(async (r) => ({ status: r.status, body: await r.json(), at: output.includes("shutdown done") }));
    while (!output.includes("slow request started")) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill("SIGTERM");
    // During the shutdown delay the server still accepts connections, and readiness already says 503.
    let ready = await fetch(`${url}/health/ready`, { headers: { connection: "close" } });
    for (let i = 0; i < 50 && ready.status === 200; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      ready = await fetch(`${url}/health/ready`, { headers: { connection: "close" } });
    }
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ status: "shutting_down" });
    const done = await slow;
    expect(done).toEqual({ status: 200, body: { finished: true }, at: false });
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(output).toContain("SIGTERM received");
    expect(output.indexOf("shutdown done")).toBeGreaterThan(output.indexOf("startup done"));
  });
});
