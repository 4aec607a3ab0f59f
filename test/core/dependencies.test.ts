import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, Depends, Form, Header, HTTPException, Path, Query, TypefastError, type ParamsSpec, type RequestContext } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger, eventually } from "./helpers.ts";

describe("kinds of dependencies", () => {
  const app = new App();
  const settings = Depends(() => ({ env: "test" }));
  const asyncUser = Depends({ token: Header(z.string().default("anon")) }, async ({ token }) => {
    await new Promise((r) => setTimeout(r, 1));
    return { name: token.toUpperCase() };
  });

  class Paginator {
    readonly params = { skip: Query(z.int().min(0).default(0)), limit: Query(z.int().default(20)) };
    constructor(readonly maxLimit: number) {}
    call({ skip, limit }: { skip: number; limit: number }) {
      if (limit > this.maxLimit) throw new HTTPException(400, `limit cannot exceed ${this.maxLimit}`);
      return { skip, limit };
    }
  }
  const paginate = Depends(new Paginator(50));

  const requireRole = (role: string) =>
    Depends({ x_role: Header(z.string().optional()) }, ({ x_role }) => {
      if (x_role !== role) throw new HTTPException(403, `requires role ${role}`);
      return role;
    });

  app.get("/all", { params: { s: settings, user: asyncUser, page: paginate } }, (a) => a);
  app.get("/admin", { params: { role: requireRole("admin") } }, ({ role }) => ({ role }));
  app.get("/editor", { params: { role: requireRole("editor") } }, ({ role }) => ({ role }));
  const client = new TestClient(app);

  it("functions, async functions and class instances give their values to the handler", async () => {
    const res = await client.get("/all?skip=5", { headers: { token: "ada" } });
    expect(res.json()).toEqual({ s: { env: "test" }, user: { name: "ADA" }, page: { skip: 5, limit: 20 } });
  });

  it("a class instance keeps its configuration (max limit 50)", async () => {
    const res = await client.get("/all?limit=51");
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ detail: "limit cannot exceed 50" });
  });

  it("factories make configured dependencies", async () => {
    expect((await client.get("/admin", { headers: { "x-role": "admin" } })).json()).toEqual({ role: "admin" });
    expect((await client.get("/editor", { headers: { "x-role": "admin" } })).status).toBe(403);
    expect((await client.get("/editor", { headers: { "x-role": "editor" } })).json()).toEqual({ role: "editor" });
  });

  it("a dependency's parameters are validated with the handler's, in one 422", async () => {
    const res = await client.get("/all?skip=-1&limit=x");
    expect(res.json().detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([["query", "skip"], ["query", "limit"]]);
  });
});

describe("sub-dependencies and caching", () => {
  function build() {
    const calls: string[] = [];
    let connections = 0;
    const getDb = Depends(() => {
      calls.push("db");
      return { id: ++connections };
    });
    const level2 = Depends({ db: getDb }, ({ db }) => (calls.push("l2"), { db, depth: 2 }));
    const level3 = Depends({ l2: level2, db: getDb }, ({ l2, db }) => (calls.push("l3"), { l2, same: l2.db === db, depth: 3 }));
    const level4 = Depends({ l3: level3 }, ({ l3 }) => (calls.push("l4"), { l3, depth: 4 }));
    const level5 = Depends({ l4: level4, id: Path(z.int()) }, ({ l4, id }) => (calls.push("l5"), { depth: l4.depth + 1, id, same: l4.l3.same }));
    const fresh = Depends(getDb, { useCache: false });
    const app = new App();
    app.get("/deep/{id}", { params: { l5: level5, db: getDb, fresh } }, ({ l5, db, fresh }) => ({ l5, db: db.id, fresh: fresh.id }));
    return { app, calls };
  }

  it("resolves a chain five levels deep, sub-dependencies first", async () => {
    const { app, calls } = build();
    const res = await new TestClient(app).get("/deep/9");
    expect(res.json()).toMatchObject({ l5: { depth: 5, id: 9, same: true } });
    expect(calls).toEqual(["db", "l2", "l3", "l4", "l5", "db"]);
  });

  it("calls a shared dependency once per request; useCache: false calls it again", async () => {
    const { app, calls } = build();
    const res = await new TestClient(app).get("/deep/1");
    expect(calls.filter((c) => c === "db")).toHaveLength(2);
    expect(res.json()).toMatchObject({ db: 1, fresh: 2 });
  });

  it("never shares values between requests", async () => {
    const { app } = build();
    const client = new TestClient(app);
    const [a, b] = await Promise.all([client.get("/deep/1"), client.get("/deep/2")]);
    const ids = [a.json().db, b.json().db].sort();
    expect(ids).toEqual([1, 3]);
    expect((await client.get("/deep/3")).json().db).toBe(5);
  });
});

describe("app- and route-level dependencies", () => {
  it("run for their side effects, app's first, then the route's, before the handler", async () => {
    const log: string[] = [];
    const app = new App({ dependencies: [Depends(() => void log.push("app"))] });
    const verifyKey = Depends({ x_key: Header() }, ({ x_key }) => {
      log.push("route");
      if (x_key !== "secret") throw new HTTPException(403, "bad key");
    });
    app.get("/x", { dependencies: [verifyKey] }, () => (log.push("handler"), "ok"));
    const client = new TestClient(app);
    expect((await client.get("/x", { headers: { "x-key": "secret" } })).json()).toBe("ok");
    expect(log).toEqual(["app", "route", "handler"]);
    log.length = 0;
    const denied = await client.get("/x", { headers: { "x-key": "nope" } });
    expect(denied.status).toBe(403);
    expect(log).toEqual(["app", "route"]);
    expect((await client.get("/x")).json().detail[0]).toMatchObject({ type: "missing", loc: ["header", "x-key"] });
  });
});

