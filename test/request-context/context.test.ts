/** Item 4: the AsyncLocalStorage-backed request context — isolation, reach, and the id-stamping logger. */
import { describe, expect, it } from "vitest";
import {
  App, ContextVar, Depends, RequestContextMiddleware, RequestIdMiddleware, StreamingResponse, TypefastError,
  contextLogger, currentUserVar, hasRequestContext, requestIdVar, runInRequestContext,
} from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger, eventually, sleep } from "../core/helpers.ts";

describe("ContextVar", () => {
  it("gives the default outside any request, and refuses to be set there", () => {
    const tenant = new ContextVar<string>("tenant", { default: "public" });
    expect(tenant.get()).toBe("public");
    expect(hasRequestContext()).toBe(false);
    expect(() => tenant.set("acme")).toThrow(TypefastError);
    expect(() => tenant.set("acme")).toThrow(/RequestContextMiddleware/);
  });

  it("throws on get() without a value or default, as Python's LookupError; peek() never throws", () => {
    const v = new ContextVar<number>("n");
    expect(() => v.get()).toThrow(/has no value here and no default/);
    expect(v.peek()).toBeUndefined();
  });

  it("run() sets a value for a call and what it starts, then restores the outer one", async () => {
    const v = new ContextVar<string>("v", { default: "outer" });
    const seen: string[] = [];
    await v.run("inner", async () => {
      await sleep(1);
      seen.push(v.get());
      setTimeout(() => seen.push(`timer ${v.get()}`), 0);
      await sleep(5);
    });
    seen.push(v.get());
    expect(seen).toEqual(["inner", "timer inner", "outer"]);
  });

  it("runInRequestContext() opens a fresh context for jobs and scripts", async () => {
    await runInRequestContext(async () => {
      requestIdVar.set("cron-1");
      await sleep(1);
      expect(requestIdVar.get()).toBe("cron-1");
    });
    expect(requestIdVar.peek()).toBeUndefined();
  });
});

describe("request context in an app", () => {
  function build() {
    const lines: string[] = [];
    const log = contextLogger({ info: (m) => void lines.push(m), warn: () => {}, error: () => {} });
    const background: string[] = [];
    const app = new App();
    const auth = Depends({}, async () => {
      await sleep(Math.random() * 5);
      currentUserVar.set({ name: "alice" });
    });
    app.get("/items/{id}", { dependencies: [auth] }, async (_args, { request, background: tasks }) => {
      const id = requestIdVar.get();
      log.info(`Fetching ${request.path}`);
      await sleep(Math.random() * 10);
      log.info("Calling database");
      tasks.add(() => void background.push(`${requestIdVar.get()} ${JSON.stringify(currentUserVar.peek())}`));
      return { id, again: requestIdVar.get(), user: currentUserVar.peek() };
    });
    app.addMiddleware(RequestIdMiddleware);
    return { app, lines, background };
  }

  it("keeps concurrent requests apart, through awaits, dependencies and background tasks", async () => {
    const { app, lines, background } = build();
    const client = new TestClient(app);
    const ids = Array.from({ length: 20 }, (_, i) => `req-${i}`);
    const answers = await Promise.all(ids.map((id) => client.get(`/items/${id}`, { headers: { "x-request-id": id } })));
    answers.forEach((res, i) => {
      expect(res.json()).toEqual({ id: ids[i], again: ids[i], user: { name: "alice" } });
      expect(res.header("x-request-id")).toBe(ids[i]);
    });
    for (const id of ids) {
      expect(lines).toContain(`[${id}] Fetching /items/${id}`);
      expect(lines).toContain(`[${id}] Calling database`);
    }
    await eventually(() => background.length === ids.length);
    expect(background.sort()).toEqual(ids.map((id) => `${id} {"name":"alice"}`).sort());
  });

  it("reaches the middleware on the way out, the streamed body and the teardown", async () => {
    const seen: string[] = [];
    const getDb = Depends(async function* () {
      yield "db";
      seen.push(`teardown ${requestIdVar.get()}`);
    });
    const app = new App();
    app.get("/stream", { params: { db: getDb } }, () => {
      async function* body() {
        await sleep(2);
        seen.push(`body ${requestIdVar.get()}`);
        yield "x";
      }
      return new StreamingResponse(body());
    });
    app.middleware(async (request, callNext) => {
      const response = await callNext(request);
      seen.push(`middleware ${requestIdVar.get()}`);
      return response;
    });
    app.addMiddleware(RequestIdMiddleware);
    await new TestClient(app).get("/stream", { headers: { "x-request-id": "r1" } });
    await eventually(() => seen.length === 3);
    expect(seen).toEqual(["middleware r1", "body r1", "teardown r1"]);
  });

  it("stamps the app's own error reports (a failed background task) with the request id", async () => {
    const logger = collectingLogger();
    const app = new App({ logger: contextLogger(logger) });
    app.get("/", {}, (_a, { background }) => {
      background.add(() => { throw new Error("lost email"); });
      return {};
    });
    app.addMiddleware(RequestIdMiddleware);
    await new TestClient(app).get("/", { headers: { "x-request-id": "abc" } });
    await eventually(() => logger.errors.length === 1);
    expect(logger.errors[0]!.message).toBe("[abc] A background task of GET / failed");
  });

  it("RequestContextMiddleware alone lets code set variables; outside a request they are unset", async () => {
    const tenant = new ContextVar<string>("tenant");
    const app = new App();
    const pick = Depends({}, (_a, { request }) => tenant.set(request.header("x-tenant") ?? "public"));
    app.get("/", { dependencies: [pick] }, () => ({ tenant: tenant.get() }));
    app.addMiddleware(RequestContextMiddleware);
    const client = new TestClient(app);
    expect((await client.get("/", { headers: { "x-tenant": "acme" } })).json()).toEqual({ tenant: "acme" });
    expect((await client.get("/")).json()).toEqual({ tenant: "public" });
    expect(tenant.peek()).toBeUndefined();
  });

  it("shortens ids when asked and marks lines outside a request", () => {
    const lines: string[] = [];
    const log = contextLogger({ info: (m) => void lines.push(m), warn: (m) => void lines.push(m), error: (m) => void lines.push(m) }, { idLength: 8 });
    log.warn("no request");
    runInRequestContext(() => {
      requestIdVar.set("a7c3f2e1-0000-4000-8000-000000000000");
      log.info("Fetching item 42");
    });
    expect(lines).toEqual(["[-] no request", "[a7c3f2e1] Fetching item 42"]);
  });
});
