/**
 * CORS with credentials over HTTP: an origin that is not on the list — however close it looks — never gets
 * `Access-Control-Allow-Origin` (so the browser never lets its page read a credentialed response), on simple
 * requests, on preflights and on error responses alike; a wildcard never combines with credentials.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { App, CORSMiddleware, HTTPException, TypefastError, type Server } from "../../src/index.ts";
import { listen } from "./attack-helpers.ts";

const TRUSTED = "https://app.example.com";
let server: Server;
let open: Server;

beforeAll(async () => {
  const app = new App();
  app.get("/me", {}, () => ({ user: "alice" }));
  app.post("/transfer", {}, () => ({ ok: true }));
  app.get("/boom", {}, () => {
    throw new HTTPException(500, "boom");
  });
  app.addMiddleware(CORSMiddleware, {
    allowOrigins: [TRUSTED],
    allowOriginRegex: "https://[a-z0-9-]+\\.preview\\.example\\.com",
    allowCredentials: true,
    allowMethods: ["GET", "POST"],
    allowHeaders: ["authorization", "content-type"],
  });
  server = await listen(app);
  const anyOrigin = new App();
  anyOrigin.get("/public", {}, () => ({ ok: true }));
  anyOrigin.addMiddleware(CORSMiddleware, { allowOrigins: ["*"] });
  open = await listen(anyOrigin);
});
afterAll(async () => {
  await server.close();
  await open.close();
});

function request(port: number, method: string, path: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path, headers: { ...headers, cookie: "session=abc" }, agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

const UNTRUSTED = [
  "https://evil.example",
  "null",
  "https://app.example.com.evil.example",
  "https://evilapp.example.com",
  "https://app.example.co",
  "http://app.example.com",
  "https://app.example.com:8443",
  "https://app.example.com.",
  "https://APP.EXAMPLE.COM",
  "https://app.example.com/",
  "https://app.example.com\u00a0",
  "https://x.preview.example.com.evil.example",
  "https://evil.example/x.preview.example.com",
  "https://x.y.preview.example.com",
  "https://preview.example.com",
  "https://app.example.com, https://evil.example",
  "*",
];

describe("CORS with credentials", () => {
  it("echoes a listed origin or one matching the pattern, with credentials (control)", async () => {
    for (const origin of [TRUSTED, "https://pr-42.preview.example.com"]) {
      const res = await request(server.port, "GET", "/me", { origin });
      expect(res.headers["access-control-allow-origin"]).toBe(origin);
      expect(res.headers["access-control-allow-credentials"]).toBe("true");
      expect(res.headers.vary).toMatch(/Origin/);
    }
  });

  it.each(UNTRUSTED)("never allows %j: simple request, error response, preflight", async (origin) => {
    const header = origin.replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c));
    for (const [method, path] of [["GET", "/me"], ["POST", "/transfer"], ["GET", "/boom"], ["GET", "/nope"]] as const) {
      const res = await request(server.port, method, path, { origin: header });
      expect(res.headers["access-control-allow-origin"]).toBeUndefined();
      expect(res.headers.vary).toMatch(/Origin/);
    }
    const preflight = await request(server.port, "OPTIONS", "/transfer", {
      origin: header,
      "access-control-request-method": "POST",
      "access-control-request-headers": "authorization",
    });
    expect(preflight.status).toBe(400);
    expect(preflight.headers["access-control-allow-origin"]).toBeUndefined();
  });

  it("refuses a wildcard with credentials at construction", () => {
    expect(() => new CORSMiddleware({ allowOrigins: ["*"], allowCredentials: true })).toThrow(TypefastError);
  });

  it("answers a wildcard configuration with * — never the caller's origin, never credentials", async () => {
    const res = await request(open.port, "GET", "/public", { origin: "https://evil.example" });
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["access-control-allow-credentials"]).toBeUndefined();
  });
});
