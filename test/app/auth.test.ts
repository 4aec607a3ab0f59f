/** Accounts, tokens and roles, over real HTTP, on SQLite and on PostgreSQL + Redis. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { BACKENDS, dropPlace, newPlace, startApp, type Place, type Running } from "./harness.ts";

describe.each(BACKENDS)("auth on %s", (backend) => {
  let place: Place;
  let running: Running;
  let client: Client;

  beforeAll(async () => {
    place = newPlace(backend);
    running = await startApp(place);
    client = new Client(running.url);
  });
  afterAll(async () => {
    await running?.close();
    await dropPlace(place);
  });

  it("signs up a user and never shows the password hash", async () => {
    const reply = await client.post("/users", { json: { username: "Jane", password: "long-enough-pw", email: "jane@example.com" } });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ username: "jane", email: "jane@example.com", roles: ["user"], disabled: false });
    expect(JSON.stringify(reply.body)).not.toContain("argon2");
    const row = await running.db.selectFrom("users").selectAll().where("username", "=", "jane").executeTakeFirstOrThrow();
    expect(row.hashed_password).toMatch(/^\$argon2id\$/);
  });

  it("answers 409 to a taken username, whatever its case", async () => {
    await client.post("/users", { json: { username: "dup", password: "long-enough-pw" } });
    const reply = await client.post("/users", { json: { username: "DUP", password: "another-password" } });
    expect(reply.status).toBe(409);
    expect(reply.body).toEqual({ error_code: "USERNAME_TAKEN", message: 'Username "dup" is already taken', details: null });
  });

  it("answers 422 with every problem of a bad sign-up", async () => {
    const reply = await client.post("/users", { json: { username: "x", password: "short", email: "not-an-email" } });
    expect(reply.status).toBe(422);
    expect(reply.body.error_code).toBe("VALIDATION_ERROR");
    expect(reply.body.details.map((d: { loc: string[] }) => d.loc.join("."))).toEqual(["body.username", "body.password", "body.email"]);
  });

  it("logs in with the password flow and reads the profile", async () => {
    const { access_token, refresh_token } = await client.login("demo");
    expect(access_token.split(".")).toHaveLength(3);
    expect(refresh_token.length).toBeGreaterThan(40);
    const me = await client.get("/users/me", { token: access_token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: "demo", roles: ["user"] });
  });

  it("refuses wrong credentials with 401 and a challenge, the same for unknown users", async () => {
    for (const username of ["demo", "nobody"]) {
      const reply = await client.post("/token", { form: { username, password: "wrong-password" } });
      expect(reply.status).toBe(401);
      expect(reply.headers.get("www-authenticate")).toBe("Bearer");
      expect(reply.body).toEqual({ error_code: "BAD_CREDENTIALS", message: "Incorrect username or password", details: null });
    }
  });

  it("answers 401 without a token, or with a forged one", async () => {
    const none = await client.get("/users/me");
    expect(none.status).toBe(401);
    expect(none.body.error_code).toBe("UNAUTHORIZED");
    expect(none.headers.get("www-authenticate")).toContain("Bearer");
    const token = await client.token("demo");
    const forged = token.slice(0, -4) + (token.endsWith("AAAA") ? "BBBB" : "AAAA");
    const bad = await client.get("/users/me", { token: forged });
    expect(bad.status).toBe(401);
    expect(bad.headers.get("www-authenticate")).toContain('error="invalid_token"');
  });

  it("rotates refresh tokens, and revokes the whole login when a spent one comes back", async () => {
    const first = await client.login("analyst");
    const second = await client.post("/token/refresh", { form: { grant_type: "refresh_token", refresh_token: first.refresh_token } });
    expect(second.status).toBe(200);
    expect(second.headers.get("cache-control")).toBe("no-store");
    expect(second.body.refresh_token).not.toBe(first.refresh_token);
    expect((await client.get("/users/me", { token: second.body.access_token })).status).toBe(200);

    // The first refresh token again: a thief (or a replay). Refused, and the family is revoked…
    const replay = await client.post("/token/refresh", { form: { grant_type: "refresh_token", refresh_token: first.refresh_token } });
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({ error: "invalid_grant", error_description: "Refresh token reuse detected; the session was revoked" });
    // …so the legitimate newer token no longer works either.
    const after = await client.post("/token/refresh", { form: { grant_type: "refresh_token", refresh_token: second.body.refresh_token } });
    expect(after.status).toBe(400);
    expect(after.body.error).toBe("invalid_grant");
    const left = await running.db.selectFrom("refresh_tokens").innerJoin("users", "users.id", "refresh_tokens.user_id").select("digest").where("users.username", "=", "analyst").execute();
    expect(left).toEqual([]);
  });

  it("logs out: the refresh token stops working", async () => {
    const pair = await client.login("demo");
    expect((await client.post("/logout", { form: { refresh_token: pair.refresh_token } })).status).toBe(204);
    const reply = await client.post("/token/refresh", { form: { grant_type: "refresh_token", refresh_token: pair.refresh_token } });
    expect(reply.status).toBe(400);
  });

  it("guards routes by role: 403 with the roles needed", async () => {
    const demo = await client.token("demo");
    const analyst = await client.token("analyst");
    const admin = await client.token("admin");
    const denied = await client.get("/admin/users", { token: demo });
    expect(denied.status).toBe(403);
    expect(denied.body).toEqual({ error_code: "FORBIDDEN", message: "Requires role(s): admin", details: null });
    expect((await client.get("/admin/users", { token: analyst })).status).toBe(403);
    expect((await client.get("/admin/users", { token: admin })).status).toBe(200);
    expect((await client.get("/reports/summary", { token: demo })).status).toBe(403);
    const report = await client.get("/reports/summary", { token: analyst });
    expect(report.status).toBe(200);
    expect(report.body.users).toBeGreaterThanOrEqual(3);
    expect((await client.get("/admin/users")).status).toBe(401); // no token: 401 before any role check
  });

  it("applies a role change at the next refresh, and shuts out a disabled account", async () => {
    await client.post("/users", { json: { username: "promoted", password: "long-enough-pw" } });
    const pair = await client.login("promoted", "long-enough-pw");
    const admin = await client.token("admin");
    const id = (await client.get("/users/me", { token: pair.access_token })).body.id;
    const changed = await client.patch(`/admin/users/${id}`, { token: admin, json: { roles: ["user", "analyst"] } });
    expect(changed.status).toBe(200);
    expect(changed.body.roles).toEqual(["user", "analyst"]);
    // The access token still says "user" until it is refreshed.
    expect((await client.get("/reports/summary", { token: pair.access_token })).status).toBe(403);
    const refreshed = await client.post("/token/refresh", { form: { grant_type: "refresh_token", refresh_token: pair.refresh_token } });
    expect((await client.get("/reports/summary", { token: refreshed.body.access_token })).status).toBe(200);

    expect((await client.patch(`/admin/users/${id}`, { token: admin, json: { disabled: true } })).status).toBe(200);
    const login = await client.post("/token", { form: { username: "promoted", password: "long-enough-pw" } });
    expect(login.status).toBe(403);
    expect(login.body.error_code).toBe("ACCOUNT_DISABLED");
    const refresh = await client.post("/token/refresh", { form: { grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token } });
    expect(refresh.status).toBe(400);
  });

  it("refuses to delete a user who still owns items (409), and admins locking themselves out", async () => {
    await client.post("/users", { json: { username: "seller", password: "long-enough-pw" } });
    const seller = await client.token("seller", "long-enough-pw");
    const sellerId = (await client.get("/users/me", { token: seller })).body.id;
    await client.post("/items", { token: seller, json: { name: "Lamp", price: 12 } });
    const admin = await client.token("admin");
    const refused = await client.delete(`/admin/users/${sellerId}`, { token: admin });
    expect(refused.status).toBe(409);
    expect(refused.body.error_code).toBe("USER_HAS_ITEMS");
    const adminId = (await client.get("/users/me", { token: admin })).body.id;
    expect((await client.delete(`/admin/users/${adminId}`, { token: admin })).body.error_code).toBe("SELF_LOCKOUT");
    expect((await client.delete("/admin/users/999999", { token: admin })).status).toBe(404);
    const lonely = await client.post("/users", { json: { username: "lonely", password: "long-enough-pw" } });
    expect((await client.delete(`/admin/users/${lonely.body.id}`, { token: admin })).status).toBe(204);
  });
});

describe.each(BACKENDS)("login rate limit on %s", (backend) => {
  it("answers 429 with Retry-After once a client has tried too often", async () => {
    const place = newPlace(backend);
    const running = await startApp(place, { login_rate_limit: 3 });
    try {
      const client = new Client(running.url);
      for (let i = 0; i < 3; i++) expect((await client.post("/token", { form: { username: "demo", password: "nope-nope" } })).status).toBe(401);
      const limited = await client.post("/token", { form: { username: "demo", password: "nope-nope" } });
      expect(limited.status).toBe(429);
      expect(limited.body.error_code).toBe("RATE_LIMITED");
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(limited.headers.get("ratelimit-limit")).toBe("3");
    } finally {
      await running.close();
      await dropPlace(place);
    }
  });
});