describe("the request context", () => {
  it("ctx.request is the request; request.state is shared by dependencies and the handler", async () => {
    const app = new App();
    const stamp = Depends((_: object, ctx: RequestContext) => {
      ctx.request.state.user = "u1";
      return ctx.request.header("x-trace") ?? "none";
    });
    app.get("/ctx", { params: { trace: stamp } }, ({ trace }, ctx) => ({ trace, user: ctx.request.state.user, method: ctx.request.method, q: ctx.request.query }));
    const res = await new TestClient(app).get("/ctx?a=1", { headers: { "x-trace": "t-9" } });
    expect(res.json()).toEqual({ trace: "t-9", user: "u1", method: "GET", q: { a: "1" } });
  });

  it("ctx.response sets status, headers and cookies merged into the response", async () => {
    const app = new App();
    const session = Depends((_: object, { response }: RequestContext) => {
      response.setCookie("session", "abc", { httpOnly: true });
      response.setHeader("X-From-Dependency", "yes");
    });
    app.post("/login", { params: { s: session } }, (_a, { response }) => {
      response.status = 202;
      response.setCookie("theme", "dark");
      return { ok: true };
    });
    const res = await new TestClient(app).post("/login");
    expect(res.status).toBe(202);
    expect(res.json()).toEqual({ ok: true });
    expect(res.header("x-from-dependency")).toBe("yes");
    expect(res.headers["set-cookie"]).toEqual(["session=abc; Path=/; HttpOnly; SameSite=Lax", "theme=dark; Path=/; SameSite=Lax"]);
  });

  it("ctx.background runs after the response, in order; a failure is logged and the rest still run", async () => {
    const logger = collectingLogger();
    const app = new App({ logger });
    const log: string[] = [];
    app.post("/signup", {}, (_a, { background }) => {
      background.add((who: string) => void log.push(`email ${who}`), "ann");
      background.add(() => {
        throw new Error("smtp down");
      });
      background.add(async () => void log.push("audit"));
      log.push("handler");
      return { ok: true };
    });
    const res = await new TestClient(app).post("/signup");
    expect(res.json()).toEqual({ ok: true });
    await eventually(() => log.length === 3);
    expect(log).toEqual(["handler", "email ann", "audit"]);
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]!.message).toContain("background task of POST /signup");
    expect((logger.errors[0]!.error as Error).message).toBe("smtp down");
  });
});

describe("misconfiguration fails at registration", () => {
  it("rejects a dependency cycle and names the chain", () => {
    class ServiceA {
      readonly params: ParamsSpec = {};
      call() { return "a"; }
    }
    class ServiceB {
      constructor(readonly params: ParamsSpec) {}
      call() { return "b"; }
    }
    const a = new ServiceA();
    const b = new ServiceB({ a: Depends(a) });
    a.params.b = Depends(b);
    const app = new App();
    let error: unknown;
    try {
      app.get("/cycle", { params: { a: Depends(a) } }, () => "never");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TypefastError);
    expect((error as TypefastError).code).toBe("TF_DEPENDENCY_CYCLE");
    expect((error as Error).message).toContain("GET /cycle: dependency cycle ServiceA.call → ServiceB.call → ServiceA.call");
  });

  it("rejects a value that is not a marker and names the key", () => {
    const app = new App();
    const register = () => app.get("/bad", { params: { q: z.string() } as never }, () => "never");
    expect(register).toThrow(TypefastError);
    expect(register).toThrow(/params\.q is not a parameter.*bare schema/);
  });

  it("rejects a Path() parameter that is not in the path", () => {
    const app = new App();
    const register = () => app.get("/items", { params: { item_id: Path(z.int()) } }, () => "never");
    expect(register).toThrow(TypefastError);
    expect(register).toThrow("path parameter 'item_id' is not in the path");
  });

  it("rejects a JSON body mixed with form fields, even through a dependency", () => {
    const form = Depends({ note: Form() }, ({ note }) => note);
    const register = () => new App().post("/mixed", { params: { item: Body(z.object({ a: z.int() })), note: form } }, () => 1);
    expect(register).toThrow(expect.objectContaining({ code: "TF_BODY_MIXED" }));
  });
});

describe("background tasks and failures", () => {
  it("tasks queued by a request that then fails are dropped, as in FastAPI", async () => {
    const log: string[] = [];
    const app = new App({ logger: collectingLogger() });
    const queueEarly = Depends((_: object, { background }: RequestContext) => background.add(() => void log.push("from dependency")));
    app.post("/fails", { params: { q: queueEarly } }, (_a, { background }) => {
      background.add(() => void log.push("from handler"));
      throw new HTTPException(409, "conflict");
    });
    app.post("/invalid", { params: { q: queueEarly, n: Query(z.int()) } }, () => "never");
    app.post("/ok", { params: { q: queueEarly } }, () => "ok");
    const client = new TestClient(app);
    expect((await client.post("/fails")).status).toBe(409);
    expect((await client.post("/invalid?n=x")).status).toBe(422);
    expect((await client.post("/ok")).status).toBe(200);
    await eventually(() => log.length > 0);
    expect(log).toEqual(["from dependency"]);
  });
});
