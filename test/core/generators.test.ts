import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, Depends, HTTPException, Query } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger, eventually } from "./helpers.ts";

describe("generator dependencies: teardown", () => {
  function build(fail?: "throw" | "http") {
    const log: string[] = [];
    const logger = collectingLogger();
    const app = new App({ logger });
    function* outer() {
      log.push("open outer");
      try {
        yield "outer";
      } finally {
        log.push("close outer");
      }
    }
    async function* middle() {
      log.push("open middle");
      try {
        yield "middle";
        log.push("commit middle");
      } catch (error) {
        log.push(`rollback middle: ${(error as Error).message}`);
        throw error;
      } finally {
        log.push("close middle");
      }
    }
    const inner = Depends({ m: Depends(middle), o: Depends(outer) }, async function* inner({ m, o }) {
      log.push("open inner");
      try {
        yield `${o}/${m}/inner`;
      } catch (error) {
        log.push("inner saw the error");
        if (error instanceof Error && error.message === "db locked") throw new HTTPException(409, "Conflict, try again");
        throw error;
      } finally {
        log.push("close inner");
      }
    });
    app.get("/run", { params: { chain: inner } }, ({ chain }) => {
      log.push(`handler ${chain}`);
      if (fail === "throw") throw new Error("boom");
      if (fail === "http") throw new Error("db locked");
      return { chain };
    });
    return { app, log, logger };
  }

  it("runs after the handler, in reverse order of setup, exactly once", async () => {
    const { app, log } = build();
    const res = await new TestClient(app).get("/run");
    expect(res.json()).toEqual({ chain: "outer/middle/inner" });
    await eventually(() => log.includes("close outer"));
    expect(log).toEqual([
      "open middle", "open outer", "open inner", "handler outer/middle/inner",
      "close inner", "close outer", "commit middle", "close middle",
    ]);
  });

  it("sees the handler's error, can roll back and re-raise: a logged 500", async () => {
    const { app, log, logger } = build("throw");
    const res = await new TestClient(app).get("/run");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect(log).toContain("rollback middle: boom");
    expect(log.filter((l) => l.startsWith("close"))).toEqual(["close inner", "close outer", "close middle"]);
    expect(logger.errors.map((e) => (e.error as Error).message)).toEqual(["boom"]);
  });

  it("can turn the error into an HTTPException, which becomes the response", async () => {
    const { app, log, logger } = build("http");
    const res = await new TestClient(app).get("/run");
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({ detail: "Conflict, try again" });
    // Generators further out see the replacement error.
    expect(log).toContain("rollback middle: Conflict, try again");
    expect(logger.errors).toEqual([]);
  });

  it("cannot swallow the error: the request still fails", async () => {
    const app = new App({ logger: collectingLogger() });
    async function* lenient() {
      try {
        yield 1;
      } catch {
        // swallowed on purpose
      }
    }
    app.get("/x", { params: { v: Depends(lenient) } }, () => {
      throw new HTTPException(418, "teapot");
    });
    expect((await new TestClient(app).get("/x")).status).toBe(418);
  });
});

