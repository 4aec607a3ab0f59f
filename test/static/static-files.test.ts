/** StaticFiles: mounting, validators, ranges, HTML mode, and every way of escaping the directory refused. */
import { mkdirSync, mkdtempSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { App, GZipMiddleware, StaticFiles, TypefastError } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { inject } from "../../src/testing/inject.ts";

function site() {
  const base = mkdtempSync(path.join(tmpdir(), "static-"));
  const root = path.join(base, "public");
  mkdirSync(path.join(root, "docs", "guide"), { recursive: true });
  writeFileSync(path.join(root, "index.html"), "<h1>home</h1>");
  writeFileSync(path.join(root, "404.html"), "<h1>lost</h1>");
  writeFileSync(path.join(root, "app.css"), "body { color: red }");
  writeFileSync(path.join(root, "data.bin"), Buffer.from("0123456789abcdef"));
  writeFileSync(path.join(root, "docs", "index.html"), "<h1>docs</h1>");
  writeFileSync(path.join(root, "a b.txt"), "spaced");
  writeFileSync(path.join(base, "secret.txt"), "top secret");
  utimesSync(path.join(root, "app.css"), new Date("2024-01-02T03:04:05Z"), new Date("2024-01-02T03:04:05Z"));
  symlinkSync(path.join(base, "secret.txt"), path.join(root, "escape.txt"));
  symlinkSync(path.join(root, "app.css"), path.join(root, "inside.css"));
  return { base, root };
}

function build(options: { html?: boolean; followSymlinks?: boolean } = {}) {
  const { root } = site();
  const app = new App();
  app.get("/", {}, () => ({ api: true }));
  app.mount("/static", new StaticFiles({ directory: root, cacheControl: "public, max-age=60", ...options }));
  return app;
}

const client = (options: { html?: boolean; followSymlinks?: boolean } = {}) => new TestClient(build(options), { followRedirects: false });

/** Sends the target exactly as written: URL parsers (the test client's included) would resolve `..` first. */
async function raw(app: App, url: string) {
  const res = await inject(app.handle, { method: "GET", url });
  return { status: res.status, text: res.body.toString() };
}

describe("StaticFiles", () => {
  it("serves files with a guessed type, validators and cache-control", async () => {
    const res = await client().get("/static/app.css");
    expect(res.status).toBe(200);
    expect(res.text).toBe("body { color: red }");
    expect(res.header("content-type")).toBe("text/css; charset=utf-8");
    expect(res.header("last-modified")).toBe("Tue, 02 Jan 2024 03:04:05 GMT");
    expect(res.header("etag")).toMatch(/^W\/"/);
    expect(res.header("cache-control")).toBe("public, max-age=60");
    expect((await client().get("/static/a%20b.txt")).text).toBe("spaced");
  });

  it("answers conditional requests with 304 (ETag and Last-Modified)", async () => {
    const c = client();
    const first = await c.get("/static/app.css");
    const byTag = await c.get("/static/app.css", { headers: { "if-none-match": first.header("etag")! } });
    expect(byTag.status).toBe(304);
    expect(byTag.body.length).toBe(0);
    const byDate = await c.get("/static/app.css", { headers: { "if-modified-since": "Tue, 02 Jan 2024 03:04:05 GMT" } });
    expect(byDate.status).toBe(304);
    const older = await c.get("/static/app.css", { headers: { "if-modified-since": "Mon, 01 Jan 2024 00:00:00 GMT" } });
    expect(older.status).toBe(200);
  });

  it("serves byte ranges", async () => {
    const c = client();
    const res = await c.get("/static/data.bin", { headers: { range: "bytes=2-5" } });
    expect(res.status).toBe(206);
    expect(res.text).toBe("2345");
    expect(res.header("content-range")).toBe("bytes 2-5/16");
    expect((await c.get("/static/data.bin", { headers: { range: "bytes=99-" } })).status).toBe(416);
    expect((await c.head("/static/data.bin")).header("content-length")).toBe("16");
  });

  it("answers 404 for missing files and directories outside HTML mode, 405 for other methods", async () => {
    const c = client();
    expect((await c.get("/static/nope.css")).json()).toEqual({ detail: "Not Found" });
    expect((await c.get("/static/docs")).status).toBe(404);
    expect((await c.get("/static")).status).toBe(404);
    const post = await c.post("/static/app.css");
    expect([post.status, post.header("allow")]).toEqual([405, "GET, HEAD"]);
    expect((await c.get("/")).json()).toEqual({ api: true });
  });

  it("refuses every path that leaves the directory, exactly like a missing file", async () => {
    const app = build();
    for (const attempt of [
      "/static/../secret.txt",
      "/static/%2e%2e/secret.txt",
      "/static/docs/../../secret.txt",
      "/static/..%2fsecret.txt",
      "/static/..%5csecret.txt",
      "/static/docs/..%5c..%5csecret.txt",
      "/static/app.css%00.png",
      "/static/escape.txt",
    ]) {
      const res = await raw(app, attempt);
      expect(res.status, attempt).toBe(404);
      expect(res.text).not.toContain("top secret");
    }
    expect((await client().get("/static/inside.css")).text).toBe("body { color: red }"); // a link that stays inside is fine
  });

  it("follows outside links only when told to", async () => {
    expect((await client({ followSymlinks: true }).get("/static/escape.txt")).text).toBe("top secret");
  });

  it("HTML mode: index.html for directories (after adding the slash), 404.html for misses", async () => {
    const c = client({ html: true });
    const redirect = await c.get("/static/docs?x=1");
    expect([redirect.status, redirect.header("location")]).toEqual([307, "/static/docs/?x=1"]);
    expect((await c.get("/static/docs/")).text).toBe("<h1>docs</h1>");
    expect((await c.get("/static/")).text).toBe("<h1>home</h1>");
    expect((await c.get("/static")).status).toBe(307);
    const missing = await c.get("/static/docs/guide/");
    expect([missing.status, missing.text]).toEqual([404, "<h1>lost</h1>"]);
    expect((await raw(build({ html: true }), "/static/../secret.txt")).text).toBe("<h1>lost</h1>");
  });

  it("fails at construction for a missing directory, unless asked not to check", () => {
    expect(() => new StaticFiles({ directory: "/definitely/not/here" })).toThrow(TypefastError);
    expect(() => new StaticFiles({ directory: "/definitely/not/here", checkDir: false })).not.toThrow();
  });

  it("goes through the parent's middleware; gzip leaves files alone", async () => {
    const { root } = site();
    const app = new App();
    app.mount("/static", new StaticFiles({ directory: root }));
    app.addMiddleware(GZipMiddleware, { minimumSize: 1 });
    app.middleware(async (request, callNext) => {
      const response = await callNext(request);
      response.headers["x-through"] = "parent";
      return response;
    });
    const res = await new TestClient(app).get("/static/app.css", { headers: { "accept-encoding": "gzip" } });
    expect(res.header("x-through")).toBe("parent");
    expect(res.header("content-encoding")).toBeUndefined();
    expect(res.text).toBe("body { color: red }");
  });
});
