/** GZipMiddleware: minimum size, negotiation, what must be skipped, and streamed bodies. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { App, FileResponse, GZipMiddleware, JSONResponse, PlainTextResponse, Response, StreamingResponse } from "../../src/index.ts";
import { acceptsGzip } from "../../src/middleware/gzip.ts";
import { TestClient } from "../../src/testing/index.ts";

const big = "x".repeat(2000);

function client() {
  const app = new App();
  app.get("/big", {}, () => new PlainTextResponse(big, { headers: { etag: '"v1"' } }));
  app.get("/small", {}, () => ({ hello: "world" }));
  app.get("/json", {}, () => ({ data: big }));
  app.get("/encoded", {}, () => new Response(Buffer.from("already"), { headers: { "content-encoding": "br" }, mediaType: "text/plain" }));
  app.get("/png", {}, () => new Response(Buffer.alloc(4000), { mediaType: "image/png" }));
  app.get("/events", {}, () => new StreamingResponse(["data: 1\n\n", "data: 2\n\n"], { mediaType: "text/event-stream" }));
  app.get("/stream", {}, () => new StreamingResponse((function* () { yield "a".repeat(100); yield ""; yield "b".repeat(100); })(), { mediaType: "text/plain" }));
  app.get("/no-content", {}, () => new Response(null, { status: 204 }));
  app.get("/huge", {}, () => new JSONResponse({ data: "y".repeat(200_000) }));
  const dir = mkdtempSync(path.join(tmpdir(), "gzip-"));
  writeFileSync(path.join(dir, "a.txt"), big);
  app.get("/file", {}, () => new FileResponse(path.join(dir, "a.txt")));
  app.addMiddleware(GZipMiddleware);
  return new TestClient(app);
}

const gz = { headers: { "accept-encoding": "gzip, deflate, br" } };

describe("GZipMiddleware", () => {
  it("compresses bodies at or above the minimum size for clients that accept gzip", async () => {
    const res = await client().get("/big", gz);
    expect(res.header("content-encoding")).toBe("gzip");
    expect(res.header("vary")).toBe("Accept-Encoding");
    expect(Number(res.header("content-length"))).toBe(res.body.length);
    expect(res.body.length).toBeLessThan(100);
    expect(gunzipSync(res.body).toString()).toBe(big);
    expect(res.header("etag")).toBe('W/"v1"'); // other bytes, so not strongly equal any more
  });

  it("compresses large bodies off the event loop with the same result", async () => {
    const res = await client().get("/huge", gz);
    expect(JSON.parse(gunzipSync(res.body).toString()).data).toHaveLength(200_000);
  });

  it("leaves small bodies alone, without Vary (the answer does not depend on Accept-Encoding)", async () => {
    const res = await client().get("/small", gz);
    expect(res.header("content-encoding")).toBeUndefined();
    expect(res.header("vary")).toBeUndefined();
    expect(res.json()).toEqual({ hello: "world" });
  });

  it("sends identity to clients that do not accept gzip, with Vary", async () => {
    const c = client();
    for (const header of [undefined, "br", "gzip;q=0", "identity, *;q=0"]) {
      const res = await c.get("/json", header === undefined ? {} : { headers: { "accept-encoding": header } });
      expect(res.header("content-encoding")).toBeUndefined();
      expect(res.json().data).toHaveLength(2000);
      expect(res.header("vary")).toBe("Accept-Encoding");
    }
  });

  it("skips already-encoded bodies, compressed formats, event streams, files and bodiless statuses", async () => {
    const c = client();
    expect((await c.get("/encoded", gz)).header("content-encoding")).toBe("br");
    expect((await c.get("/png", gz)).header("content-encoding")).toBeUndefined();
    const events = await c.get("/events", gz);
    expect(events.header("content-encoding")).toBeUndefined();
    expect(events.text).toBe("data: 1\n\ndata: 2\n\n");
    const file = await c.get("/file", { headers: { "accept-encoding": "gzip", range: "bytes=0-9" } });
    expect(file.status).toBe(206);
    expect(file.header("content-encoding")).toBeUndefined();
    expect((await c.get("/no-content", gz)).status).toBe(204);
  });

  it("compresses streamed bodies on the fly (empty chunks ignored)", async () => {
    const res = await client().get("/stream", gz);
    expect(res.header("content-encoding")).toBe("gzip");
    expect(res.header("content-length")).toBeUndefined();
    expect(gunzipSync(res.body).toString()).toBe("a".repeat(100) + "b".repeat(100));
  });

  it("answers HEAD with the headers a GET would get, without starting a streamed producer", async () => {
    let started = false;
    const app = new App();
    app.get("/stream", {}, () => new StreamingResponse((function* () { started = true; yield "x"; })(), { mediaType: "text/plain" }));
    app.addMiddleware(GZipMiddleware);
    const res = await new TestClient(app).head("/stream", gz);
    expect(res.header("content-encoding")).toBe("gzip");
    expect(res.body.length).toBe(0);
    expect(started).toBe(false);
  });

  it("parses Accept-Encoding qualities", () => {
    expect(acceptsGzip("gzip")).toBe(true);
    expect(acceptsGzip("deflate, GZIP;q=0.5")).toBe(true);
    expect(acceptsGzip("gzip;q=0")).toBe(false);
    expect(acceptsGzip("*")).toBe(true);
    expect(acceptsGzip("*;q=0")).toBe(false);
    expect(acceptsGzip("gzip;q=0, *")).toBe(false);
    expect(acceptsGzip("br")).toBe(false);
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
