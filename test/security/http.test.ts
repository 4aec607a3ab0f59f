import { describe, expect, expectTypeOf, it } from "vitest";
import { App, Depends, HTTPException, type InferParams, type ValueOf } from "../../src/index.ts";
import { HTTPBasic, HTTPBearer, compareSecrets, type Credential, type HTTPAuthorizationCredentials, type HTTPBasicCredentials } from "../../src/security/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const basicHeader = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`, "utf8").toString("base64")}`;

describe("HTTPBearer", () => {
  const bearer = new HTTPBearer({ bearerFormat: "JWT" });
  const optional = new HTTPBearer({ autoError: false, schemeName: "OptionalBearer" });
  const app = new App();
  app.get("/me", { params: { auth: bearer } }, ({ auth }) => auth);
  app.get("/maybe", { params: { auth: optional } }, ({ auth }) => ({ auth: auth ?? null }));
  const client = new TestClient(app);

  it("documents itself as an HTTP bearer scheme named after the class", () => {
    expect(bearer.openapi).toEqual({ securityScheme: { name: "HTTPBearer", scheme: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } });
    expect(optional.schemeName).toBe("OptionalBearer");
  });

  it("resolves to the scheme word and the credentials", async () => {
    const res = await client.get("/me", { headers: { authorization: "Bearer abc.def-ghi_~+/==" } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ scheme: "Bearer", credentials: "abc.def-ghi_~+/==" });
  });

  it("accepts the scheme word in any case (RFC 9110 §11.1)", async () => {
    const res = await client.get("/me", { headers: { authorization: "bearer   tok" } });
    expect(res.json()).toEqual({ scheme: "bearer", credentials: "tok" });
  });

  it("answers 401 with a bare Bearer challenge when nothing is sent (RFC 6750 §3.1: no error code)", async () => {
    const res = await client.get("/me");
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.header("www-authenticate")).toBe("Bearer");
  });

  it("answers 401 for another scheme's credentials", async () => {
    const res = await client.get("/me", { headers: { authorization: basicHeader("a", "b") } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Invalid authentication credentials" });
    expect(res.header("www-authenticate")).toBe("Bearer");
  });

  it.each(["Bearer", "Bearer ", "Bearer a b", "Bearer a,b", 'Bearer "quoted"', "Bearer =abc"])("answers 401 invalid_token for a malformed token: %j", async (value) => {
    const res = await client.get("/me", { headers: { authorization: value } });
    expect(res.status).toBe(401);
    expect(res.header("www-authenticate")).toBe('Bearer error="invalid_token", error_description="Malformed bearer token"');
  });

  it("resolves to undefined instead of failing with autoError: false", async () => {
    expect((await client.get("/maybe")).json()).toEqual({ auth: null });
    expect((await client.get("/maybe", { headers: { authorization: "Basic abc=" } })).json()).toEqual({ auth: null });
    expect((await client.get("/maybe", { headers: { authorization: "Bearer a b" } })).json()).toEqual({ auth: null });
    expect((await client.get("/maybe", { headers: { authorization: "Bearer t" } })).json()).toEqual({ auth: { scheme: "Bearer", credentials: "t" } });
  });

  it("types the value by autoError", () => {
    expectTypeOf<ValueOf<typeof bearer>>().toEqualTypeOf<HTTPAuthorizationCredentials>();
    // `autoError: false` is inferred into the class, whose value type then includes undefined.
    expectTypeOf(optional).toEqualTypeOf<HTTPBearer<false>>();
    expectTypeOf<Credential<HTTPAuthorizationCredentials, false>>().toEqualTypeOf<HTTPAuthorizationCredentials | undefined>();
    expectTypeOf<ValueOf<typeof optional>>().toEqualTypeOf<HTTPAuthorizationCredentials | undefined>();
    expectTypeOf<InferParams<{ auth: typeof optional }>>().toEqualTypeOf<{ auth: HTTPAuthorizationCredentials | undefined }>();
  });
});

describe("HTTPBasic", () => {
  const basic = new HTTPBasic({ realm: "admin area" });
  const plain = new HTTPBasic();
  const optional = new HTTPBasic({ autoError: false });
  const app = new App();
  const checked = Depends({ creds: basic }, ({ creds }) => {
    // Both comparisons always run, so timing does not tell which one failed.
    const userOk = compareSecrets(creds.username, "stanley");
    const passOk = compareSecrets(creds.password, "swordfish");
    if (!(userOk && passOk)) throw new HTTPException(401, "Incorrect username or password", { "WWW-Authenticate": basic.challenge });
    return creds.username;
  });
  app.get("/creds", { params: { creds: basic } }, ({ creds }) => creds);
  app.get("/plain", { params: { creds: plain } }, ({ creds }) => creds);
  app.get("/maybe", { params: { creds: optional } }, ({ creds }) => ({ creds: creds ?? null }));
  app.get("/admin", { params: { user: checked } }, ({ user }) => ({ user }));
  const client = new TestClient(app);

  it("documents itself as an HTTP basic scheme", () => {
    expect(basic.openapi?.securityScheme).toEqual({ name: "HTTPBasic", scheme: { type: "http", scheme: "basic" } });
  });

  it("decodes username and password; the password may contain colons and UTF-8", async () => {
    const res = await client.get("/creds", { headers: { authorization: basicHeader("zoë", "pa:ss:wörd") } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ username: "zoë", password: "pa:ss:wörd" });
    expectTypeOf<ValueOf<typeof basic>>().toEqualTypeOf<HTTPBasicCredentials>();
    expectTypeOf(optional).toEqualTypeOf<HTTPBasic<false>>();
    expectTypeOf<ValueOf<typeof optional>>().toEqualTypeOf<HTTPBasicCredentials | undefined>();
  });

  it("answers 401 with a realm and UTF-8 charset challenge when nothing is sent (RFC 7617 §2, §2.1)", async () => {
    const res = await client.get("/creds");
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
    expect(res.header("www-authenticate")).toBe('Basic realm="admin area", charset="UTF-8"');
    expect((await client.get("/plain")).header("www-authenticate")).toBe('Basic realm="api", charset="UTF-8"');
  });

  it.each([
    ["another scheme", "Bearer abc"],
    ["not base64", "Basic !!!!"],
    ["bad padding", "Basic YWJj="],
    ["no colon", `Basic ${Buffer.from("nocolon").toString("base64")}`],
    ["invalid UTF-8", `Basic ${Buffer.from([0x61, 0x3a, 0xff, 0xfe]).toString("base64")}`],
    ["control characters", `Basic ${Buffer.from("a:b\nc").toString("base64")}`],
    ["no credentials", "Basic"],
  ])("answers 401 for %s", async (_what, value) => {
    const res = await client.get("/creds", { headers: { authorization: value } });
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Invalid authentication credentials" });
    expect(res.header("www-authenticate")).toBe('Basic realm="admin area", charset="UTF-8"');
  });

  it("resolves to undefined with autoError: false", async () => {
    expect((await client.get("/maybe")).json()).toEqual({ creds: null });
    expect((await client.get("/maybe", { headers: { authorization: "Basic !!!!" } })).json()).toEqual({ creds: null });
  });

  it("works with a constant-time credentials check, and the password never reaches the response", async () => {
    expect((await client.get("/admin", { headers: { authorization: basicHeader("stanley", "swordfish") } })).json()).toEqual({ user: "stanley" });
    const wrong = await client.get("/admin", { headers: { authorization: basicHeader("stanley", "hunter2") } });
    expect(wrong.status).toBe(401);
    expect(wrong.header("www-authenticate")).toBe('Basic realm="admin area", charset="UTF-8"');
    expect(wrong.text).not.toContain("hunter2");
  });
});
