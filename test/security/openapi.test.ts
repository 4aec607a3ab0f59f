// The OpenAPI document that security schemes produce, with no hand-written OpenAPI anywhere in the apps.
import { describe, expect, it } from "vitest";
import { app as seed31 } from "../../examples/seed/31-jwt-tokens.ts";
import { app as seed32 } from "../../examples/seed/32-role-based-access.ts";
import { App, Depends, Router, type OpenAPIDocument } from "../../src/index.ts";
import {
  APIKeyHeader,
  AccessTokens,
  HTTPBasic,
  HTTPBearer,
  OAuth2PasswordBearer,
  OAuth2PasswordRequestForm,
  OpenIdConnect,
  Scopes,
  Security,
} from "../../src/security/index.ts";
import { validDocument } from "../openapi/validate.ts";

/** The security-relevant slice of a document: the schemes, and each operation's requirements. */
function securityOf(doc: OpenAPIDocument) {
  const operations: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, { security?: unknown }>)) {
      operations[`${method.toUpperCase()} ${path}`] = op.security ?? null;
    }
  }
  return { securitySchemes: doc.components?.securitySchemes ?? null, operations };
}

const tokens = new AccessTokens({ algorithm: "HS256", secret: "openapi-test-secret-0123456789abcdef" });
const oauth2 = new OAuth2PasswordBearer({
  tokenUrl: "token",
  refreshUrl: "token/refresh",
  scopes: { me: "Read information about the current user.", items: "Read items.", admin: "Administer." },
  description: "Log in with your username and password.",
});
const apiKey = new APIKeyHeader({ name: "X-API-Key" });
const basic = new HTTPBasic({ realm: "metrics" });
const bearer = new HTTPBearer({ bearerFormat: "JWT", schemeName: "partnerToken", autoError: false });
const oidc = new OpenIdConnect({ openIdConnectUrl: "https://id.example/.well-known/openid-configuration" });

const getCurrentUser = Depends({ scopes: Scopes(), token: oauth2 }, async function getCurrentUser({ scopes, token }) {
  return (await tokens.authenticate(token, { scopes })).sub;
});
const getActiveUser = Depends({ user: Security(getCurrentUser, { scopes: ["me"] }) }, function getActiveUser({ user }) {
  return user;
});

function buildApp(): App {
  const app = new App({ title: "Security docs" });
  app.post("/token", { params: { form: OAuth2PasswordRequestForm } }, function login() {
    return { access_token: "x", token_type: "bearer" };
  });
  app.get("/users/me", { params: { user: getActiveUser } }, function readMe({ user }) {
    return { user };
  });
  app.get("/users/me/items", { params: { user: Security(getActiveUser, { scopes: ["items"] }) } }, function readOwnItems({ user }) {
    return [{ owner: user }];
  });
  app.get("/status", { params: { user: getCurrentUser } }, function status() {
    return { ok: true };
  });
  app.get("/metrics", { params: { creds: basic } }, function metrics() {
    return {};
  });
  app.get("/partner", { params: { key: apiKey, token: bearer } }, function partner() {
    return {};
  });
  app.get("/sso", { params: { token: oidc } }, function sso() {
    return {};
  });
  app.get("/public", {}, function publicInfo() {
    return {};
  });
  const admin = new Router({ prefix: "/admin", dependencies: [Security(getCurrentUser, { scopes: ["admin"] })] });
  admin.get("/stats", {}, function adminStats() {
    return {};
  });
  app.includeRouter(admin);
  return app;
}

describe("OpenAPI security from the dependency graph", () => {
  it("app.openapi() exists (the generator landed)", () => {
    expect(typeof new App().openapi).toBe("function");
  });

  it("documents every scheme once, and each operation's requirements with accumulated scopes", async () => {
    const doc = await validDocument(buildApp());
    expect(securityOf(doc)).toMatchSnapshot();
  });

  it("the OAuth2 password scheme carries tokenUrl, refreshUrl, scopes and description", async () => {
    const doc = await validDocument(buildApp());
    expect(doc.components?.securitySchemes?.OAuth2PasswordBearer).toEqual({
      type: "oauth2",
      flows: {
        password: {
          tokenUrl: "token",
          refreshUrl: "token/refresh",
          scopes: { me: "Read information about the current user.", items: "Read items.", admin: "Administer." },
        },
      },
      description: "Log in with your username and password.",
    });
  });

  it("scopes accumulate down the chain: route → active user → current user", async () => {
    const { operations } = securityOf(await validDocument(buildApp()));
    expect(operations["GET /users/me"]).toEqual([{ OAuth2PasswordBearer: ["me"] }]);
    expect(operations["GET /users/me/items"]).toEqual([{ OAuth2PasswordBearer: ["items", "me"] }]);
    expect(operations["GET /status"]).toEqual([{ OAuth2PasswordBearer: [] }]);
    expect(operations["GET /admin/stats"]).toEqual([{ OAuth2PasswordBearer: ["admin"] }]);
    expect(operations["GET /partner"]).toEqual([{ APIKeyHeader: [] }, { partnerToken: [] }]);
    expect(operations["GET /public"]).toBeNull();
    expect(operations["POST /token"]).toBeNull();
  });

  it("the token route documents the password grant form", async () => {
    const doc = await validDocument(buildApp());
    const body = (doc.paths?.["/token"] as unknown as { post: { requestBody: { content: Record<string, { schema: { $ref: string } }> } } }).post.requestBody;
    const ref = body.content["application/x-www-form-urlencoded"]!.schema.$ref.split("/").pop()!;
    const schema = doc.components?.schemas?.[ref] as unknown as { properties: Record<string, { format?: string }>; required: string[] };
    expect(Object.keys(schema.properties)).toEqual(["grant_type", "username", "password", "scope", "client_id", "client_secret"]);
    expect(schema.required).toEqual(["username", "password"]);
    expect(schema.properties.password!.format).toBe("password");
  });

  it("seed examples 31 and 32 document their scheme and protected operations", async () => {
    expect(securityOf(await validDocument(seed31))).toEqual({
      securitySchemes: { OAuth2PasswordBearer: { type: "oauth2", flows: { password: { tokenUrl: "token", scopes: {} } } } },
      operations: { "POST /token": null, "GET /users/me": [{ OAuth2PasswordBearer: [] }] },
    });
    const { operations } = securityOf(await validDocument(seed32));
    expect(operations).toEqual({
      "GET /profile": [{ OAuth2PasswordBearer: [] }],
      "DELETE /admin/users/{user_id}": [{ OAuth2PasswordBearer: [] }],
      "GET /reports": [{ OAuth2PasswordBearer: [] }],
      "POST /token": null,
    });
  });

  it("security credentials are not listed as operation parameters", async () => {
    const doc = await validDocument(buildApp());
    const partner = (doc.paths?.["/partner"] as unknown as { get: { parameters?: unknown[] } }).get;
    expect(partner.parameters ?? []).toEqual([]);
  });

});
