import { describe, expect, expectTypeOf, it } from "vitest";
import { App, Depends, type ValueOf } from "../../src/index.ts";
import { OAuth2, OAuth2AuthorizationCodeBearer, OAuth2PasswordBearer, OpenIdConnect, Security } from "../../src/security/index.ts";
import { TestClient } from "../../src/testing/index.ts";

describe.each([
  ["OAuth2PasswordBearer", () => new OAuth2PasswordBearer({ tokenUrl: "token" }), () => new OAuth2PasswordBearer({ tokenUrl: "token", autoError: false })],
  [
    "OAuth2AuthorizationCodeBearer",
    () => new OAuth2AuthorizationCodeBearer({ authorizationUrl: "https://auth.example/authorize", tokenUrl: "https://auth.example/token" }),
    () => new OAuth2AuthorizationCodeBearer({ authorizationUrl: "https://auth.example/authorize", tokenUrl: "https://auth.example/token", autoError: false }),
  ],
  [
    "OpenIdConnect",
    () => new OpenIdConnect({ openIdConnectUrl: "https://auth.example/.well-known/openid-configuration" }),
    () => new OpenIdConnect({ openIdConnectUrl: "https://auth.example/.well-known/openid-configuration", autoError: false }),
  ],
  ["OAuth2", () => new OAuth2({ flows: { clientCredentials: { tokenUrl: "/token", scopes: {} } } }), () => new OAuth2({ flows: {}, autoError: false })],
] as const)("%s", (name, make, makeOptional) => {
  const scheme = make();
  const optional = makeOptional();
  const app = new App();
  app.get("/token", { params: { token: scheme } }, ({ token }) => ({ token }));
  app.get("/maybe", { params: { token: optional } }, ({ token }) => ({ token: token ?? null }));
  const client = new TestClient(app);

  it("is named after its class", () => {
    expect(scheme.schemeName).toBe(name);
    expect(scheme.openapi?.securityScheme?.name).toBe(name);
  });

  it("resolves to the bearer token", async () => {
    const res = await client.get("/token", { headers: { authorization: "Bearer eyJ.abc.def" } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ token: "eyJ.abc.def" });
  });

  it.each([
    ["missing", undefined, "Not authenticated", "Bearer"],
    ["another scheme", "Basic dTpw", "Not authenticated", "Bearer"],
    ["malformed", "Bearer not a token", "Invalid authentication credentials", 'Bearer error="invalid_token", error_description="Malformed bearer token"'],
  ])("answers 401 when the token is %s", async (_what, header, detail, challenge) => {
    const res = await client.get("/token", header === undefined ? {} : { headers: { authorization: header } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail });
    expect(res.header("www-authenticate")).toBe(challenge);
  });

  it("resolves to undefined with autoError: false", async () => {
    expect((await client.get("/maybe")).json()).toEqual({ token: null });
    expect((await client.get("/maybe", { headers: { authorization: "Bearer a b" } })).json()).toEqual({ token: null });
    expect((await client.get("/maybe", { headers: { authorization: "Bearer t" } })).json()).toEqual({ token: "t" });
  });

  it("types the value by autoError", () => {
    expectTypeOf<ValueOf<typeof scheme>>().toEqualTypeOf<string>();
    expectTypeOf<ValueOf<typeof optional>>().toEqualTypeOf<string | undefined>();
  });
});

