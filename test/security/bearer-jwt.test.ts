// Every bearer-token scheme combined with AccessTokens, over HTTP: the failures of issue 4's proof list.
import { generateKeyPairSync } from "node:crypto";
import { SignJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { App, Depends, type Dependency } from "../../src/index.ts";
import { AccessTokens, HTTPBearer, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer, OpenIdConnect, Scopes, Security } from "../../src/security/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const SECRET = "bearer-matrix-secret-0123456789abcdef";
const tokens = new AccessTokens({ algorithm: "HS256", secret: SECRET, issuer: "https://auth.example", audience: "api" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });

const schemes: Array<[string, () => Dependency<string>]> = [
  ["OAuth2PasswordBearer", () => new OAuth2PasswordBearer({ tokenUrl: "token" })],
  ["OAuth2AuthorizationCodeBearer", () => new OAuth2AuthorizationCodeBearer({ authorizationUrl: "/authorize", tokenUrl: "/token" })],
  ["OpenIdConnect", () => new OpenIdConnect({ openIdConnectUrl: "/.well-known/openid-configuration" })],
  ["HTTPBearer", () => Depends({ auth: new HTTPBearer() }, ({ auth }) => auth.credentials)],
];

const now = () => Math.floor(Date.now() / 1000);
const hmac = (alg: string, claims: Record<string, unknown>, key = SECRET) =>
  new SignJWT(claims).setProtectedHeader({ alg, typ: "at+jwt" }).sign(new TextEncoder().encode(key));
const valid = { sub: "alice", iss: "https://auth.example", aud: "api", exp: now() + 600 };

describe.each(schemes)("%s + AccessTokens", (_name, make) => {
  const token = make();
  const user = Depends({ scopes: Scopes(), token }, async ({ scopes, token }) => (await tokens.authenticate(token, { scopes })).sub);
  const app = new App();
  app.get("/me", { params: { user } }, ({ user }) => ({ user }));
  app.get("/admin", { params: { user: Security(user, { scopes: ["admin"] }) } }, ({ user }) => ({ user }));
  const client = new TestClient(app);
  const call = (jwt: string, path = "/me") => client.get(path, { headers: { authorization: `Bearer ${jwt}` } });
  const refused = async (jwt: string, description: string) => {
    const res = await call(jwt);
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Could not validate credentials" });
    expect(res.header("www-authenticate")).toBe(`Bearer error="invalid_token", error_description="${description}"`);
  };

  it("success", async () => {
    expect((await call(await tokens.create({ sub: "alice" }))).json()).toEqual({ user: "alice" });
  });

  it("missing → 401 without error code; wrong scheme word → 401", async () => {
    const missing = await client.get("/me");
    expect([missing.status, missing.header("www-authenticate")]).toEqual([401, "Bearer"]);
    const basic = await client.get("/me", { headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` } });
    expect([basic.status, basic.header("www-authenticate")]).toEqual([401, "Bearer"]);
    const token = await client.get("/me", { headers: { authorization: `Token ${await tokens.create({ sub: "a" })}` } });
    expect(token.status).toBe(401);
  });

  it("malformed → 401", async () => {
    const res = await client.get("/me", { headers: { authorization: "Bearer two words" } });
    expect(res.status).toBe(401);
    await refused("eyJhbGciOiJIUzI1NiJ9.e30", "The token is malformed");
  });

  it("expired → 401", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() - 3600_000 });
    const old = await tokens.create({ sub: "alice" });
    vi.useRealTimers();
    await refused(old, "The token has expired");
  });

  it("tampered signature → 401", async () => {
    const jwt = await tokens.create({ sub: "bob" });
    const [h, , s] = jwt.split(".");
    await refused(`${h}.${Buffer.from(JSON.stringify({ ...valid, sub: "alice" })).toString("base64url")}.${s}`, "The token's signature is invalid");
  });

  it("wrong algorithm → 401 (HS512, RS256, none)", async () => {
    await refused(await hmac("HS512", valid, SECRET.repeat(2)), "The token's signing algorithm is not accepted");
    const rs = await new SignJWT(valid).setProtectedHeader({ alg: "RS256", typ: "at+jwt" }).sign(rsa.privateKey);
    await refused(rs, "The token's signing algorithm is not accepted");
    const none = `${Buffer.from('{"alg":"none","typ":"at+jwt"}').toString("base64url")}.${Buffer.from(JSON.stringify(valid)).toString("base64url")}.`;
    await refused(none, "The token's signing algorithm is not accepted");
  });

  it("wrong audience or issuer → 401", async () => {
    await refused(await hmac("HS256", { ...valid, aud: "other" }), 'The token\'s \\"aud\\" claim is invalid');
    await refused(await hmac("HS256", { ...valid, iss: "https://evil.example" }), 'The token\'s \\"iss\\" claim is invalid');
  });

  it("scopes missing → 403 naming them", async () => {
    const res = await call(await tokens.create({ sub: "alice", scope: "me" }), "/admin");
    expect(res.status).toBe(403);
    expect(res.header("www-authenticate")).toBe('Bearer scope="admin", error="insufficient_scope"');
    expect((await call(await tokens.create({ sub: "alice", scope: "me admin" }), "/admin")).json()).toEqual({ user: "alice" });
  });
});
