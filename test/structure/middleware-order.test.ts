/** Item 3: function and class middleware, Starlette's order (last added runs first), errors and short-circuits. */
import { describe, expect, it } from "vitest";
import { App, BaseHTTPMiddleware, HTTPException, JSONResponse, PlainTextResponse, TypefastError, type CallNext, type Request, type Response } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

function tracing(order: string[], name: string) {
  return async (request: Request, callNext: CallNext): Promise<Response> => {
    order.push(`${name} in`);
    const response = await callNext(request);
    order.push(`${name} out`);
    return response;
  };
}

describe("middleware order", () => {
  it("runs the last added first on the way in and last on the way out, function and class forms alike", async () => {
    const order: string[] = [];
    class Tagging extends BaseHTTPMiddleware {
      readonly tag: string;
      constructor(options: { tag: string }) {
        super();
        this.tag = options.tag;
      }
      override async dispatch(request: Request, callNext: CallNext): Promise<Response> {
        order.push(`${this.tag} in`);
        const response = await callNext(request);
        order.push(`${this.tag} out`);
        response.headers[`x-${this.tag}`] = "1";
        return response;
      }
    }
    const app = new App();
    app.get("/", {}, () => { order.push("handler"); return {}; });
    app.middleware(tracing(order, "first"));
    app.addMiddleware(Tagging, { tag: "second" });
    app.middleware(tracing(order, "third"));
    const res = await new TestClient(app).get("/");
    expect(order).toEqual(["third in", "second in", "first in", "handler", "first out", "second out", "third out"]);
    expect(res.header("x-second")).toBe("1");
  });

  it("constructs a class middleware once, with its options", async () => {
    let constructed = 0;
    class Counter extends BaseHTTPMiddleware {
      #count = 0;
      constructor(readonly options: { header: string }) {
        super();
        constructed++;
      }
      override async dispatch(request: Request, callNext: CallNext): Promise<Response> {
        const response = await callNext(request);
        response.headers[this.options.header] = String(++this.#count);
        return response;
      }
    }
    const app = new App();
    app.get("/", {}, () => ({}));
    app.addMiddleware(Counter, { header: "x-count" });
    const client = new TestClient(app);
    await client.get("/");
    expect((await client.get("/")).header("x-count")).toBe("2");
    expect(constructed).toBe(1);
  });

  it("sees 404s and 405s, can short-circuit, and can replace the response", async () => {
    const app = new App();
    app.get("/items", {}, () => ({ items: [] }));
    app.middleware(async (request, callNext) => {
      if (request.header("x-block") === "1") return new PlainTextResponse("blocked", { status: 403 });
      const response = await callNext(request);
      if (response.status === 404) return new JSONResponse({ detail: "custom 404" }, { status: 404 });
      response.headers["x-seen"] = String(response.status);
      return response;
    });
    const client = new TestClient(app);
    expect((await client.get("/nope")).json()).toEqual({ detail: "custom 404" });
    expect((await client.post("/items")).header("x-seen")).toBe("405");
    const blocked = await client.get("/items", { headers: { "x-block": "1" } });
    expect([blocked.status, blocked.text]).toEqual([403, "blocked"]);
  });

  it("passes errors thrown by middleware to the app's exception handlers", async () => {
    const app = new App();
    app.get("/", {}, () => ({}));
    app.middleware(async () => { throw new HTTPException(401, "Not authenticated"); });
    const res = await new TestClient(app).get("/");
    expect([res.status, res.json()]).toEqual([401, { detail: "Not authenticated" }]);
  });

  it("shares request.state between middleware and the handler", async () => {
    const app = new App();
    app.middleware(async (request, callNext) => {
      request.state.user = "alice";
      return callNext(request);
    });
    app.get("/me", {}, (_args, { request }) => ({ user: request.state.user }));
    expect((await new TestClient(app).get("/me")).json()).toEqual({ user: "alice" });
  });

  it("refuses middleware added after the app started serving", async () => {
    const app = new App();
    app.get("/", {}, () => ({}));
    await new TestClient(app).get("/");
    expect(() => app.middleware(async (r, next) => next(r))).toThrow(TypefastError);
  });
});
