/**
 * The typed client against a real server (`serve(app, { port: 0 })`) and in-process through a `TestClient`: every
 * request below is type-checked against the routes of `./shop.ts` (see types.test.ts for the misuse cases).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClientError, createClient, serve, type Client, type Server, type WithPrefix } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { app } from "./shop.ts";
import type * as shop from "./shop.ts";

type Api = [typeof shop, WithPrefix<"/users", typeof shop.userRoutes>];
let server: Server;
let client: Client<Api>;
const seen: Array<{ url: string; method: string | undefined; headers: Headers }> = [];

beforeAll(async () => {
  server = await serve(app, { port: 0, handleSignals: false, announce: false });
  client = createClient<Api>(`${server.url}/`, {
    headers: { "x-client": "tests" },
    fetch: (url, init) => {
      seen.push({ url, method: init.method, headers: new Headers(init.headers) });
      return fetch(url, init);
    },
  });
});
afterAll(() => server.close());

describe("createClient over HTTP", () => {
  it("fills path parameters and the query, and returns the response model's data", async () => {
    const item = await client.get("/items/{item_id}", { path: { item_id: 1 }, query: { q: "x" } });
    expect(item).toEqual({ id: 1, name: "Widget", price: 9.5, tags: ["tools"] });
    expect(seen.at(-1)!.url).toBe(`${server.url}/items/1?q=x`);
    expect(seen.at(-1)!.headers.get("x-client")).toBe("tests");
  });

  it("repeats array query values, and sends the parameters of dependencies as extra keys", async () => {
    const page = await client.get("/items", { query: { tag: ["tools"], limit: 5, skip: 0 } });
    expect(page.total).toBe(1);
    expect(seen.at(-1)!.url).toBe(`${server.url}/items?tag=tools&limit=5&skip=0`);
    expect(await client.get("/items", { query: { skip: 1 } })).toEqual({ items: [], total: 1 });
  });

  it("sends JSON bodies and reads 201 responses", async () => {
    const made = await client.post("/items", { body: { name: "Gadget", price: 3 } });
    expect(made).toEqual({ id: made.id, name: "Gadget", price: 3, tags: [] });
    expect(seen.at(-1)!.headers.get("content-type")).toBe("application/json");
  });

  it("types the handler's result as JSON when there is no response model (dates as strings)", async () => {
    const res = await client.put("/items/{item_id}", {
      path: { item_id: 7 },
      body: { name: "Seven", price: 7 },
      headers: { "x-request-id": "r-1" },
    });
    expect(res).toEqual({ updated: true, at: "1970-01-01T00:00:00.000Z", requestId: "r-1" });
  });

  it("resolves to undefined for 204 and HEAD", async () => {
    expect(await client.delete("/items/{item_id}", { path: { item_id: 7 } })).toBeUndefined();
    expect(await client.head("/items/{item_id}", { path: { item_id: 1 } })).toBeUndefined();
  });

  it("rejects non-2xx responses with ClientError, carrying FastAPI's detail", async () => {
    const missing = await client.get("/items/{item_id}", { path: { item_id: 404 } }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ClientError);
    expect(missing).toMatchObject({ status: 404, detail: "Item not found", method: "GET" });
    expect((missing as Error).message).toBe(`GET ${server.url}/items/404 answered 404: Item not found`);

    const invalid = (await client.post("/items", { body: { name: "", price: 1 } }).catch((e: unknown) => e)) as ClientError;
    expect(invalid.status).toBe(422);
    expect(invalid.detail).toEqual([expect.objectContaining({ type: "string_too_short", loc: ["body", "name"] })]);
  });

  it("embeds several bodies under their names, and one body with embed: true", async () => {
    expect(await client.patch("/items/{item_id}/move", { path: { item_id: 1 }, body: { from: "a", to: "b" } })).toEqual({ item_id: 1, from: "a", to: "b", note: null });
    expect(await client.post("/embedded", { body: { item: { name: "Boxed", price: 1 } } })).toBe("Boxed");
  });

  it("sends cookies and headers, with Header() names as on the wire", async () => {
    const me = await client.get("/me", { cookies: { session: "s 1" }, headers: { "user-agent": "typed-client" } });
    expect(me).toEqual({ session: "s 1", userAgent: "typed-client", theme: "light" });
  });

  it("sends forms: multipart with files, URL-encoded without", async () => {
    const file = new File(["hello"], "hello.txt", { type: "text/plain" });
    expect(await client.post("/files", { form: { file, note: "n" } })).toEqual({ name: "hello.txt", size: 5, text: "hello", note: "n" });
    expect(seen.at(-1)!.headers.get("content-type")).toBeNull(); // fetch sets the multipart boundary itself
    expect(await client.post("/token", { form: { username: "ann", password: "secret" } })).toEqual({ access_token: "ann:6", token_type: "bearer" });
  });

  it("reads text responses as strings, keeps slashes in {name:path}, and uses aliases", async () => {
    expect(await client.get("/readme")).toBe("Welcome to the shop");
    expect(await client.get("/static/{rest:path}", { path: { rest: "css/site main.css" } })).toEqual({ rest: "css/site main.css" });
    expect(seen.at(-1)!.url).toBe(`${server.url}/static/css/site%20main.css`);
    expect(await client.get("/search", { query: { "item-query": "lamp" } })).toEqual({ item_query: "lamp" });
  });

  it("reaches routes of an included router through WithPrefix, and any method through request()", async () => {
    expect(await client.get("/users/{name}", { path: { name: "root" } })).toEqual({ name: "root", admin: true });
    expect(await client.request("GET", "/owner")).toEqual({ name: "Ann" });
  });

  it("says which path parameter is missing", async () => {
    const untyped = client as unknown as { get(path: string, options?: object): Promise<unknown> };
    await expect(untyped.get("/items/{item_id}", {})).rejects.toThrow('GET /items/{item_id}: the path parameter "item_id" is missing');
  });
});

describe("createClient over a TestClient (in-process)", () => {
  it("makes the same typed calls without a socket, with the TestClient's cookie jar", async () => {
    await using tc = await new TestClient(app, { cookies: { session: "jar" } }).start();
    const local = createClient<typeof shop>(tc);
    expect(await local.get("/items/{item_id}", { path: { item_id: 1 } })).toMatchObject({ id: 1, name: "Widget" });
    expect(await local.get("/me", { headers: { "user-agent": "in-process" } })).toEqual({ session: "jar", userAgent: "in-process", theme: "light" });
    const file = new Blob(["abc"], { type: "text/plain" });
    expect(await local.post("/files", { form: { file } })).toEqual({ name: "file", size: 3, text: "abc", note: null });
    expect(await local.get("/readme")).toBe("Welcome to the shop");
    await expect(local.get("/items/{item_id}", { path: { item_id: 999 } })).rejects.toMatchObject({ status: 404, detail: "Item not found" });
  });
});
