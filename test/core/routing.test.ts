import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Path, Query } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

function methodsApp(): App {
  const app = new App();
  const echo = (method: string) => (_: unknown, ctx: { request: { path: string } }) => ({ method, path: ctx.request.path });
  app.get("/things", {}, echo("GET"));
  app.post("/things", { status: 201 }, echo("POST"));
  app.put("/things/{id}", {}, echo("PUT"));
  app.patch("/things/{id}", {}, echo("PATCH"));
  app.delete("/things/{id}", { status: 204 }, () => null);
  app.options("/things", {}, echo("OPTIONS"));
  app.head("/ping", {}, () => null);
  app.route(["GET", "POST"], "/multi", {}, (_a, ctx) => ({ method: ctx.request.method }));
  app.route("put", "/lower", {}, () => "ok");
  return app;
}

describe("routing: methods", () => {
  const client = new TestClient(methodsApp());

  it("dispatches every verb to its own handler", async () => {
    expect((await client.get("/things")).json()).toEqual({ method: "GET", path: "/things" });
    const created = await client.post("/things");
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ method: "POST", path: "/things" });
    expect((await client.put("/things/1")).json()).toEqual({ method: "PUT", path: "/things/1" });
    expect((await client.patch("/things/1")).json()).toEqual({ method: "PATCH", path: "/things/1" });
    expect((await client.options("/things")).json()).toEqual({ method: "OPTIONS", path: "/things" });
    const deleted = await client.delete("/things/1");
    expect(deleted.status).toBe(204);
    expect(deleted.body.length).toBe(0);
    expect((await client.head("/ping")).status).toBe(200);
  });

  it("app.route() registers one handler for several methods (case-insensitive)", async () => {
    expect((await client.get("/multi")).json()).toEqual({ method: "GET" });
    expect((await client.post("/multi")).json()).toEqual({ method: "POST" });
    expect((await client.put("/lower")).json()).toBe("ok");
    expect((await client.delete("/multi")).status).toBe(405);
  });

  it("serves HEAD for GET routes: same status and headers, no body", async () => {
    const get = await client.get("/things");
    const head = await client.head("/things");
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.header("content-type")).toBe("application/json");
    expect(head.header("content-length")).toBe(get.header("content-length"));
  });
});

describe("routing: 404 and 405", () => {
  const client = new TestClient(methodsApp());

  it("answers an unknown path with 404 {detail: 'Not Found'}", async () => {
    const res = await client.get("/nowhere");
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ detail: "Not Found" });
    expect(res.header("content-type")).toBe("application/json");
  });

  it("answers a known path with another method with 405 and Allow", async () => {
    const res = await client.delete("/things");
    expect(res.status).toBe(405);
    expect(res.json()).toEqual({ detail: "Method Not Allowed" });
    expect(res.header("allow")).toBe("GET, HEAD, OPTIONS, POST");
    const put = await client.post("/things/1");
    expect(put.status).toBe(405);
    expect(put.header("allow")).toBe("DELETE, PATCH, PUT");
  });
});

describe("routing: path parameters", () => {
  const app = new App();
  app.get("/files/{file_path:path}", { params: { file_path: Path() } }, ({ file_path }) => ({ file_path }));
  app.get("/users/me", {}, () => ({ user: "the current user" }));
  app.get("/users/{user_id}", { params: { user_id: Path() } }, ({ user_id }) => ({ user_id }));
  app.get("/users/{user_id}/items/{item_id}", { params: { user_id: Path(z.int()), item_id: Path() } }, (a) => a);
  const client = new TestClient(app);

  it("{x:path} captures the rest of the path, slashes included", async () => {
    expect((await client.get("/files/home/johndoe/myfile.txt")).json()).toEqual({ file_path: "home/johndoe/myfile.txt" });
    expect((await client.get("/files//etc/passwd")).json()).toEqual({ file_path: "/etc/passwd" });
  });

  it("prefers a static route over a parameter, whatever the registration order", async () => {
    expect((await client.get("/users/me")).json()).toEqual({ user: "the current user" });
    expect((await client.get("/users/alice")).json()).toEqual({ user_id: "alice" });
  });

  it("decodes percent-encoded segments and reads several parameters", async () => {
    expect((await client.get("/users/J%C3%BCrgen")).json()).toEqual({ user_id: "Jürgen" });
    expect((await client.get("/users/7/items/a%20b")).json()).toEqual({ user_id: 7, item_id: "a b" });
  });

  it("never matches an empty segment", async () => {
    expect((await client.get("/users/")).status).not.toBe(200);
  });
});

describe("routing: trailing-slash redirects", () => {
  const app = new App();
  app.get("/items", { params: { q: Query(z.string().optional()) } }, ({ q }) => ({ at: "/items", q }));
  app.get("/folders/", {}, () => ({ at: "/folders/" }));
  app.post("/submit", {}, () => ({ posted: true }));
  const client = new TestClient(app, { followRedirects: false });

  it("redirects /items/ to /items with 307, keeping the query", async () => {
    const res = await client.get("/items/?q=a%20b&x=1");
    expect(res.status).toBe(307);
    expect(res.header("location")).toBe("/items?q=a%20b&x=1");
    expect(res.body.length).toBe(0);
  });

  it("redirects /folders to /folders/ with 307", async () => {
    const res = await client.get("/folders");
    expect(res.status).toBe(307);
    expect(res.header("location")).toBe("/folders/");
  });

  it("the redirect is followed to the right handler, and 307 keeps the method", async () => {
    const follow = new TestClient(app);
    const res = await follow.get("/items/?q=z");
    expect(res.json()).toEqual({ at: "/items", q: "z" });
    expect(res.history.map((h) => h.status)).toEqual([307]);
    expect((await follow.post("/submit/")).json()).toEqual({ posted: true });
  });

  it("is off with redirectSlashes: false", async () => {
    const strict = new App({ redirectSlashes: false });
    strict.get("/items", {}, () => "ok");
    const res = await new TestClient(strict, { followRedirects: false }).get("/items/");
    expect(res.status).toBe(404);
  });

  it("does not redirect when neither form exists", async () => {
    expect((await client.get("/missing/")).status).toBe(404);
  });
});
