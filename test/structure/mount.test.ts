/** Item 2: `app.mount()` of Typefast sub-apps and of any `Mountable`. */
import { z } from "zod";
import { describe, expect, it } from "vitest";
import { App, HTTPException, JSONResponse, Path, PlainTextResponse, TypefastError, silentLogger, type Mountable } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

class Teapot extends Error {}

function versioned() {
  const v1 = new App({ title: "API v1", version: "1.0.0" });
  v1.get("/items/{item_id}", { params: { item_id: Path(z.int()) } }, ({ item_id }) => ({ id: item_id, name: `item-${item_id}` }));
  v1.get("/boom", {}, () => { throw new Teapot(); });
  v1.middleware(async (request, callNext) => {
    const response = await callNext(request);
    response.headers["x-version"] = "1";
    return response;
  });
  v1.exceptionHandler(Teapot, () => new JSONResponse({ detail: "v1 teapot" }, { status: 418 }));
  v1.exceptionHandler(404, () => new JSONResponse({ detail: "no such v1 thing" }, { status: 404 }));
  const root = new App({ title: "Gateway", logger: silentLogger });
  root.get("/", {}, () => ({ versions: ["v1"] }));
  root.get("/boom", {}, () => { throw new Teapot(); });
  root.mount("/v1", v1);
  return { root, v1 };
}

describe("mounted sub-apps", () => {
  it("route under the prefix, with their own middleware and exception handlers", async () => {
    const { root } = versioned();
    const client = new TestClient(root);
    let res = await client.get("/v1/items/42");
    expect(res.json()).toEqual({ id: 42, name: "item-42" });
    expect(res.header("x-version")).toBe("1");
    res = await client.get("/v1/boom");
    expect(res.status).toBe(418);
    expect(res.json()).toEqual({ detail: "v1 teapot" });
    res = await client.get("/v1/missing");
    expect(res.json()).toEqual({ detail: "no such v1 thing" });
    // The parent's routes use the parent's handlers and no sub-app middleware.
    res = await client.get("/boom");
    expect(res.status).toBe(500);
    expect(res.header("x-version")).toBeUndefined();
    expect((await client.get("/")).json()).toEqual({ versions: ["v1"] });
  });

  it("serve their own OpenAPI document and docs under the prefix", async () => {
    const { root, v1 } = versioned();
    expect(v1.rootPath).toBe("/v1");
    const client = new TestClient(root);
    const doc = (await client.get("/v1/openapi.json")).json();
    expect(doc.info).toMatchObject({ title: "API v1", version: "1.0.0" });
    expect(Object.keys(doc.paths)).toContain("/items/{item_id}");
    expect(doc.servers).toEqual([{ url: "/v1" }]);
    const docs = await client.get("/v1/docs");
    expect(docs.status).toBe(200);
    expect(docs.text).toContain("/v1/openapi.json");
    expect(Object.keys((await client.get("/openapi.json")).json().paths)).not.toContain("/v1/items/{item_id}");
  });

  it("nest: a sub-app mounted inside a mounted app sees the full root path", async () => {
    const inner = new App();
    inner.get("/where", {}, (_a, { request }) => ({ path: request.path }));
    const middle = new App();
    middle.mount("/inner", inner);
    const root = new App();
    root.mount("/outer", middle);
    expect(inner.rootPath).toBe("/outer/inner");
    expect((await new TestClient(root).get("/outer/inner/where")).json()).toEqual({ path: "/outer/inner/where" });
  });

  it("start and stop with the parent: startup parent first, shutdown mounts first", async () => {
    const events: string[] = [];
    const life = (name: string) =>
      async function* () {
        events.push(`${name} up`);
        yield;
        events.push(`${name} down`);
      };
    const sub = new App({ lifespan: life("sub") });
    const root = new App({ lifespan: life("root") });
    root.mount("/sub", sub);
    const client = new TestClient(root);
    await client.start();
    await client.stop();
    expect(events).toEqual(["root up", "sub up", "sub down", "root down"]);
  });

  it("accept any Mountable and refuse bad prefixes", async () => {
    const seen: string[] = [];
    const echo: Mountable = {
      rootPath: "",
      async handleMounted(request) {
        seen.push(request.path.slice(this.rootPath.length));
        return new PlainTextResponse(`mounted at ${this.rootPath}`);
      },
    };
    const app = new App();
    app.mount("/echo", echo);
    const client = new TestClient(app);
    expect((await client.get("/echo/a/b")).text).toBe("mounted at /echo");
    await client.post("/echo");
    expect(seen).toEqual(["/a/b", ""]);
    expect(() => app.mount("echo", echo)).toThrow(TypefastError);
    expect(() => app.mount("/x/", echo)).toThrow(/must start with "\/", not end with "\/"/);
    expect(() => app.mount("/{id}", echo)).toThrow(TypefastError);
    expect(() => app.mount("/self", app)).toThrow(/inside itself/);
  });

  it("turns a sub-app's HTTPException into its own response shape", async () => {
    const sub = new App();
    sub.get("/secret", {}, () => { throw new HTTPException(401, "Not authenticated", { "WWW-Authenticate": "Bearer" }); });
    const root = new App();
    root.mount("/api", sub);
    const res = await new TestClient(root).get("/api/secret");
    expect(res.status).toBe(401);
    expect(res.header("www-authenticate")).toBe("Bearer");
  });
});
