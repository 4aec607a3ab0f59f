/** Item 1: `Router` (FastAPI's APIRouter) — settings on the router, on the include, and through nested routers. */
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { App, Depends, HTTPException, Path, Router, TypefastError } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

function recorder() {
  const calls: string[] = [];
  const dep = (name: string) => Depends(Object.defineProperty(() => void calls.push(name), "name", { value: name }));
  return { calls, dep };
}

describe("Router settings", () => {
  it("applies prefix, tags, dependencies, responses, deprecated and includeInSchema to every route", async () => {
    const { calls, dep } = recorder();
    const router = new Router({
      prefix: "/users",
      tags: ["users"],
      dependencies: [dep("admin")],
      responses: { 401: { description: "Not authenticated" }, 403: { description: "Not authorized" } },
      deprecated: true,
    });
    router.get("/", {}, () => ["alice"]);
    router.get("/{user_id}", { params: { user_id: Path(z.int()) }, tags: ["detail"], responses: { 404: { description: "User not found" } } }, ({ user_id }) => ({ user_id }));
    const app = new App();
    app.includeRouter(router);

    const [list, detail] = app.routes.filter((r) => r.path.startsWith("/users"));
    expect(list!.path).toBe("/users/");
    expect(detail!.path).toBe("/users/{user_id}");
    expect(detail!.options.tags).toEqual(["users", "detail"]);
    expect(Object.keys(detail!.options.responses ?? {})).toEqual(["401", "403", "404"]);
    expect(list!.options.deprecated).toBe(true);

    const client = new TestClient(app);
    expect((await client.get("/users/7")).json()).toEqual({ user_id: 7 });
    expect(calls).toEqual(["admin"]);

    const op = app.openapi().paths!["/users/{user_id}"]!.get as Record<string, any>;
    expect(op.tags).toEqual(["users", "detail"]);
    expect(op.deprecated).toBe(true);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "401", "403", "404", "422"]));
  });

  it("lets a route's own deprecated flag win and hides whole routers from the schema", () => {
    const hidden = new Router({ prefix: "/internal", includeInSchema: false });
    hidden.get("/stats", {}, () => ({}));
    const old = new Router({ deprecated: true });
    old.get("/legacy", {}, () => ({}));
    old.get("/kept", { deprecated: false }, () => ({}));
    const app = new App();
    app.includeRouter(hidden).includeRouter(old);
    const paths = app.openapi().paths!;
    expect(paths["/internal/stats"]).toBeUndefined();
    expect((paths["/legacy"]!.get as any).deprecated).toBe(true);
    expect((paths["/kept"]!.get as any).deprecated).toBeUndefined();
  });

  it("refuses prefixes that would produce double or missing slashes", () => {
    expect(() => new Router({ prefix: "users" })).toThrow(TypefastError);
    expect(() => new Router({ prefix: "/users/" })).toThrow(/must start with "\/" and not end with "\/"/);
    const r = new Router();
    expect(() => r.includeRouter(new Router(), { prefix: "/v1/" })).toThrow(TypefastError);
  });
});

describe("nested includeRouter", () => {
  it("composes prefixes outer-first and runs dependencies app → outer include → router → inner → route", async () => {
    const { calls, dep } = recorder();
    const items = new Router({ prefix: "/items", tags: ["items"], dependencies: [dep("items-router")] });
    items.get("/{item_id}", { params: { item_id: Path(z.int()) }, dependencies: [dep("route")] }, ({ item_id }) => ({ item_id }));
    const api = new Router({ prefix: "/api", tags: ["api"], dependencies: [dep("api-router")] });
    api.includeRouter(items, { prefix: "/shop", tags: ["shop"], dependencies: [dep("shop-include")] });
    const app = new App({ dependencies: [dep("app")] });
    app.includeRouter(api, { prefix: "/v1", dependencies: [dep("v1-include")] });

    const route = app.routes.find((r) => r.path.includes("{item_id}"))!;
    expect(route.path).toBe("/v1/api/shop/items/{item_id}");
    expect(route.options.tags).toEqual(["api", "shop", "items"]);
    const res = await new TestClient(app).get("/v1/api/shop/items/3");
    expect(res.json()).toEqual({ item_id: 3 });
    expect(calls).toEqual(["app", "v1-include", "api-router", "shop-include", "items-router", "route"]);
  });

  it("runs a dependency shared by several levels once per request (FastAPI's per-request cache)", async () => {
    let count = 0;
    const auth = Depends(function auth() {
      count++;
    });
    const inner = new Router({ dependencies: [auth] });
    inner.get("/x", { dependencies: [auth] }, () => ({ ok: true }));
    const outer = new Router({ prefix: "/o", dependencies: [auth] });
    outer.includeRouter(inner);
    const app = new App();
    app.includeRouter(outer);
    await new TestClient(app).get("/o/x");
    expect(count).toBe(1);
  });

  it("lets a router dependency reject before the handler runs, for every route of the router", async () => {
    let handled = 0;
    const admin = new Router({
      prefix: "/admin",
      dependencies: [Depends(() => { throw new HTTPException(403, "Not authorized"); })],
    });
    admin.get("/a", {}, () => { handled++; return {}; });
    admin.post("/b", {}, () => { handled++; return {}; });
    const app = new App();
    app.includeRouter(admin);
    const client = new TestClient(app);
    expect((await client.get("/admin/a")).status).toBe(403);
    expect((await client.post("/admin/b")).json()).toEqual({ detail: "Not authorized" });
    expect(handled).toBe(0);
  });

  it("includes one router several times under different prefixes", async () => {
    const r = new Router();
    r.get("/ping", {}, () => "pong");
    const app = new App();
    app.includeRouter(r, { prefix: "/a" }).includeRouter(r, { prefix: "/b" });
    const client = new TestClient(app);
    expect((await client.get("/a/ping")).json()).toBe("pong");
    expect((await client.get("/b/ping")).json()).toBe("pong");
  });
});
