/** CORSMiddleware: simple requests, the preflight matrix, credentials, regex origins, exposed headers, max age. */
import { describe, expect, it } from "vitest";
import { App, CORSMiddleware, HTTPException, TypefastError, type CORSOptions } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

function client(options: CORSOptions) {
  const app = new App();
  app.get("/items", {}, () => ({ items: [] }));
  app.post("/items", {}, () => ({ created: true }));
  app.get("/fail", {}, () => { throw new HTTPException(401, "Not authenticated"); });
  app.addMiddleware(CORSMiddleware, options);
  return new TestClient(app);
}

const preflight = (origin: string, method: string, headers?: string) => ({
  headers: { origin, "access-control-request-method": method, ...(headers === undefined ? {} : { "access-control-request-headers": headers }) },
});

describe("simple requests", () => {
  it("echo an allowed origin with Vary: Origin, and expose the listed headers", async () => {
    const c = client({ allowOrigins: ["https://app.example.com"], exposeHeaders: ["x-total", "x-page"] });
    const res = await c.get("/items", { headers: { origin: "https://app.example.com" } });
    expect(res.header("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.header("access-control-expose-headers")).toBe("x-total, x-page");
    expect(res.header("vary")).toBe("Origin");
    expect(res.header("access-control-allow-credentials")).toBeUndefined();
  });

  it("leave out CORS headers for other origins (the browser then hides the response)", async () => {
    const res = await client({ allowOrigins: ["https://app.example.com"] }).get("/items", { headers: { origin: "https://evil.example" } });
    expect(res.status).toBe(200);
    expect(res.header("access-control-allow-origin")).toBeUndefined();
    expect(res.header("vary")).toBe("Origin");
  });

  it('answer "*" for any origin when allowOrigins is ["*"], without Vary', async () => {
    const res = await client({ allowOrigins: ["*"] }).get("/items", { headers: { origin: "https://anyone.example" } });
    expect(res.header("access-control-allow-origin")).toBe("*");
    expect(res.header("vary")).toBeUndefined();
  });

  it("add Vary: Origin even without an Origin header, so shared caches keep variants apart", async () => {
    const res = await client({ allowOrigins: ["https://app.example.com"] }).get("/items");
    expect(res.header("access-control-allow-origin")).toBeUndefined();
    expect(res.header("vary")).toBe("Origin");
  });

  it("decorate error responses too", async () => {
    const res = await client({ allowOrigins: ["https://app.example.com"] }).get("/fail", { headers: { origin: "https://app.example.com" } });
    expect(res.status).toBe(401);
    expect(res.header("access-control-allow-origin")).toBe("https://app.example.com");
  });

  it("send credentials when allowed", async () => {
    const res = await client({ allowOrigins: ["https://app.example.com"], allowCredentials: true }).get("/items", {
      headers: { origin: "https://app.example.com", cookie: "session=1" },
    });
    expect(res.header("access-control-allow-credentials")).toBe("true");
    expect(res.header("access-control-allow-origin")).toBe("https://app.example.com");
  });
});

describe("regex origins", () => {
  it("match the whole origin, never a substring", async () => {
    const c = client({ allowOriginRegex: "https://.*\\.preview\\.example\\.com" });
    const ok = await c.get("/items", { headers: { origin: "https://pr-12.preview.example.com" } });
    expect(ok.header("access-control-allow-origin")).toBe("https://pr-12.preview.example.com");
    for (const origin of ["https://pr-12.preview.example.com.evil.io", "http://pr-12.preview.example.com", "https://preview.example.com"]) {
      expect((await c.get("/items", { headers: { origin } })).header("access-control-allow-origin")).toBeUndefined();
    }
  });

  it("accept a RegExp and combine with listed origins", async () => {
    const c = client({ allowOrigins: ["https://a.example"], allowOriginRegex: /https:\/\/[a-z]+\.b\.example/i });
    expect((await c.get("/items", { headers: { origin: "https://a.example" } })).header("access-control-allow-origin")).toBe("https://a.example");
    expect((await c.get("/items", { headers: { origin: "https://X.b.example" } })).header("access-control-allow-origin")).toBe("https://X.b.example");
  });
});

describe("preflight matrix", () => {
  const options: CORSOptions = {
    allowOrigins: ["https://app.example.com"],
    allowMethods: ["GET", "POST"],
    allowHeaders: ["Authorization", "X-Custom"],
    maxAge: 3600,
  };
  const cases: Array<{ name: string; origin: string; method: string; headers?: string; status: number; body: string }> = [
    { name: "allowed origin, method and headers", origin: "https://app.example.com", method: "POST", headers: "authorization, x-custom", status: 200, body: "OK" },
    { name: "safelisted headers need no listing", origin: "https://app.example.com", method: "GET", headers: "Content-Type, Accept", status: 200, body: "OK" },
    { name: "disallowed origin", origin: "https://evil.example", method: "GET", status: 400, body: "Disallowed CORS origin" },
    { name: "disallowed method", origin: "https://app.example.com", method: "DELETE", status: 400, body: "Disallowed CORS method" },
    { name: "disallowed header", origin: "https://app.example.com", method: "GET", headers: "x-secret", status: 400, body: "Disallowed CORS headers" },
    { name: "everything wrong", origin: "https://evil.example", method: "PUT", headers: "x-secret", status: 400, body: "Disallowed CORS origin, method, headers" },
  ];
  for (const t of cases) {
    it(`${t.name} → ${t.status}`, async () => {
      const res = await client(options).options("/items", preflight(t.origin, t.method, t.headers));
      expect(res.status).toBe(t.status);
      expect(res.text).toBe(t.body);
      expect(res.header("access-control-allow-methods")).toBe("GET, POST");
      expect(res.header("access-control-max-age")).toBe("3600");
      expect(res.header("vary")).toBe("Origin");
      if (t.name === "disallowed origin" || t.name === "everything wrong") expect(res.header("access-control-allow-origin")).toBeUndefined();
      else expect(res.header("access-control-allow-origin")).toBe("https://app.example.com");
    });
  }

  it("lists the allowed headers, safelisted ones included", async () => {
    const res = await client(options).options("/items", preflight("https://app.example.com", "GET", "authorization"));
    expect(res.header("access-control-allow-headers")).toBe("accept, accept-language, content-language, content-type, authorization, x-custom");
  });

  it('echo the requested headers with allowHeaders ["*"], and allow every method with allowMethods ["*"]', async () => {
    const res = await client({ allowOrigins: ["*"], allowMethods: ["*"], allowHeaders: ["*"] }).options("/items", preflight("https://x.example", "PATCH", "x-anything, x-else"));
    expect(res.status).toBe(200);
    expect(res.header("access-control-allow-origin")).toBe("*");
    expect(res.header("access-control-allow-headers")).toBe("x-anything, x-else");
    expect(res.header("access-control-allow-methods")).toBe("DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
    expect(res.header("access-control-max-age")).toBe("600");
  });

  it("answer with credentials when allowed", async () => {
    const res = await client({ allowOrigins: ["https://app.example.com"], allowCredentials: true }).options("/items", preflight("https://app.example.com", "GET"));
    expect(res.header("access-control-allow-credentials")).toBe("true");
  });

  it("are answered by the middleware even where the app has no OPTIONS route; plain OPTIONS reach the app", async () => {
    const c = client(options);
    expect((await c.options("/nowhere", preflight("https://app.example.com", "GET"))).status).toBe(200);
    expect((await c.options("/items", { headers: { origin: "https://app.example.com" } })).status).toBe(405);
  });
});

describe("configuration", () => {
  it("refuses credentials with a wildcard origin", () => {
    expect(() => new CORSMiddleware({ allowOrigins: ["*"], allowCredentials: true })).toThrow(TypefastError);
    expect(() => new CORSMiddleware({ allowOrigins: ["*"], allowCredentials: true })).toThrow(/List the origins, or use allowOriginRegex/);
  });

  it("allows only GET by default", async () => {
    const res = await client({ allowOrigins: ["https://a.example"] }).options("/items", preflight("https://a.example", "POST"));
    expect(res.status).toBe(400);
  });
});
