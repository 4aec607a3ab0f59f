import { afterEach, describe, expect, it } from "vitest";
import {
  HTMLResponse,
  JSONResponse,
  PlainTextResponse,
  RedirectResponse,
  Response,
  type SendContext,
} from "../../src/http/response.ts";
import { FakeRawResponse, startServer } from "./fake-raw-response.ts";

const GET: SendContext = { method: "GET", requestHeaders: {} };
const HEAD: SendContext = { method: "HEAD", requestHeaders: {} };

function sent(response: Response, ctx: SendContext = GET): FakeRawResponse {
  const raw = new FakeRawResponse();
  void response.send(raw, ctx);
  return raw;
}

describe("Response", () => {
  it("writes one head and one end with content-length in bytes", () => {
    const raw = sent(new Response("héllo", { mediaType: "text/plain" }));
    expect(raw.head.status).toBe(200);
    expect(raw.head.headers["content-length"]).toBe("6");
    expect(raw.head.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(raw.text).toBe("héllo");
    expect(raw.writeCalls).toBe(0);
    expect(raw.endCalls).toBe(1);
  });

  it("sends Uint8Array bodies as they are", () => {
    const raw = sent(new Response(new Uint8Array([1, 2, 3]), { status: 201, mediaType: "application/octet-stream" }));
    expect(raw.head).toEqual({
      status: 201,
      headers: { "content-type": "application/octet-stream", "content-length": "3" },
    });
    expect([...raw.body]).toEqual([1, 2, 3]);
  });

  it("sends content-length 0 and no content-type for a null body without media type", () => {
    const raw = sent(new Response());
    expect(raw.head.headers).toEqual({ "content-length": "0" });
    expect(raw.body.length).toBe(0);
  });

  it("lower-cases header names into a null-prototype object and merges repeats", () => {
    const response = new Response("x", { headers: { "X-Custom": "1", "Set-Cookie": "a=1", "set-cookie": ["b=2"] } });
    expect(Object.prototype.isPrototypeOf(response.headers)).toBe(false); // inherits nothing (see NullObject)
    expect({ ...response.headers }).toEqual({ "x-custom": "1", "set-cookie": ["a=1", "b=2"] });
  });

  it("keeps an explicit content-type over mediaType and does not double the charset", () => {
    expect(new Response("x", { mediaType: "text/plain", headers: { "Content-Type": "text/csv" } }).headers["content-type"])
      .toBe("text/csv");
    expect(new Response("x", { mediaType: "text/plain; charset=latin1" }).headers["content-type"])
      .toBe("text/plain; charset=latin1");
    expect(new Response("x", { mediaType: "application/xml" }).headers["content-type"]).toBe("application/xml");
  });

  it("recomputes content-length from the body even if one was set", () => {
    const response = new Response("abc", { headers: { "content-length": "999" } });
    response.body = "abcdef"; // e.g. replaced by middleware
    expect(sent(response).head.headers["content-length"]).toBe("6");
  });

  it.each([100, 101, 204, 205, 304])("sends no body and no content-length for status %i", (status) => {
    const raw = sent(new Response("ignored", { status, headers: { "content-length": "7" } }));
    expect(raw.head.status).toBe(status);
    expect(raw.head.headers["content-length"]).toBeUndefined();
    expect(raw.body.length).toBe(0);
    expect(raw.endCalls).toBe(1);
  });

  it("answers HEAD with the same headers, including content-length, and no body", () => {
    const raw = sent(new JSONResponse({ hello: "wörld" }), HEAD);
    expect(raw.head.headers["content-length"]).toBe(String(Buffer.byteLength('{"hello":"wörld"}')));
    expect(raw.head.headers["content-type"]).toBe("application/json");
    expect(raw.body.length).toBe(0);
    expect(raw.endCalls).toBe(1);
  });

  it("does nothing when the client is already gone", () => {
    const raw = new FakeRawResponse();
    raw.destroyed = true;
    void new PlainTextResponse("hi").send(raw, GET);
    expect(raw.heads).toEqual([]);
    expect(raw.endCalls).toBe(0);
  });
});

describe("cookies on responses", () => {
  it("appends Set-Cookie headers as an array", () => {
    const response = new Response(null, { headers: { "set-cookie": "first=1" } })
      .setCookie("a", "1")
      .setCookie("b", "x y", { httpOnly: true });
    expect(response.headers["set-cookie"]).toEqual(["first=1", "a=1; Path=/; SameSite=Lax", "b=x%20y; Path=/; HttpOnly; SameSite=Lax"]);
    expect(sent(response).head.headers["set-cookie"]).toHaveLength(3);
  });

  it("deletes a cookie with Max-Age=0 and an expiry in the past", () => {
    const response = new Response().deleteCookie("sid", { path: "/app", domain: "example.com", secure: true });
    expect(response.headers["set-cookie"]).toEqual([
      "sid=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Domain=example.com; Path=/app; Secure; SameSite=Lax",
    ]);
  });

  it("refuses cookie header injection", () => {
    const response = new Response();
    expect(() => response.setCookie("sid", "x\r\nLocation: https://evil.example")).toThrow(TypeError);
    expect(() => response.setCookie("sid", "x; Domain=evil.example")).toThrow(TypeError);
    expect(() => response.setCookie("s\nid", "x")).toThrow(TypeError);
    expect(response.headers["set-cookie"]).toBeUndefined();
  });
});

describe("JSONResponse, HTMLResponse, PlainTextResponse", () => {
  it("serializes JSON once, compactly", () => {
    const response = new JSONResponse({ a: [1, 2], b: "ü" }, { status: 422, headers: { "X-Id": "7" } });
    expect(response.body).toBe('{"a":[1,2],"b":"ü"}');
    const raw = sent(response);
    expect(raw.head.status).toBe(422);
    expect(raw.head.headers).toMatchObject({ "content-type": "application/json", "x-id": "7", "content-length": "20" });
  });

  it("turns undefined into null and honours a custom media type", () => {
    expect(new JSONResponse(undefined).body).toBe("null");
    expect(new JSONResponse([], { mediaType: "application/problem+json" }).headers["content-type"])
      .toBe("application/problem+json");
  });

  it("sets text media types with utf-8", () => {
    expect(new HTMLResponse("<p>hi</p>").headers["content-type"]).toBe("text/html; charset=utf-8");
    expect(new PlainTextResponse("hi").headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(sent(new HTMLResponse()).head.headers["content-length"]).toBe("0");
  });
});

describe("RedirectResponse", () => {
  it("defaults to 307 with a location and an empty body", () => {
    const raw = sent(new RedirectResponse("/login?next=%2Fadmin"));
    expect(raw.head).toEqual({ status: 307, headers: { location: "/login?next=%2Fadmin", "content-length": "0" } });
    expect(raw.body.length).toBe(0);
  });

  it("accepts a status and headers", () => {
    const response = new RedirectResponse("https://example.com/", 303, { "Cache-Control": "no-store" });
    expect(response.status).toBe(303);
    expect({ ...response.headers }).toEqual({ "cache-control": "no-store", location: "https://example.com/" });
  });

  it("percent-encodes spaces and non-ASCII but not existing escapes", () => {
    expect(new RedirectResponse("/a b/ü?q=x y&r=%20").headers["location"]).toBe("/a%20b/%C3%BC?q=x%20y&r=%20");
  });

  it.each([["/x\r\nSet-Cookie: admin=1"], ["/x\nLocation: evil"], ["/x\r"], ["/x\u0000"], ["/x\t"], ["/x\u007f"], ["/x\u0085"]])(
    "refuses control characters in %j",
    (url) => {
      expect(() => new RedirectResponse(url)).toThrow(TypeError);
      expect(() => new RedirectResponse(url)).toThrow(/control characters/);
    },
  );
});

describe("over a real node:http server", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it("sends JSON, HEAD, cookies and redirects", async () => {
    const server = await startServer((req) => {
      if (req.url === "/redirect") return new RedirectResponse("/target");
      if (req.url === "/empty") return new Response(null, { status: 204 });
      return new JSONResponse({ ok: "✓" }).setCookie("a", "1").setCookie("b", "2", { httpOnly: true });
    });
    close = server.close;

    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("content-length")).toBe(String(Buffer.byteLength('{"ok":"✓"}')));
    expect(res.headers.getSetCookie()).toEqual(["a=1; Path=/; SameSite=Lax", "b=2; Path=/; HttpOnly; SameSite=Lax"]);
    expect(await res.json()).toEqual({ ok: "✓" });

    const head = await fetch(server.url, { method: "HEAD" });
    expect(head.headers.get("content-length")).toBe(res.headers.get("content-length"));
    expect(await head.text()).toBe("");

    const redirect = await fetch(`${server.url}/redirect`, { redirect: "manual" });
    expect(redirect.status).toBe(307);
    expect(redirect.headers.get("location")).toBe("/target");

    const empty = await fetch(`${server.url}/empty`);
    expect(empty.status).toBe(204);
    expect(empty.headers.get("content-length")).toBeNull();
  });
});
