// The built-in middleware pass a synchronous route's response through without making promises (see
// SyncCapableMiddleware); user middleware keep FastAPI's contract: `callNext` always returns a promise.
import { describe, expect, it } from "vitest";
import {
  App, BaseHTTPMiddleware, CORSMiddleware, GZipMiddleware, HTTPException, JSONResponse, RequestContextMiddleware, RequestIdMiddleware,
  SecurityHeadersMiddleware, TrustedHostMiddleware, requestIdVar, type CallNext, type Request, type Response,
} from "../../src/index.ts";
import { inject } from "../../src/testing/inject.ts";

const HEADERS = { origin: "https://app.example.com", host: "api.example.com", "accept-encoding": "gzip" };

function builtInStack(app: App): App {
  app.addMiddleware(GZipMiddleware);
  app.addMiddleware(SecurityHeadersMiddleware);
  app.addMiddleware(TrustedHostMiddleware, { allowedHosts: ["api.example.com"] });
  app.addMiddleware(RequestIdMiddleware);
  app.addMiddleware(RequestContextMiddleware);
  app.addMiddleware(CORSMiddleware, { allowOrigins: ["https://app.example.com"] });
  return app;
}

/** Runs one request and reports whether the response had ended by the time `app.handle` returned. */
async function endedInSameTick(app: App, url = "/hello") {
  let sameTick = false;
  const res = await inject((req, raw) => {
    app.handle(req, raw);
    sameTick = raw.writableEnded;
  }, { method: "GET", url, headers: HEADERS });
  return { sameTick, res };
}

describe("built-in middleware around a synchronous route", () => {
  it("answer in the same tick, with every header the stack adds", async () => {
    const app = builtInStack(new App());
    app.get("/hello", {}, () => ({ message: "hello", id: requestIdVar.get() }));
    const { sameTick, res } = await endedInSameTick(app);
    expect(sameTick).toBe(true);
    expect(res.status).toBe(200);
    expect(res.headers["access-control-allow-origin"]).toBe(HEADERS.origin);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    const id = res.headers["x-request-id"];
    expect(JSON.parse(res.body.toString())).toEqual({ message: "hello", id });
  });

  it("still wait for an asynchronous route", async () => {
    const app = builtInStack(new App());
    app.get("/hello", {}, async () => ({ message: "later", id: requestIdVar.get() }));
    const { sameTick, res } = await endedInSameTick(app);
    expect(sameTick).toBe(false);
    expect(JSON.parse(res.body.toString())).toEqual({ message: "later", id: res.headers["x-request-id"] });
  });

  it("give a user's middleware a promise from callNext, even for a synchronous route", async () => {
    const app = builtInStack(new App());
    app.get("/hello", {}, () => ({ message: "hello" }));
    const seen: boolean[] = [];
    app.middleware((request, callNext) => {
      const answer = callNext(request);
      seen.push(answer instanceof Promise);
      return answer;
    });
    const { sameTick, res } = await endedInSameTick(app);
    expect(seen).toEqual([true]);
    expect(sameTick).toBe(false);
    expect(res.status).toBe(200);
  });

  it("keep dispatch() returning a promise for code that calls it directly", async () => {
    const cors = new CORSMiddleware({ allowOrigins: ["*"] });
    const app = new App();
    let response: Response | undefined;
    app.middleware(async (request, callNext) => (response = await cors.dispatch(request, callNext)));
    app.get("/hello", {}, () => ({ ok: true }));
    const { res } = await endedInSameTick(app);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(response?.status).toBe(200);
  });
});

describe("a middleware that throws synchronously", () => {
  class Refuse extends BaseHTTPMiddleware {
    // Not async on purpose: the throw happens while the stack is being called, not in a rejected promise.
    override dispatch(request: Request, callNext: CallNext): Promise<Response> {
      if (request.path === "/forbidden") throw new HTTPException(403, "No entry");
      if (request.path === "/boom") throw new Error("middleware bug");
      return callNext(request);
    }
  }

  it("is answered through the exception handlers, under the built-in middleware", async () => {
    const app = builtInStack(new App());
    app.get("/forbidden", {}, () => ({}));
    app.get("/boom", {}, () => ({}));
    app.logger.error = () => undefined;
    app.addMiddleware(Refuse);
    app.exceptionHandler(Error, () => new JSONResponse({ detail: "handled" }, { status: 500 }));
    const forbidden = await endedInSameTick(app, "/forbidden");
    expect(forbidden.res.status).toBe(403);
    expect(JSON.parse(forbidden.res.body.toString())).toEqual({ detail: "No entry" });
    const boom = await endedInSameTick(app, "/boom");
    expect(boom.res.status).toBe(500);
    expect(JSON.parse(boom.res.body.toString())).toEqual({ detail: "handled" });
  });
});
