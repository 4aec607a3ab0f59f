import { describe, expect, it } from "vitest";
import { App, Depends } from "../../src/index.ts";
import { AccessTokens, OAuth2PasswordBearer, Scopes, Security, SecurityScopes, requireScopes } from "../../src/security/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const tokens = new AccessTokens({ algorithm: "HS256", secret: "scopes-test-secret-0123456789abcdef" });
const oauth2 = new OAuth2PasswordBearer({ tokenUrl: "token", scopes: { me: "Read your profile", items: "Read items", admin: "Everything" } });

// FastAPI's "OAuth2 scopes" tutorial shape: the user dependency compares the token's scopes with the ones
// accumulated above it.
const seen: string[][] = [];
const getCurrentUser = Depends({ scopes: Scopes(), token: oauth2 }, async ({ scopes, token }) => {
  seen.push([...scopes.scopes]);
  const claims = await tokens.authenticate(token, { scopes });
  return { username: claims.sub, scope: claims.scope ?? "" };
});
const getActiveUser = Depends({ user: Security(getCurrentUser, { scopes: ["me"] }) }, ({ user }) => user);

const app = new App();
app.get("/users/me", { params: { user: getActiveUser } }, ({ user }) => user);
app.get("/users/me/items", { params: { user: Security(getActiveUser, { scopes: ["items"] }) } }, ({ user }) => ({ owner: user.username }));
app.get("/status", { params: { user: getCurrentUser } }, ({ user }) => ({ user: user.username }));
app.get("/scopes-here", { params: { scopes: Scopes() } }, ({ scopes }) => ({ scopes: scopes.scopes }));
const client = new TestClient(app);
const bearer = async (scope: string[]) => ({ authorization: `Bearer ${await tokens.create({ sub: "alice", scope })}` });

describe("Security() scopes", () => {
  it("accumulate down the dependency chain, outermost first (as FastAPI)", async () => {
    seen.length = 0;
    const res = await client.get("/users/me/items", { headers: await bearer(["me", "items"]) });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ owner: "alice" });
    expect(seen).toEqual([["items", "me"]]);
  });

  it("are recorded on the plan for the OpenAPI generator", () => {
    const route = app.routes.find((r) => r.path === "/users/me/items")!;
    const step = route.basePlan.documented[0]!;
    expect(step.dependency.openapi?.securityScheme?.name).toBe("OAuth2PasswordBearer");
    expect(step.scopes).toEqual(["items", "me"]);
  });

  it("answer 403 with an insufficient_scope challenge naming every required scope", async () => {
    const res = await client.get("/users/me/items", { headers: await bearer(["me"]) });
    expect(res.status).toBe(403);
    expect(res.json()).toEqual({ detail: "Not enough permissions" });
    expect(res.header("www-authenticate")).toBe('Bearer scope="items me", error="insufficient_scope"');
    expect(res.header("www-authenticate")).toMatch(/^Bearer scope="[^"]+"/);
  });

  it("a route with fewer requirements accepts a token with fewer scopes", async () => {
    expect((await client.get("/users/me", { headers: await bearer(["me"]) })).status).toBe(200);
    expect((await client.get("/status", { headers: await bearer([]) })).status).toBe(200);
    expect((await client.get("/users/me", { headers: await bearer([]) })).status).toBe(403);
  });

  it("are named in the 401 challenge too, so the client knows what to ask for (RFC 6750 §3)", async () => {
    const res = await client.get("/users/me/items", { headers: { authorization: "Bearer not.a.jwt" } });
    expect(res.status).toBe(401);
    expect(res.header("www-authenticate")).toBe('Bearer scope="items me", error="invalid_token", error_description="The token is malformed"');
  });

  it("are empty where nothing requires any", async () => {
    expect((await client.get("/scopes-here")).json()).toEqual({ scopes: [] });
  });

  it("work from app-level dependencies, and one dependency with two scope sets runs twice", async () => {
    const calls: string[] = [];
    const check = Depends({ scopes: Scopes() }, ({ scopes }) => {
      calls.push(scopes.scopeStr);
      return scopes.scopeStr;
    });
    const guarded = new App({ dependencies: [Security(check, { scopes: ["admin"] })] });
    guarded.get("/", { params: { a: Security(check, { scopes: ["read"] }), b: Security(check, { scopes: ["read"] }) } }, ({ a, b }) => ({ a, b }));
    const res = await new TestClient(guarded).get("/");
    expect(res.json()).toEqual({ a: "read", b: "read" });
    expect(calls).toEqual(["admin", "read"]);
  });
});

describe("requireScopes", () => {
  it("accepts a scope string or a list, and SecurityScopes or a list of required scopes", () => {
    expect(() => requireScopes(new SecurityScopes(["a", "b"]), "b a c")).not.toThrow();
    expect(() => requireScopes(["a"], ["a"])).not.toThrow();
    expect(() => requireScopes([], undefined)).not.toThrow();
    expect(() => requireScopes(["a"], undefined)).toThrow("Not enough permissions");
  });

  it("matches scopes exactly (RFC 6749 §3.3: case-sensitive)", () => {
    expect(() => requireScopes(["Admin"], "admin")).toThrow();
    expect(() => requireScopes(["items"], "items:read")).toThrow();
  });
});
