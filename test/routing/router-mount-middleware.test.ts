import { z } from "zod";
import { expect, it } from "vitest";
import { App, Path, Router, Depends, BaseHTTPMiddleware, type CallNext, type Request } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

it("includes routers, mounts sub-apps and runs middleware last-added-first", async () => {
  const order: string[] = [];
  const root = new App();
  const v1 = new App();
  v1.get("/items/{id}", { params: { id: Path(z.number().int()) } }, ({ id }) => ({ id, v: 1 }));
  const r = new Router({ prefix: "/users", tags: ["users"], dependencies: [Depends(() => { order.push("admin"); })] });
  r.get("/", {}, () => [1, 2]);
  r.get("/{user_id}", { params: { user_id: Path(z.int()) } }, ({ user_id }) => ({ user_id }));
  root.includeRouter(r);
  root.mount("/v1", v1);
  class A extends BaseHTTPMiddleware { async dispatch(req: Request, next: CallNext) { order.push("A in"); const res = await next(req); order.push("A out"); res.headers["x-a"] = "1"; return res; } }
  root.addMiddleware(A);
  root.middleware(async (req, next) => { order.push("B in"); const res = await next(req); order.push("B out"); return res; });
  const c = new TestClient(root);
  let res = await c.get("/users/");
  expect(res.json()).toEqual([1, 2]);
  expect(order).toEqual(["B in", "A in", "admin", "A out", "B out"]);
  expect(res.header("x-a")).toBe("1");
  res = await c.get("/users/7"); expect(res.json()).toEqual({ user_id: 7 });
  res = await c.get("/v1/items/3"); expect(res.json()).toEqual({ id: 3, v: 1 });
  res = await c.get("/v1/items/x"); expect(res.status).toBe(422);
  res = await c.get("/v1/nope"); expect(res.status).toBe(404);
  res = await c.get("/users", { followRedirects: false }); expect(res.status).toBe(307); expect(res.header("location")).toBe("/users/");
  res = await c.get("/%zz"); expect(res.status).toBe(400);
});
