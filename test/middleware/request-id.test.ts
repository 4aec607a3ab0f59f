/** RequestIdMiddleware: reuse a sane incoming id, generate otherwise, echo it, expose it to the request context. */
import { describe, expect, it } from "vitest";
import { App, RequestIdMiddleware, requestIdVar } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

function client(options?: ConstructorParameters<typeof RequestIdMiddleware>[0]) {
  const app = new App();
  app.get("/", {}, (_args, { request }) => ({ state: request.state.requestId, context: requestIdVar.get() }));
  app.addMiddleware(RequestIdMiddleware, options);
  return new TestClient(app);
}

describe("RequestIdMiddleware", () => {
  it("generates a UUID and echoes it", async () => {
    const res = await client().get("/");
    const id = res.header("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.json()).toEqual({ state: id, context: id });
  });

  it("reuses a sane incoming id and replaces one that could forge log lines", async () => {
    const c = client();
    expect((await c.get("/", { headers: { "x-request-id": "abc-123" } })).header("x-request-id")).toBe("abc-123");
    for (const bad of ["has space", "x".repeat(201), "tab\there"]) {
      expect((await c.get("/", { headers: { "x-request-id": bad } })).header("x-request-id")).not.toBe(bad);
    }
  });

  it("can leave the request context closed (header and request.state only)", async () => {
    const res = await client({ context: false }).get("/", { headers: { "x-request-id": "abc" } });
    expect(res.header("x-request-id")).toBe("abc");
    expect(res.json()).toEqual({ state: "abc" }); // requestIdVar has no value: context stays undefined
  });

  it("takes a header name, a generator, and can ignore incoming ids", async () => {
    let n = 0;
    const c = client({ header: "X-Correlation-ID", generate: () => `req-${++n}`, trustIncoming: false });
    const res = await c.get("/", { headers: { "x-correlation-id": "client-chosen" } });
    expect(res.header("x-correlation-id")).toBe("req-1");
    expect(res.json().context).toBe("req-1");
  });
});
