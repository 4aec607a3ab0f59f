import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, HTTPException, JSONResponse, PlainTextResponse, Path, RequestValidationError } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger } from "./helpers.ts";

class AppError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}
class NotFoundError extends AppError {}
class GoneError extends NotFoundError {}

function build() {
  const logger = collectingLogger();
  const app = new App({ logger });
  app.get("/missing/{id}", { params: { id: Path(z.int()) } }, ({ id }) => {
    throw new NotFoundError("ITEM_NOT_FOUND", `item ${id} does not exist`);
  });
  app.get("/gone", {}, () => {
    throw new GoneError("GONE", "removed");
  });
  app.get("/app-error", {}, () => {
    throw new AppError("GENERIC", "generic failure");
  });
  app.get("/http/{status}", { params: { status: Path(z.int()) } }, ({ status }) => {
    throw new HTTPException(status, "from handler");
  });
  app.get("/crash", {}, () => {
    const secret = "postgres://admin:hunter2@db";
    throw new Error(`connection to ${secret} refused`);
  });
  app.get("/throw-string", {}, () => {
    throw "not an error object";
  });
  return { app, logger };
}

describe("exception handlers by class", () => {
  it("a handler for a class also handles its subclasses; the most derived one wins", async () => {
    const { app } = build();
    app.exceptionHandler(AppError, (_req, exc) => new JSONResponse({ code: exc.code, message: exc.message }, { status: 400 }));
    app.exceptionHandler(NotFoundError, async (req, exc) => new JSONResponse({ code: exc.code, path: req.path }, { status: 404 }));
    const client = new TestClient(app);
    expect((await client.get("/app-error")).json()).toEqual({ code: "GENERIC", message: "generic failure" });
    const missing = await client.get("/missing/3");
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ code: "ITEM_NOT_FOUND", path: "/missing/3" });
    expect((await client.get("/gone")).json()).toEqual({ code: "GONE", path: "/gone" });
  });

  it("a handler for HTTPException replaces the default {detail} body for every status", async () => {
    const { app } = build();
    app.exceptionHandler(HTTPException, (_req, exc) => new JSONResponse({ error: exc.detail, status: exc.status }, { status: exc.status, headers: exc.headers }));
    const client = new TestClient(app);
    expect((await client.get("/http/409")).json()).toEqual({ error: "from handler", status: 409 });
    expect((await client.get("/nowhere")).json()).toEqual({ error: "Not Found", status: 404 });
    const notAllowed = await client.post("/gone");
    expect(notAllowed.json()).toEqual({ error: "Method Not Allowed", status: 405 });
    expect(notAllowed.header("allow")).toBe("GET, HEAD");
  });

  it("a handler for Error is a catch-all for server errors and leaves HTTP and validation errors alone", async () => {
    const { app } = build();
    app.exceptionHandler(Error, () => new JSONResponse({ oops: true }, { status: 503 }));
    const client = new TestClient(app);
    expect((await client.get("/crash")).json()).toEqual({ oops: true });
    expect((await client.get("/http/404")).json()).toEqual({ detail: "from handler" });
    expect((await client.get("/missing/abc")).status).toBe(422);
  });
});

describe("exception handlers by status", () => {
  it("a 404 handler serves HTTPException(404) and unknown paths alike", async () => {
    const { app } = build();
    app.exceptionHandler(404, (req) => new PlainTextResponse(`nothing at ${req.path}`, { status: 404 }));
    const client = new TestClient(app);
    const unknown = await client.get("/no/such/page");
    expect(unknown.status).toBe(404);
    expect(unknown.text).toBe("nothing at /no/such/page");
    expect((await client.get("/http/404")).text).toBe("nothing at /http/404");
    expect((await client.get("/http/403")).json()).toEqual({ detail: "from handler" });
  });

  it("a status handler wins over a class handler", async () => {
    const { app } = build();
    app.exceptionHandler(HTTPException, () => new PlainTextResponse("by class", { status: 400 }));
    app.exceptionHandler(403, () => new PlainTextResponse("by status", { status: 403 }));
    const client = new TestClient(app);
    expect((await client.get("/http/403")).text).toBe("by status");
    expect((await client.get("/http/401")).text).toBe("by class");
  });

  it("a validation handler can be registered by class", async () => {
    const { app } = build();
    app.exceptionHandler(RequestValidationError, (_req, exc) => new JSONResponse({ problems: exc.errors().length }, { status: 400 }));
    expect((await new TestClient(app).get("/missing/x")).json()).toEqual({ problems: 1 });
  });
});

describe("unhandled errors", () => {
  it("become a 500 without internals, logged with the stack", async () => {
    const { app, logger } = build();
    const res = await new TestClient(app).get("/crash");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect(res.text).not.toContain("hunter2");
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]!.message).toBe("Unhandled error in GET /crash");
    const error = logger.errors[0]!.error as Error;
    expect(error.message).toContain("hunter2");
    expect(error.stack).toContain("exception-handlers.test.ts");
  });

  it("values that are not Error objects too", async () => {
    const { app, logger } = build();
    expect((await new TestClient(app).get("/throw-string")).status).toBe(500);
    expect(logger.errors[0]!.error).toBe("not an error object");
  });

  it("a failing exception handler is logged and answered with a plain 500", async () => {
    const { app, logger } = build();
    app.exceptionHandler(AppError, () => {
      throw new Error("handler bug");
    });
    const res = await new TestClient(app).get("/app-error");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect((logger.errors[0]!.error as Error).message).toBe("handler bug");
    expect(logger.errors[0]!.message).toContain("exception handler");
  });
});

describe("errors that are answers, not bugs", () => {
  it("carry no stack trace, and leave stack capture on for every other error", () => {
    const limit = Error.stackTraceLimit;
    const answers = [new HTTPException(404), new RequestValidationError([{ type: "missing", loc: ["query", "q"], msg: "Field required", input: null }])];
    for (const error of answers) {
      expect(error.stack).not.toContain("\n    at ");
      expect(error).toBeInstanceOf(Error);
    }
    expect(answers[0]!.message).toBe("Not Found");
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error("bug").stack).toContain("\n    at ");
    class Teapot extends HTTPException {}
    expect(new Teapot(418).stack).not.toContain("\n    at ");
  });
});
