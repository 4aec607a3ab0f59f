import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { app, fakeUsersDb, tokens } from "../../examples/seed/30-oauth2-password-login.ts";
import { TestClient } from "../../src/testing/index.ts";

const client = new TestClient(app);
const login = (data: Record<string, string>) => client.post("/token", { data });

describe("seed example 30: OAuth2 password flow login", () => {
  it("POST /token with the right form answers {access_token, token_type: 'bearer'}", async () => {
    const res = await login({ username: "alice", password: "secret" });
    expect(res.status).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(["access_token", "token_type"]);
    expect(body.token_type).toBe("bearer");
    expect(res.header("cache-control")).toBe("no-store");
  });

  it("the access token is a real, signed JWT for the user (not 'fake-token-for-alice')", async () => {
    const { access_token } = (await login({ username: "alice", password: "secret" })).json();
    expect(decodeJwt(access_token).sub).toBe("alice");
    expect((await tokens.verify(access_token)).sub).toBe("alice");
  });

  it.each([
    ["a wrong password", { username: "alice", password: "Secret" }],
    ["an unknown user", { username: "mallory", password: "secret" }],
    ["a prototype key as username", { username: "__proto__", password: "secret" }],
  ])("answers 401 'Incorrect username or password' with WWW-Authenticate: Bearer for %s", async (_what, form) => {
    const res = await login(form);
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Incorrect username or password" });
    expect(res.header("www-authenticate")).toBe("Bearer");
    expect(res.text).not.toContain(form.password);
  });

  it("reads credentials from the urlencoded form only: a JSON body or missing fields → 422", async () => {
    const json = await client.post("/token", { json: { username: "alice", password: "secret" } });
    expect(json.status).toBe(422);
    const missing = await login({ username: "alice" });
    expect(missing.status).toBe(422);
    expect(missing.json().detail[0].loc).toEqual(["body", "password"]);
  });

  it("stores an argon2id hash, not the seed's SHA-256", () => {
    expect(fakeUsersDb.get("alice")!.hashedPassword).toMatch(/^\$argon2id\$v=19\$/);
  });

  it("the token unlocks the protected route, whose response never carries the hash", async () => {
    const { access_token } = (await login({ username: "alice", password: "secret" })).json();
    const res = await client.get("/users/me", { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ username: "alice", email: "alice@example.com" });
    const anonymous = await client.get("/users/me");
    expect(anonymous.status).toBe(401);
    expect(anonymous.header("www-authenticate")).toBe("Bearer");
  });
});
