import { describe, expect, it } from "vitest";
import { app, tokens } from "../../examples/seed/32-role-based-access.ts";
import { TestClient } from "../../src/testing/index.ts";

const client = new TestClient(app);
const as = async (sub: string, roles?: string[]) => ({ headers: { authorization: `Bearer ${await tokens.create(roles === undefined ? { sub } : { sub, roles })}` } });
async function loginAs(username: string) {
  const res = await client.post("/token", { data: { username, password: "secret" } });
  expect(res.status).toBe(200);
  return { headers: { authorization: `Bearer ${res.json().access_token}` } };
}

describe("seed example 32: role-based access control", () => {
  it("GET /profile: any authenticated user sees their username and roles", async () => {
    const res = await client.get("/profile", await as("bob", ["user"]));
    expect(res.json()).toEqual({ username: "bob", roles: ["user"] });
  });

  it("a token without a roles claim has no roles", async () => {
    expect((await client.get("/profile", await as("dave"))).json()).toEqual({ username: "dave", roles: [] });
  });

  it("DELETE /admin/users/{user_id}: admin → {deleted, by}", async () => {
    const res = await client.delete("/admin/users/42", await as("alice", ["user", "admin"]));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ deleted: 42, by: "alice" });
  });

  it("DELETE /admin/users/{user_id}: no admin role → 403 'Requires role(s): admin'", async () => {
    const res = await client.delete("/admin/users/42", await as("bob", ["user"]));
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ detail: "Requires role(s): admin" });
  });

  it("GET /reports: admin OR analyst", async () => {
    expect((await client.get("/reports", await as("carol", ["analyst"]))).json()).toEqual({ reports: [], viewer: "carol" });
    expect((await client.get("/reports", await as("alice", ["admin"]))).json()).toEqual({ reports: [], viewer: "alice" });
    const res = await client.get("/reports", await as("bob", ["user"]));
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ detail: "Requires role(s): admin, analyst" });
  });

  it("an invalid token → 401 'Invalid token'; none → 401 'Not authenticated'", async () => {
    const bad = await client.get("/profile", { headers: { authorization: "Bearer abc.def.ghi" } });
    expect(bad.status).toBe(401);
    expect(bad.json()).toEqual({ detail: "Invalid token" });
    const none = await client.get("/reports");
    expect(none.status).toBe(401);
    expect(none.json()).toEqual({ detail: "Not authenticated" });
  });

  it("a roles claim of the wrong type is an invalid token, not a crash", async () => {
    const res = await client.get("/profile", await as("eve", "admin" as unknown as string[]));
    expect(res.status).toBe(401);
    expect(res.header("www-authenticate")).toContain('error_description="The token\'s \\"roles\\" claim is invalid"');
  });

  it("user_id must be an integer (422)", async () => {
    expect((await client.delete("/admin/users/abc", await as("alice", ["admin"]))).status).toBe(422);
  });

  it("logging in through POST /token issues tokens carrying the account's roles", async () => {
    expect((await client.delete("/admin/users/1", await loginAs("alice"))).json()).toEqual({ deleted: 1, by: "alice" });
    expect((await client.delete("/admin/users/1", await loginAs("bob"))).status).toBe(403);
    expect((await client.get("/reports", await loginAs("carol"))).json()).toEqual({ reports: [], viewer: "carol" });
  });
});
