/**
 * Server errors never leak internals: whatever throws — a handler, a dependency, a generator's teardown, a
 * middleware, an exception handler, a response model, JSON serialization — the client gets exactly
 * `500 {"detail":"Internal Server Error"}` over HTTP, with no message, stack trace or source path, and the logger
 * gets the error with its stack.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Depends, Query, StreamingResponse, type Server } from "../../src/index.ts";
import { collectingLogger } from "../core/helpers.ts";
import { listen, rawRequest, statusOf } from "./attack-helpers.ts";

const SECRET_MESSAGE = "db password is hunter2";
const logger = collectingLogger();
let server: Server;

class DatabaseError extends Error {
  readonly query = "SELECT * FROM users WHERE password = 'hunter2'";
}

beforeAll(async () => {
  const app = new App({ logger });
  const fail = (): never => {
    throw new DatabaseError(SECRET_MESSAGE);
  };
  app.get("/handler", {}, fail);
  app.get("/async-handler", {}, async () => {
    await Promise.resolve();
    fail();
  });
  app.get("/dependency", { params: { db: Depends(fail) } }, () => "unreachable");
  app.get("/async-dependency", { params: { db: Depends(async () => fail()) } }, () => "unreachable");
  async function* teardownFails() {
    yield "resource";
    fail();
  }
  app.get("/teardown", { params: { r: Depends(teardownFails, { scope: "function" }) } }, ({ r }) => r);
  app.get("/not-an-error", {}, () => {
    throw { message: SECRET_MESSAGE, stack: "at secret (/srv/app.ts:1:1)" };
  });
  app.get("/string-thrown", {}, () => {
    throw SECRET_MESSAGE;
  });
  app.get("/status-property", {}, () => {
    // Looks like an HTTP error from another library: must not be trusted to pick the status or the text.
    throw Object.assign(new Error(SECRET_MESSAGE), { status: 400, statusCode: 400, expose: true });
  });
  app.get("/response-model", { response: z.object({ id: z.int() }) }, () => ({ id: SECRET_MESSAGE }) as never);
  app.get("/cycle", {}, () => {
    const node: Record<string, unknown> = { name: SECRET_MESSAGE };
    node.self = node;
    return node;
  });
  app.get("/middleware", { params: { q: Query(z.string().optional()) } }, () => ({ ok: true }));
  app.get("/stream", {}, () =>
    new StreamingResponse(
      (async function* () {
        yield "first chunk\n";
        fail();
      })(),
      { mediaType: "text/plain" },
    ),
  );
  app.get("/handler-of-handler", {}, () => {
    throw new RangeError(SECRET_MESSAGE);
  });
  app.exceptionHandler(RangeError, () => {
    throw new Error(`the handler failed too: ${SECRET_MESSAGE}`);
  });
  app.middleware(async (request, callNext) => {
    if (request.path === "/middleware") throw new DatabaseError(SECRET_MESSAGE);
    return callNext(request);
  });
  const sub = new App({ logger });
  sub.get("/boom", {}, fail);
  app.mount("/sub", sub);
  server = await listen(app);
});
afterAll(() => server.close());

async function get(path: string) {
  const { text } = await rawRequest(server.port, [`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`]);
  const [head, ...rest] = text.split("\r\n\r\n");
  return { status: statusOf(text), head: head!, body: rest.join("\r\n\r\n"), text };
}

function expectNoLeak(text: string) {
  expect(text).not.toContain("hunter2");
  expect(text).not.toMatch(/\bat .+:\d+:\d+/);
  expect(text).not.toMatch(/\.ts\b|node:internal|node_modules/);
  expect(text).not.toMatch(/DatabaseError|RangeError|TypeError/);
}

describe("500 bodies", () => {
  it.each([
    "/handler",
    "/async-handler",
    "/dependency",
    "/async-dependency",
    "/teardown",
    "/not-an-error",
    "/string-thrown",
    "/status-property",
    "/response-model",
    "/cycle",
    "/middleware",
    "/handler-of-handler",
    "/sub/boom",
  ])("%s → a bare 500, the error logged with its stack", async (path) => {
    const before = logger.errors.length;
    const res = await get(path);
    expect(res.status).toBe(500);
    expect(res.head).toMatch(/^content-type: application\/json/im);
    expect(res.body).toBe('{"detail":"Internal Server Error"}');
    expectNoLeak(res.text);
    expect(logger.errors.length).toBeGreaterThan(before);
    const logged = logger.errors.at(-1)!.error;
    if (logged instanceof Error) expect(logged.stack).toMatch(/\bat /);
  });

  it("a stream that fails after its head was sent is cut, without an error text in the body", async () => {
    const res = await get("/stream");
    expect(res.status).toBe(200);
    expect(res.body).toContain("first chunk");
    expectNoLeak(res.body);
  });

  it("a 404 and a 405 do not leak either", async () => {
    for (const path of ["/nope", "/sub/nope"]) expectNoLeak((await get(path)).text);
  });
});
