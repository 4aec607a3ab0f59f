import { describe, expect, expectTypeOf, it } from "vitest";
import { App, Depends, HTTPException, type ValueOf } from "../../src/index.ts";
import { APIKeyCookie, APIKeyHeader, APIKeyQuery, compareSecrets } from "../../src/security/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const KEY = "k3y-for-tests-only";

describe.each([
  ["header", () => new APIKeyHeader({ name: "X-API-Key" }), () => new APIKeyHeader({ name: "X-API-Key", autoError: false }), (v: string) => ({ headers: { "x-api-key": v } })],
  ["query", () => new APIKeyQuery({ name: "api_key" }), () => new APIKeyQuery({ name: "api_key", autoError: false }), (v: string) => ({ params: { api_key: v } })],
  ["cookie", () => new APIKeyCookie({ name: "session" }), () => new APIKeyCookie({ name: "session", autoError: false }), (v: string) => ({ cookies: { session: v } })],
] as const)("API key in a %s", (where, make, makeOptional, send) => {
  const scheme = make();
  const optional = makeOptional();
  const checked = Depends({ key: scheme }, ({ key }) => {
    if (!compareSecrets(key, KEY)) throw new HTTPException(401, "Invalid API key", { "WWW-Authenticate": "APIKey" });
    return "ok";
  });
  const app = new App();
  app.get("/raw", { params: { key: scheme } }, ({ key }) => ({ key }));
  app.get("/maybe", { params: { key: optional } }, ({ key }) => ({ key: key ?? null }));
  app.get("/checked", { params: { ok: checked } }, ({ ok }) => ({ ok }));
  const client = new TestClient(app);

  it("documents itself as an apiKey scheme", () => {
    const name = where === "header" ? "X-API-Key" : where === "query" ? "api_key" : "session";
    const cls = { header: "APIKeyHeader", query: "APIKeyQuery", cookie: "APIKeyCookie" }[where];
    expect(scheme.openapi?.securityScheme).toEqual({ name: cls, scheme: { type: "apiKey", name, in: where } });
  });

  it("resolves to the key", async () => {
    const res = await client.get("/raw", send(KEY));
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ key: KEY });
  });

  it("answers 401 with WWW-Authenticate: APIKey when the key is missing or empty", async () => {
    for (const res of [await client.get("/raw"), await client.get("/raw", send(""))]) {
      expect(res.status).toBe(401);
      expect(res.json()).toEqual({ detail: "Not authenticated" });
      expect(res.header("www-authenticate")).toBe("APIKey");
    }
  });

  it("resolves to undefined with autoError: false", async () => {
    expect((await client.get("/maybe")).json()).toEqual({ key: null });
    expect((await client.get("/maybe", send(KEY))).json()).toEqual({ key: KEY });
  });

  it("lets a constant-time check refuse a wrong key without echoing it", async () => {
    expect((await client.get("/checked", send(KEY))).json()).toEqual({ ok: "ok" });
    const wrong = await client.get("/checked", send("guess-123"));
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain("guess-123");
  });

  it("types the value by autoError", () => {
    expectTypeOf<ValueOf<typeof scheme>>().toEqualTypeOf<string>();
    expectTypeOf<ValueOf<typeof optional>>().toEqualTypeOf<string | undefined>();
  });
});

describe("API key edge cases", () => {
  it("refuses a query key given twice instead of picking one", async () => {
    const scheme = new APIKeyQuery({ name: "api_key" });
    const app = new App();
    app.get("/", { params: { key: scheme } }, ({ key }) => ({ key }));
    const res = await new TestClient(app).get("/?api_key=a&api_key=b");
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Invalid authentication credentials" });
  });

  it("requires a name", () => {
    expect(() => new APIKeyHeader({} as never)).toThrow(/`name`.*required/);
  });
});