describe("generator dependencies: scopes", () => {
  it("'function' teardown runs before the response is sent, 'request' teardown after it", async () => {
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* perFunction() {
      log.push("open function");
      yield 1;
      log.push("close function");
    }
    async function* perRequest() {
      log.push("open request");
      yield 2;
      await gate; // would deadlock the client if this ran before the response was sent
      log.push("close request");
    }
    const app = new App();
    app.get("/s", { params: { f: Depends(perFunction, { scope: "function" }), r: Depends(perRequest) } }, () => (log.push("handler"), "ok"));
    const res = await new TestClient(app).get("/s");
    log.push("response received");
    expect(res.json()).toBe("ok");
    release();
    await eventually(() => log.includes("close request"));
    expect(log).toEqual(["open function", "open request", "handler", "close function", "response received", "close request"]);
  });

  it("a failing 'function' teardown (a commit) becomes the response", async () => {
    async function* transaction() {
      yield "tx";
      throw new HTTPException(409, "commit failed");
    }
    const app = new App();
    app.post("/tx", { params: { tx: Depends(transaction, { scope: "function" }) } }, () => ({ saved: true }));
    const res = await new TestClient(app).post("/tx");
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({ detail: "commit failed" });
  });

  it("a failing 'request' teardown cannot change the response; it is logged", async () => {
    const logger = collectingLogger();
    function* leaky() {
      yield "r";
      throw new Error("close failed");
    }
    const app = new App({ logger });
    app.get("/r", { params: { r: Depends(leaky) } }, ({ r }) => ({ r }));
    const res = await new TestClient(app).get("/r");
    expect(res.json()).toEqual({ r: "r" });
    await eventually(() => logger.errors.length === 1);
    expect(logger.errors[0]!.message).toContain("after the response was sent");
    expect((logger.errors[0]!.error as Error).message).toBe("close failed");
  });

  it("background tasks run after the response, before 'request' teardown, so they can still use the resource", async () => {
    const log: string[] = [];
    function* resource() {
      const handle = { open: true };
      yield handle;
      handle.open = false;
      log.push("closed");
    }
    const app = new App();
    app.get("/bg", { params: { res: Depends(resource) } }, ({ res }, { background }) => {
      background.add(() => void log.push(`task sees open=${res.open}`));
      return "ok";
    });
    await new TestClient(app).get("/bg");
    await eventually(() => log.length === 2);
    expect(log).toEqual(["task sees open=true", "closed"]);
  });
});

describe("generator dependencies and validation", () => {
  it("teardown runs when validation fails after the generator was entered", async () => {
    const log: string[] = [];
    function* session() {
      log.push("open");
      try {
        yield "s";
      } catch (error) {
        log.push(`saw ${(error as Error).name}`);
        throw error;
      } finally {
        log.push("close");
      }
    }
    const app = new App();
    // The failing parameter belongs to a later dependency, so `session` has already been entered when it fails.
    const page = Depends({ n: Query(z.int()) }, ({ n }) => n);
    app.get("/v", { params: { s: Depends(session), p: page } }, () => (log.push("handler"), "ok"));
    const res = await new TestClient(app).get("/v?n=abc");
    expect(res.status).toBe(422);
    expect(log).toEqual(["open", "saw RequestValidationError", "close"]);
  });

  it("never enters a dependency when the handler's own parameters are invalid", async () => {
    const log: string[] = [];
    function* session() {
      log.push("open");
      yield "s";
    }
    const app = new App();
    app.post(
      "/v",
      { params: { s: Depends(session), n: Query(z.int()), item: Body(z.object({ name: z.string() })) } },
      () => (log.push("handler"), "ok"),
    );
    const res = await new TestClient(app).post("/v?n=abc", { json: { name: 1 } });
    expect(res.status).toBe(422);
    expect(res.json().detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([["query", "n"], ["body", "name"]]);
    expect(log).toEqual([]);
    expect((await new TestClient(app).post("/v?n=1", { json: { name: "ok" } })).status).toBe(200);
    expect(log).toEqual(["open", "handler"]);
  });

  it("a generator after a failed parameter is never entered", async () => {
    const log: string[] = [];
    function* late() {
      log.push("entered");
      yield 1;
    }
    const app = new App();
    const first = Depends({ n: Query(z.int()) }, ({ n }) => n);
    app.get("/w", { params: { first, late: Depends(late) } }, () => "ok");
    expect((await new TestClient(app).get("/w?n=x")).status).toBe(422);
    expect(log).toEqual([]);
  });

  it("a generator that yields nothing is a logged 500", async () => {
    const logger = collectingLogger();
    const app = new App({ logger });
    // eslint-disable-next-line require-yield
    function* empty(): Generator<number> {
      return;
    }
    app.get("/e", { params: { v: Depends(empty) } }, () => "never");
    const res = await new TestClient(app).get("/e");
    expect(res.status).toBe(500);
    expect((logger.errors[0]!.error as Error).message).toContain("finished without yielding");
  });

  it("a generator that yields twice is reported", async () => {
    const logger = collectingLogger();
    const app = new App({ logger });
    function* twice() {
      yield 1;
      yield 2;
    }
    app.get("/t", { params: { v: Depends(twice, { scope: "function" }) } }, () => "ok");
    const res = await new TestClient(app).get("/t");
    expect(res.status).toBe(500);
    expect((logger.errors[0]!.error as Error).message).toContain("yielded more than once");
  });
});
