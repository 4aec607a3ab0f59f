import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Depends, Header, HTTPException, Query } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

interface User { username: string; email: string }

function getCurrentUser({ authorization }: { authorization: string | undefined }): User {
  if (authorization !== "Bearer good") throw new HTTPException(401, "Not authenticated", { "WWW-Authenticate": "Bearer" });
  return { username: "real", email: "real@example.com" };
}
const currentUser = Depends({ authorization: Header(z.string().optional()) }, getCurrentUser);

let dbOpened = 0;
async function* getDb() {
  dbOpened++;
  yield { query: (): string[] => ["real row"] };
}

class Clock {
  readonly params = {};
  call(): number { return Date.now(); }
}
const clock = new Clock();

function build() {
  const app = new App();
  const repo = Depends({ db: Depends(getDb) }, ({ db }) => ({ rows: db.query() }));
  const profile = Depends({ user: currentUser, repo }, ({ user, repo }) => ({ user, rows: repo.rows }));
  app.get("/profile", { params: { profile, now: Depends(clock) } }, ({ profile, now }) => ({ ...profile, now }));
  app.get("/me", { params: { user: currentUser } }, ({ user }) => user);
  return app;
}

describe("dependencyOverrides", () => {
  it("replaces a dependency everywhere, nested ones included, and restore() undoes it", async () => {
    const app = build();
    const client = new TestClient(app);
    expect((await client.get("/me")).status).toBe(401);
    const restoreUser = app.dependencyOverrides.set(currentUser, () => ({ username: "testuser", email: "test@example.com" }));
    const restoreDb = app.dependencyOverrides.set(getDb, () => ({ query: () => ["fake row"] }));
    const restoreClock = app.dependencyOverrides.set(clock, () => 0);
    const opened = dbOpened;
    const res = await client.get("/profile");
    expect(res.json()).toEqual({ user: { username: "testuser", email: "test@example.com" }, rows: ["fake row"], now: 0 });
    expect(dbOpened).toBe(opened);
    expect(app.dependencyOverrides.size).toBe(3);
    restoreUser();
    restoreDb();
    restoreClock();
    restoreUser(); // idempotent
    expect(app.dependencyOverrides.size).toBe(0);
    expect((await client.get("/me")).status).toBe(401);
    const real = await client.get("/profile", { headers: { authorization: "Bearer good" } });
    expect(real.json()).toMatchObject({ user: { username: "real" }, rows: ["real row"] });
    expect(dbOpened).toBe(opened + 1);
  });

  it("an override may declare parameters of its own, validated like any others", async () => {
    const app = build();
    app.dependencyOverrides.set(currentUser, Depends({ as: Query(z.string().min(2)) }, ({ as }) => ({ username: as, email: `${as}@test` })));
    const client = new TestClient(app);
    expect((await client.get("/me?as=zoe")).json()).toEqual({ username: "zoe", email: "zoe@test" });
    expect((await client.get("/me?as=z")).json().detail[0]).toMatchObject({ type: "string_too_short", loc: ["query", "as"] });
    app.dependencyOverrides.clear();
    expect((await client.get("/me?as=zoe")).status).toBe(401);
  });

  it("is keyed by the function or by the Depends() marker", async () => {
    const app = new App();
    function settings() { return { mode: "prod" }; }
    app.get("/a", { params: { s: Depends(settings) } }, ({ s }) => s);
    app.get("/b", { params: { s: Depends(settings, { useCache: false }) } }, ({ s }) => s);
    const restore = app.dependencyOverrides.set(settings, () => ({ mode: "test" }));
    const client = new TestClient(app);
    expect((await client.get("/a")).json()).toEqual({ mode: "test" });
    expect((await client.get("/b")).json()).toEqual({ mode: "test" });
    expect(app.dependencyOverrides.has(settings)).toBe(true);
    restore();
    expect((await client.get("/b")).json()).toEqual({ mode: "prod" });
  });

  it("a second override of the same dependency stacks; restoring it brings back the first", async () => {
    const app = build();
    const client = new TestClient(app);
    const first = app.dependencyOverrides.set(currentUser, () => ({ username: "first", email: "" }));
    const second = app.dependencyOverrides.set(currentUser, () => ({ username: "second", email: "" }));
    expect((await client.get("/me")).json().username).toBe("second");
    second();
    expect((await client.get("/me")).json().username).toBe("first");
    first();
    expect((await client.get("/me")).status).toBe(401);
  });

  it("the handle is disposable (Symbol.dispose), for `using`", async () => {
    const app = build();
    const client = new TestClient(app);
    const handle = app.dependencyOverrides.set(currentUser, () => ({ username: "scoped", email: "" }));
    expect((await client.get("/me")).json().username).toBe("scoped");
    handle[Symbol.dispose]();
    expect((await client.get("/me")).status).toBe(401);
  });

  it("rebuilds the route plan while overridden and goes back to the registered plan after restore()", () => {
    const app = build();
    const route = app.routes.find((r) => r.path === "/me")!;
    expect(route.plan(app.dependencyOverrides)).toBe(route.basePlan);
    const restore = app.dependencyOverrides.set(currentUser, Depends({ x: Query() }, ({ x }) => ({ username: x, email: "" })));
    const overridden = route.plan(app.dependencyOverrides);
    expect(overridden).not.toBe(route.basePlan);
    expect(overridden.params.map((p) => p.wireName)).toEqual(["x"]);
    expect(route.basePlan.params.map((p) => p.wireName)).toEqual(["authorization"]);
    restore();
    expect(route.plan(app.dependencyOverrides)).toBe(route.basePlan);
  });

  it("delete() removes one override", async () => {
    const app = build();
    app.dependencyOverrides.set(currentUser, () => ({ username: "x", email: "" }));
    expect(app.dependencyOverrides.delete(currentUser)).toBe(true);
    expect(app.dependencyOverrides.delete(currentUser)).toBe(false);
    expect((await new TestClient(app).get("/me")).status).toBe(401);
  });

  it("an overridden dependency is still called once per request", async () => {
    const app = new App();
    const shared = Depends(() => "real");
    let calls = 0;
    const a = Depends({ s: shared }, ({ s }) => s);
    const b = Depends({ s: shared }, ({ s }) => s);
    app.get("/twice", { params: { a, b } }, ({ a, b }) => [a, b]);
    app.dependencyOverrides.set(shared, () => `fake${++calls}`);
    expect((await new TestClient(app).get("/twice")).json()).toEqual(["fake1", "fake1"]);
    expect(calls).toBe(1);
  });
});
