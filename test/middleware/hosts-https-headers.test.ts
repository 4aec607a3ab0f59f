/** TrustedHostMiddleware, HTTPSRedirectMiddleware, SecurityHeadersMiddleware and the trusted-proxy reader. */
import { describe, expect, it } from "vitest";
import { App, HTTPSRedirectMiddleware, ProxyList, Response, SecurityHeadersMiddleware, TrustedHostMiddleware, TypefastError } from "../../src/index.ts";
import { Request } from "../../src/http/request.ts";
import { DEFAULT_LIMITS } from "../../src/http/request.ts";
import { TestClient } from "../../src/testing/index.ts";

function app() {
  const a = new App();
  a.get("/path", {}, () => ({ ok: true }));
  a.get("/framed", {}, () => new Response("x", { headers: { "x-frame-options": "SAMEORIGIN" } }));
  return a;
}

describe("TrustedHostMiddleware", () => {
  const a = app();
  a.addMiddleware(TrustedHostMiddleware, { allowedHosts: ["example.com", "www.shop.com", "*.api.example.com", "[::1]"] });
  const c = new TestClient(a, { followRedirects: false });

  it("serves listed hosts (any port) and subdomains of wildcard entries", async () => {
    for (const host of ["example.com", "EXAMPLE.com:8443", "v1.api.example.com", "[::1]:8000"]) {
      expect((await c.get("/path", { headers: { host } })).status).toBe(200);
    }
  });

  it("refuses other hosts with 400, wildcard apexes and look-alikes included", async () => {
    for (const host of ["evil.com", "api.example.com", "example.com.evil.com", "xapi.example.com", ""]) {
      const res = await c.get("/path", { headers: { host } });
      expect([res.status, res.text]).toEqual([400, "Invalid host header"]);
    }
  });

  it("redirects the bare domain to www when only www is allowed", async () => {
    const res = await c.get("/path?q=1", { headers: { host: "shop.com:8080" } });
    expect(res.status).toBe(307);
    expect(res.header("location")).toBe("http://www.shop.com:8080/path?q=1");
  });

  it("rejects malformed patterns at construction", () => {
    expect(() => new TrustedHostMiddleware({ allowedHosts: ["api.*.com"] })).toThrow(TypefastError);
    expect(() => new TrustedHostMiddleware({ allowedHosts: ["*example.com"] })).toThrow(/\*\.example\.com/);
  });
});

describe("HTTPSRedirectMiddleware", () => {
  it("redirects http to https with 307, dropping default ports", async () => {
    const a = app();
    a.addMiddleware(HTTPSRedirectMiddleware);
    const c = new TestClient(a, { followRedirects: false });
    let res = await c.get("/path?x=1", { headers: { host: "example.com:80" } });
    expect([res.status, res.header("location")]).toEqual([307, "https://example.com/path?x=1"]);
    res = await c.get("/path", { headers: { host: "example.com:8080" } });
    expect(res.header("location")).toBe("https://example.com:8080/path");
    expect((await c.get("https://example.com/path")).status).toBe(200);
  });

  it("believes X-Forwarded-Proto only from trusted proxies", async () => {
    const a = app();
    a.addMiddleware(HTTPSRedirectMiddleware, { trustedProxies: ["10.0.0.0/8"], status: 308 });
    const proxied = new TestClient(a, { followRedirects: false, remoteAddress: "10.1.2.3" });
    expect((await proxied.get("/path", { headers: { "x-forwarded-proto": "https" } })).status).toBe(200);
    const direct = new TestClient(a, { followRedirects: false, remoteAddress: "203.0.113.9" });
    expect((await direct.get("/path", { headers: { "x-forwarded-proto": "https" } })).status).toBe(308);
  });
});

describe("SecurityHeadersMiddleware", () => {
  it("adds the defaults without overriding what a route set", async () => {
    const a = app();
    a.addMiddleware(SecurityHeadersMiddleware);
    const c = new TestClient(a);
    const res = await c.get("/path");
    expect(res.header("x-content-type-options")).toBe("nosniff");
    expect(res.header("x-frame-options")).toBe("DENY");
    expect(res.header("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.header("cross-origin-opener-policy")).toBe("same-origin");
    expect(res.header("strict-transport-security")).toBeUndefined();
    expect((await c.get("/framed")).header("x-frame-options")).toBe("SAMEORIGIN");
    expect((await c.get("/missing")).header("x-content-type-options")).toBe("nosniff");
  });

  it("turns headers on and off", async () => {
    const a = app();
    a.addMiddleware(SecurityHeadersMiddleware, { hsts: { maxAge: 63072000, includeSubDomains: true, preload: true }, frameOptions: false, contentSecurityPolicy: "default-src 'self'" });
    const res = await new TestClient(a).get("/path");
    expect(res.header("strict-transport-security")).toBe("max-age=63072000; includeSubDomains; preload");
    expect(res.header("x-frame-options")).toBeUndefined();
    expect(res.header("content-security-policy")).toBe("default-src 'self'");
  });
});

describe("ProxyList", () => {
  const request = (peer: string, headers: Record<string, string> = {}) =>
    new Request({ method: "GET", url: "/", headers, rawHeaders: [], socket: { remoteAddress: peer } } as never, DEFAULT_LIMITS);

  it("ignores X-Forwarded-For from untrusted peers", () => {
    expect(new ProxyList([]).clientIp(request("203.0.113.5", { "x-forwarded-for": "1.1.1.1" }))).toBe("203.0.113.5");
    expect(new ProxyList(["10.0.0.1"]).clientIp(request("203.0.113.5", { "x-forwarded-for": "1.1.1.1" }))).toBe("203.0.113.5");
  });

  it("takes the right-most untrusted hop behind trusted proxies (a client cannot prepend a fake)", () => {
    const proxies = new ProxyList(["10.0.0.0/8", "192.168.1.1"]);
    expect(proxies.clientIp(request("10.0.0.2", { "x-forwarded-for": "6.6.6.6, 198.51.100.7, 192.168.1.1" }))).toBe("198.51.100.7");
    expect(proxies.clientIp(request("::ffff:10.0.0.2", { "x-forwarded-for": "198.51.100.7" }))).toBe("198.51.100.7");
    expect(proxies.clientIp(request("10.0.0.2"))).toBe("10.0.0.2");
    expect(new ProxyList(["*"]).clientIp(request("1.2.3.4", { "x-forwarded-for": "5.6.7.8" }))).toBe("5.6.7.8");
  });

  it("accepts IPv6 ranges and rejects garbage", () => {
    expect(new ProxyList(["fd00::/8"]).trusts("fd12::1")).toBe(true);
    expect(() => new ProxyList(["not-an-ip"])).toThrow(TypefastError);
    expect(() => new ProxyList(["10.0.0.0/x"])).toThrow(TypefastError);
  });
});
