import { SignJWT, decodeJwt } from "jose";
import { describe, expect, it, vi } from "vitest";
import { TestClient } from "../../src/testing/index.ts";

// The example reads its secret from the environment; the test sets one so it can also forge tokens with it.
const SECRET = "test-only-secret-for-example-31-0123456789";
const previous = process.env.SECRET_KEY;
process.env.SECRET_KEY = SECRET;
const { app, createAccessToken, ACCESS_TOKEN_EXPIRE_MINUTES } = await import("../../examples/seed/31-jwt-tokens.ts");
// The example read it at import; leave the environment as it was for whatever runs next in this process.
if (previous === undefined) delete process.env.SECRET_KEY;
else process.env.SECRET_KEY = previous;
const client = new TestClient(app);
const me = (token: string) => client.get("/users/me", { headers: { authorization: `Bearer ${token}` } });
const sign = (header: Record<string, unknown>, claims: Record<string, unknown>, key = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg: "HS256", typ: "at+jwt", ...header }).sign(new TextEncoder().encode(key));

function expectCredentialsError(res: Awaited<ReturnType<typeof me>>) {
  expect(res.status).toBe(401);
  expect(res.json()).toEqual({ detail: "Could not validate credentials" });
  expect(res.header("www-authenticate")).toMatch(/^Bearer error="invalid_token"/);
}

describe("seed example 31: JWT creation and verification", () => {
  it("createAccessToken adds exp: 15 minutes by default, or the given delta", async () => {
    const plain = decodeJwt(await createAccessToken({ sub: "alice" }));
    expect(plain.exp! - plain.iat!).toBe(15 * 60);
    const custom = decodeJwt(await createAccessToken({ sub: "alice" }, ACCESS_TOKEN_EXPIRE_MINUTES * 60));
    expect(custom.exp! - custom.iat!).toBe(30 * 60);
  });

  it("GET /users/me returns the username from a valid token", async () => {
    const res = await me(await createAccessToken({ sub: "alice" }));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ username: "alice" });
  });

  it("logs in through POST /token with a 30-minute token", async () => {
    const res = await client.post("/token", { data: { username: "alice", password: "secret" } });
    const { access_token, token_type } = res.json();
    expect(token_type).toBe("bearer");
    const claims = decodeJwt(access_token);
    expect(claims.exp! - claims.iat!).toBe(30 * 60);
    expect((await me(access_token)).json()).toEqual({ username: "alice" });
  });

  it("no token → 401 Not authenticated", async () => {
    const res = await client.get("/users/me");
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.header("www-authenticate")).toBe("Bearer");
  });

  it("an expired token → 401", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 20 * 60_000 });
    const old = await createAccessToken({ sub: "alice" });
    vi.useRealTimers();
    const res = await me(old);
    expectCredentialsError(res);
    expect(res.header("www-authenticate")).toContain('error_description="The token has expired"');
  });

  it("a token without sub → 401", async () => {
    expectCredentialsError(await me(await sign({}, { exp: Math.floor(Date.now() / 1000) + 60 })));
  });

  it("a tampered or foreign-signed token → 401", async () => {
    const [h, , s] = (await createAccessToken({ sub: "bob" })).split(".");
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: "alice", exp: 9999999999 })).toString("base64url")}.${s}`;
    expectCredentialsError(await me(forged));
    expectCredentialsError(await me(await sign({}, { sub: "alice", exp: 9999999999 }, "someone-elses-secret-0123456789abcdef")));
  });

  it("another algorithm, or alg none → 401", async () => {
    const hs512 = await new SignJWT({ sub: "alice" }).setProtectedHeader({ alg: "HS512", typ: "at+jwt" }).setExpirationTime("5m").sign(new TextEncoder().encode(SECRET.repeat(2)));
    expectCredentialsError(await me(hs512));
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from('{"sub":"alice","exp":9999999999}').toString("base64url")}.`;
    const res = await me(none);
    expect(res.status).toBe(401);
  });

  it("a malformed token → 401", async () => {
    expectCredentialsError(await me("not.a.jwt"));
  });
});
