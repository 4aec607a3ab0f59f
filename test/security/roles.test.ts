import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Depends, Path, Router } from "../../src/index.ts";
import { AccessTokens, OAuth2PasswordBearer, roleGuard } from "../../src/security/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const tokens = new AccessTokens({ algorithm: "HS256", secret: "roles-test-secret-0123456789abcdef", claims: z.object({ roles: z.array(z.string()).default([]) }) });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token" });
let userLookups = 0;
const getCurrentUser = Depends({ token: oauth2 }, async ({ token }) => {
  userLookups++;
  const claims = await tokens.authenticate(token);
  return { username: claims.sub, roles: claims.roles };
});
const requireRole = roleGuard(getCurrentUser, (user) => user.roles);
const as = async (roles: string[]) => ({ headers: { authorization: `Bearer ${await tokens.create({ sub: "u", roles })}` } });

describe("roleGuard / requireRole", () => {
  const app = new App();
  app.delete("/admin/users/{user_id}", { params: { user_id: Path(z.number().int()), admin: requireRole("admin") } }, ({ user_id, admin }) => ({ deleted: user_id, by: admin.username }));
  app.get("/reports", { dependencies: [requireRole("admin", "analyst")] }, () => ({ reports: [] }));
  app.get("/both", { params: { a: requireRole("admin"), b: requireRole("admin"), user: getCurrentUser } }, ({ user }) => ({ user: user.username }));
  const client = new TestClient(app);

  it("as a parameter: resolves to the user when they hold the role", async () => {
    const res = await client.delete("/admin/users/7", await as(["user", "admin"]));
    expect(res.json()).toEqual({ deleted: 7, by: "u" });
  });

  it("answers 403 naming the required roles otherwise", async () => {
    const res = await client.delete("/admin/users/7", await as(["user"]));
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ detail: "Requires role(s): admin" });
    expect(res.header("www-authenticate")).toBeUndefined();
  });

  it("as a route dependency: any one of several roles is enough", async () => {
    expect((await client.get("/reports", await as(["analyst"]))).status).toBe(200);
    const res = await client.get("/reports", await as(["user"]));
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ detail: "Requires role(s): admin, analyst" });
  });

  it("an unauthenticated request is a 401, not a 403", async () => {
    expect((await client.get("/reports")).status).toBe(401);
  });

  it("as an app-wide (router-level) dependency", async () => {
    const admin = new App({ dependencies: [requireRole("admin")] });
    admin.get("/users", {}, () => ["alice", "bob"]);
    admin.get("/users/{id}", { params: { id: Path(z.number()) } }, ({ id }) => ({ id }));
    const c = new TestClient(admin);
    expect((await c.get("/users", await as(["admin"]))).json()).toEqual(["alice", "bob"]);
    expect((await c.get("/users/1", await as(["user"]))).status).toBe(403);
    expect((await c.get("/users/1")).status).toBe(401);
  });

  it("as a Router dependency (seed example 45): every route of the router is guarded", async () => {
    const users = new Router({ prefix: "/users", tags: ["users"], dependencies: [requireRole("admin")] });
    users.get("/", {}, () => ["alice", "bob"]);
    users.get("/{user_id}", { params: { user_id: Path(z.number().int()) } }, ({ user_id }) => ({ id: user_id }));
    const main = new App();
    main.includeRouter(users);
    main.get("/public", {}, () => ({ ok: true }));
    const c = new TestClient(main);
    expect((await c.get("/users/", await as(["admin"]))).json()).toEqual(["alice", "bob"]);
    expect((await c.get("/users/2", await as(["admin"]))).json()).toEqual({ id: 2 });
    const denied = await c.get("/users/2", await as(["user"]));
    expect([denied.status, denied.json()]).toEqual([403, { detail: "Requires role(s): admin" }]);
    expect((await c.get("/users/")).status).toBe(401);
    expect((await c.get("/public")).status).toBe(200);
  });

  it("gives back the same dependency for the same roles: one check and one user lookup per request", async () => {
    expect(requireRole("admin")).toBe(requireRole("admin"));
    expect(requireRole("admin", "analyst")).not.toBe(requireRole("analyst", "admin"));
    userLookups = 0;
    expect((await client.get("/both", await as(["admin"]))).json()).toEqual({ user: "u" });
    expect(userLookups).toBe(1);
  });

  it("can be overridden in tests", async () => {
    const restore = app.dependencyOverrides.set(requireRole("admin"), () => ({ username: "test-admin", roles: ["admin"] }));
    expect((await client.delete("/admin/users/1")).json()).toEqual({ deleted: 1, by: "test-admin" });
    restore();
  });

  it("needs at least one role", () => {
    expect(() => requireRole()).toThrow("name at least one role");
  });
});