describe("OpenAPI models", () => {
  it("documents the password flow with scopes and refreshUrl", () => {
    const scheme = new OAuth2PasswordBearer({ tokenUrl: "token", refreshUrl: "token/refresh", scopes: { me: "Read me" }, description: "Log in" });
    expect(scheme.openapi).toEqual({
      securityScheme: {
        name: "OAuth2PasswordBearer",
        scheme: { type: "oauth2", flows: { password: { tokenUrl: "token", refreshUrl: "token/refresh", scopes: { me: "Read me" } } }, description: "Log in" },
      },
    });
  });

  it("infers autoError: false into the class type", () => {
    expectTypeOf(new OAuth2PasswordBearer({ tokenUrl: "t", autoError: false })).toEqualTypeOf<OAuth2PasswordBearer<false>>();
    expectTypeOf(new OAuth2PasswordBearer({ tokenUrl: "t" })).toEqualTypeOf<OAuth2PasswordBearer<true>>();
  });

  it("always documents a scopes object (OpenAPI requires it) and leaves out what was not given", () => {
    const scheme = new OAuth2PasswordBearer({ tokenUrl: "token" });
    expect(scheme.model).toEqual({ type: "oauth2", flows: { password: { tokenUrl: "token", scopes: {} } } });
    expect(Object.isFrozen(scheme.model)).toBe(true);
  });

  it("documents the authorization code flow", () => {
    const scheme = new OAuth2AuthorizationCodeBearer({ authorizationUrl: "/authorize", tokenUrl: "/token", scopes: { read: "Read" }, schemeName: "corp" });
    expect(scheme.openapi?.securityScheme).toEqual({
      name: "corp",
      scheme: { type: "oauth2", flows: { authorizationCode: { authorizationUrl: "/authorize", tokenUrl: "/token", scopes: { read: "Read" } } } },
    });
  });

  it("documents OpenID Connect discovery", () => {
    const scheme = new OpenIdConnect({ openIdConnectUrl: "https://id.example/.well-known/openid-configuration" });
    expect(scheme.model).toEqual({ type: "openIdConnect", openIdConnectUrl: "https://id.example/.well-known/openid-configuration" });
  });

  it("names a subclass after the subclass, as FastAPI does", () => {
    class CompanyBearer extends OAuth2PasswordBearer {}
    expect(new CompanyBearer({ tokenUrl: "t" }).schemeName).toBe("CompanyBearer");
  });

  it("fails in the constructor when a URL option is missing", () => {
    expect(() => new OAuth2PasswordBearer({} as never)).toThrow("OAuth2PasswordBearer: the `tokenUrl` option is required");
    expect(() => new OAuth2AuthorizationCodeBearer({ tokenUrl: "t" } as never)).toThrow("`authorizationUrl`");
    expect(() => new OpenIdConnect({} as never)).toThrow("`openIdConnectUrl`");
  });
});

describe("a scheme as a dependency", () => {
  it("is its own key, and Depends()/Security() copies keep the key and the OpenAPI model", () => {
    const scheme = new OAuth2PasswordBearer({ tokenUrl: "token" });
    expect(scheme.key).toBe(scheme);
    const viaDepends = Depends(scheme);
    const viaSecurity = Security(scheme, { scopes: ["me"] });
    for (const copy of [viaDepends, viaSecurity]) {
      expect(copy.key).toBe(scheme);
      expect(copy.openapi).toBe(scheme.openapi);
    }
    expect(viaSecurity.scopes).toEqual(["me"]);
  });

  it("runs once per request however many dependencies use it", async () => {
    let reads = 0;
    class Counting extends OAuth2PasswordBearer {
      override resolve(request: Parameters<OAuth2PasswordBearer["resolve"]>[0]) {
        reads++;
        return super.resolve(request);
      }
    }
    const scheme = new Counting({ tokenUrl: "token" });
    const a = Depends({ token: scheme }, ({ token }) => token.length);
    const b = Depends({ token: Depends(scheme) }, ({ token }) => token.toUpperCase());
    const app = new App();
    app.get("/", { params: { a, b, token: scheme } }, ({ a, b, token }) => ({ a, b, token }));
    const res = await new TestClient(app).get("/", { headers: { authorization: "Bearer abc" } });
    expect(res.json()).toEqual({ a: 3, b: "ABC", token: "abc" });
    expect(reads).toBe(1);
  });

  it("can be overridden in tests through the instance", async () => {
    const scheme = new OAuth2PasswordBearer({ tokenUrl: "token" });
    const user = Depends({ token: scheme }, ({ token }) => ({ token }));
    const app = new App();
    app.get("/me", { params: { user } }, ({ user }) => user);
    const client = new TestClient(app);
    expect((await client.get("/me")).status).toBe(401);
    const restore = app.dependencyOverrides.set(scheme, () => "fake-token");
    expect((await client.get("/me")).json()).toEqual({ token: "fake-token" });
    restore();
    expect((await client.get("/me")).status).toBe(401);
  });

  it("declares no operation parameters: credentials are read from the request directly", () => {
    const scheme = new OAuth2PasswordBearer({ tokenUrl: "token" });
    const app = new App();
    const route = app.get("/me", { params: { token: scheme } }, ({ token }) => token);
    expect(route.basePlan.params).toEqual([]);
    expect(route.basePlan.documented.map((s) => s.dependency.openapi?.securityScheme?.name)).toEqual(["OAuth2PasswordBearer"]);
  });
});
