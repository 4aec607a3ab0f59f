import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import {
  App, FileResponse, HTMLResponse, HTTPException, JSONResponse, PlainTextResponse, RedirectResponse, Response,
  ResponseValidationError, StreamingResponse,
} from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { collectingLogger } from "./helpers.ts";

const UserOut = z.object({ username: z.string(), email: z.string(), role: z.string().default("member") });

describe("returned data", () => {
  const logger = collectingLogger();
  const app = new App({ logger });
  app.get("/obj", {}, () => ({ a: 1, nested: { b: [true, null] } }));
  app.get("/str", {}, () => "hello");
  app.get("/nothing", {}, () => undefined);
  app.get("/user", { response: UserOut }, () => ({ username: "ann", email: "a@x", password_hash: "s3cret" }) as z.input<typeof UserOut>);
  app.get("/bad-user", { response: UserOut }, () => ({ username: "ann", password_hash: "s3cret" }) as never);
  app.get("/cyclic", {}, () => {
    const node: Record<string, unknown> = { name: "loop" };
    node.self = node;
    return node;
  });
  app.post("/created", { status: 201 }, () => ({ id: 1 }));
  app.delete("/gone", { status: 204 }, () => ({ ignored: true }));
  const client = new TestClient(app);

  it("serializes objects, strings and undefined as JSON", async () => {
    const obj = await client.get("/obj");
    expect(obj.header("content-type")).toBe("application/json");
    expect(obj.json()).toEqual({ a: 1, nested: { b: [true, null] } });
    expect((await client.get("/str")).text).toBe('"hello"');
    expect((await client.get("/nothing")).text).toBe("null");
  });

  it("filters the result through the response model (no leaked fields) and applies its defaults", async () => {
    const res = await client.get("/user");
    expect(res.json()).toEqual({ username: "ann", email: "a@x", role: "member" });
    expect(res.text).not.toContain("s3cret");
  });

  it("a result that does not match the response model is a logged 500 without the data", async () => {
    logger.errors.length = 0;
    const res = await client.get("/bad-user");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect(res.text).not.toContain("s3cret");
    expect(logger.errors).toHaveLength(1);
    const error = logger.errors[0]!.error as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.errors()).toEqual([{ type: "missing", loc: ["response", "email"], msg: "Field required", input: { username: "ann", password_hash: "s3cret" } }]);
    expect(error.message).toContain("GET /bad-user");
  });

  it("a cyclic result without a response model is a logged 500", async () => {
    logger.errors.length = 0;
    const res = await client.get("/cyclic");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    expect(logger.errors).toHaveLength(1);
    expect(logger.errors[0]!.error).toBeInstanceOf(TypeError);
  });

  it("uses the route's status; 204 has no body", async () => {
    const created = await client.post("/created");
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ id: 1 });
    const gone = await client.delete("/gone");
    expect(gone.status).toBe(204);
    expect(gone.body.length).toBe(0);
    expect(gone.header("content-length")).toBeUndefined();
  });
});

describe("response classes returned from handlers", () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "typefast-core-"));
    file = join(dir, "report.txt");
    await writeFile(file, "0123456789abcdef");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const app = new App();
  app.get("/json", { response: UserOut }, () => new JSONResponse({ custom: true }, { status: 202, headers: { "X-Kind": "json" } }));
  app.get("/html", {}, () => new HTMLResponse("<h1>Hi</h1>"));
  app.get("/text", {}, () => new PlainTextResponse("pong"));
  app.get("/xml", {}, () => new Response("<a/>", { mediaType: "application/xml" }));
  app.get("/go", {}, () => new RedirectResponse("/text?from=go", 303));
  app.get("/file", {}, () => new FileResponse(file, { filename: "report.txt" }));
  app.get("/stream", {}, () => new StreamingResponse((async function* () { yield "a,"; yield "b,"; yield "c"; })(), { mediaType: "text/csv" }));
  app.get("/teapot", {}, () => {
    throw new HTTPException(418, { reason: "short and stout" }, { "X-Tea": "earl grey" });
  });
  const client = new TestClient(app, { followRedirects: false });

  it("JSONResponse is sent as is, bypassing the response model", async () => {
    const res = await client.get("/json");
    expect(res.status).toBe(202);
    expect(res.json()).toEqual({ custom: true });
    expect(res.header("x-kind")).toBe("json");
  });

  it("HTML, plain text and custom media types", async () => {
    const html = await client.get("/html");
    expect(html.header("content-type")).toBe("text/html; charset=utf-8");
    expect(html.text).toBe("<h1>Hi</h1>");
    expect((await client.get("/text")).header("content-type")).toBe("text/plain; charset=utf-8");
    expect((await client.get("/xml")).header("content-type")).toBe("application/xml");
  });

  it("RedirectResponse", async () => {
    const res = await client.get("/go");
    expect(res.status).toBe(303);
    expect(res.header("location")).toBe("/text?from=go");
  });

  it("FileResponse, whole and by range", async () => {
    const whole = await client.get("/file");
    expect(whole.text).toBe("0123456789abcdef");
    expect(whole.header("content-disposition")).toContain('attachment; filename="report.txt"');
    expect(whole.header("accept-ranges")).toBe("bytes");
    const part = await client.get("/file", { headers: { range: "bytes=2-5" } });
    expect(part.status).toBe(206);
    expect(part.text).toBe("2345");
    expect(part.header("content-range")).toBe("bytes 2-5/16");
  });

  it("StreamingResponse", async () => {
    const res = await client.get("/stream");
    expect(res.text).toBe("a,b,c");
    expect(res.header("content-type")).toBe("text/csv; charset=utf-8");
  });

  it("HTTPException with any JSON detail and headers", async () => {
    const res = await client.get("/teapot");
    expect(res.status).toBe(418);
    expect(res.json()).toEqual({ detail: { reason: "short and stout" } });
    expect(res.header("x-tea")).toBe("earl grey");
  });

  it("ctx.response headers and cookies are merged into a returned Response; its own headers win", async () => {
    const merging = new App();
    merging.get("/merged", {}, (_a, { response }) => {
      response.setHeader("x-kind", "from-ctx").setHeader("x-extra", "1").setCookie("a", "1");
      return new JSONResponse({ ok: true }, { headers: { "x-kind": "own" } }).setCookie("b", "2");
    });
    const res = await new TestClient(merging).get("/merged");
    expect(res.header("x-kind")).toBe("own");
    expect(res.header("x-extra")).toBe("1");
    expect(res.headers["set-cookie"]).toEqual(["b=2; Path=/; SameSite=Lax", "a=1; Path=/; SameSite=Lax"]);
  });

  it("HTTPException without detail uses the status phrase", () => {
    expect(new HTTPException(404).detail).toBe("Not Found");
  });
});
