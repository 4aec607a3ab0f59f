/**
 * Response splitting: a value with CR/LF that a handler puts into a redirect, a header or a cookie must never reach
 * the wire as an extra header line. The decision: building such a response throws (a `TypeError` from
 * `RedirectResponse` and cookies, Node's `ERR_INVALID_CHAR` from `writeHead` for other headers), which the
 * framework logs and answers with a plain 500 — the bug is the handler's (it trusted input), and a 500 makes it
 * visible, where silently "cleaning" the value would hide it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { App, HTTPException, Path, PlainTextResponse, Query, RedirectResponse, type Server } from "../../src/index.ts";
import { collectingLogger } from "../core/helpers.ts";
import { listen, rawRequest, statusOf } from "./attack-helpers.ts";

const logger = collectingLogger();
let server: Server;

beforeAll(async () => {
  const app = new App({ logger });
  const value = { value: Query(z.string()) };
  app.get("/redirect", { params: value }, ({ value }) => new RedirectResponse(value, 303));
  app.get("/header", { params: value }, ({ value }, { response }) => {
    response.setHeader("x-echo", value);
    return { ok: true };
  });
  app.get("/header-name", { params: value }, ({ value }, { response }) => {
    response.setHeader(value, "1");
    return { ok: true };
  });
  app.get("/response-header", { params: value }, ({ value }) => new PlainTextResponse("ok", { headers: { "x-echo": value } }));
  app.get("/cookie", { params: value }, ({ value }, { response }) => {
    response.setCookie("pref", value);
    return { ok: true };
  });
  app.get("/exception-header", { params: value }, ({ value }) => {
    throw new HTTPException(400, "Bad", { "x-reason": value });
  });
  app.get("/a/{x}", { params: { x: Path() } }, ({ x }) => ({ x }));
  server = await listen(app);
});
afterAll(() => server.close());

const INJECTIONS = [
  "%0d%0aSet-Cookie:%20injected=1",
  "%0aSet-Cookie:%20injected=1",
  "%0dSet-Cookie:%20injected=1",
  "%0d%0a%0d%0a<html>injected",
  "%00injected",
  "%e5%98%8a%e5%98%8dSet-Cookie:%20injected=1", // U+560A U+560D: their low bytes are LF and CR
];

async function get(path: string): Promise<string> {
  return (await rawRequest(server.port, [`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`])).text;
}

/** No header line the client did not get from the app itself. */
function expectNoInjectedLine(text: string) {
  const head = text.split("\r\n\r\n")[0]!;
  expect(head).not.toMatch(/^set-cookie:\s*injected/im);
  expect(head).not.toMatch(/\r(?!\n)|(?<!\r)\n/); // no bare CR or LF inside the head
  expect(text).not.toContain("<html>injected");
}

describe("response splitting", () => {
  it.each(["/redirect?value=/next", "/header?value=fine", "/cookie?value=dark", "/response-header?value=fine"])("sends ordinary values (control) %s", async (path) => {
    expect(statusOf(await get(path))).toBeLessThan(400);
  });

  it.each(["/redirect", "/header", "/response-header", "/cookie", "/header-name"])("%s: a value with CR/LF is a logged 500, never an extra header", async (route) => {
    for (const injection of INJECTIONS) {
      const before = logger.errors.length;
      const text = await get(`${route}?value=/x${injection}`);
      expectNoInjectedLine(text);
      const status = statusOf(text)!;
      if (route === "/header" || route === "/response-header") {
        // U+560A/U+560D are not control characters: Node refuses them too (not Latin-1).
        expect(status).toBe(500);
      } else if (injection.startsWith("%e5") && route !== "/header-name") {
        // A redirect percent-encodes them and a cookie value too: harmless.
        expect(status).toBeLessThan(400);
        continue;
      } else expect(status).toBe(500);
      expect(text.split("\r\n\r\n")[1]).toBe('{"detail":"Internal Server Error"}');
      expect(logger.errors.length).toBe(before + 1);
    }
  });

  it("an HTTPException whose headers carry CR/LF is answered 500 without them", async () => {
    const text = await get("/exception-header?value=x%0d%0aSet-Cookie:%20injected=1");
    expectNoInjectedLine(text);
    expect(statusOf(text)).toBe(500);
  });

  it("the trailing-slash redirect percent-encodes a decoded CR/LF from the path", async () => {
    const text = await get("/a/%0d%0aSet-Cookie:%20injected=1/");
    expectNoInjectedLine(text);
    expect(statusOf(text)).toBe(307);
    expect(text).toMatch(/^location: \/a\/%0D%0ASet-Cookie:%20injected=1$/im);
  });

  it("the redirect's Location keeps no raw non-ASCII or space", async () => {
    const text = await get("/redirect?value=/caf%C3%A9%20menu");
    expect(text).toMatch(/^location: \/caf%C3%A9%20menu$/im);
  });
});
