import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, Form, Header, Path, Query, serve, type Server } from "../../src/index.ts";
import { encodeMultipart, TestClient } from "../../src/testing/index.ts";
import { collectingLogger } from "./helpers.ts";

const logger = collectingLogger();
const app = new App({ logger }); // default limits: 1 MiB bodies
app.get("/ping", {}, () => ({ pong: true }));
app.get("/items/{item_id}", { params: { item_id: Path(z.int()), q: Query(z.string().optional()) } }, (a) => a);
app.post("/items", { params: { item: Body(z.object({ name: z.string() })) } }, ({ item }) => item);
app.post("/anything", { params: { value: Body(z.unknown()) } }, () => ({ accepted: true }));
app.post("/merge", { params: { patch: Body(z.looseObject({})) } }, ({ patch }) => {
  const merged: Record<string, unknown> = { ...patch };
  Object.assign(merged, patch);
  return { keys: Object.keys(merged).sort() };
});
app.get("/search", { params: { filter: Query(z.looseObject({})) } }, ({ filter }) => ({ keys: Object.keys({ ...filter }).sort() }));
app.post("/form", { params: { fields: Form(z.looseObject({})) } }, ({ fields }) => ({ keys: Object.keys({ ...fields }).sort() }));
app.get("/secure", { params: { x_api_key: Header(z.string()) } }, () => "ok");
const client = new TestClient(app);

const notPolluted = () => {
  const probe = {} as Record<string, unknown>;
  expect(probe.polluted).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty("polluted");
};

/** After every bad input, the app still answers a normal request. */
async function stillServing(c: { get(url: string): Promise<{ status: number }> } = client) {
  expect((await c.get("/ping")).status).toBe(200);
}

describe("bad input is answered, never fatal", () => {
  it("malformed JSON → 422 json_invalid", async () => {
    const res = await client.post("/items", { content: '{"name": ', headers: { "content-type": "application/json" } });
    expect(res.status).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "json_invalid", loc: ["body", 9] });
    await stillServing();
  });

  it("wrong content type → 422", async () => {
    const res = await client.post("/items", { content: "<name/>", headers: { "content-type": "application/xml" } });
    expect(res.status).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "content_type", loc: ["body"] });
    await stillServing();
  });

  it("body over the limit → 413", async () => {
    const res = await client.post("/items", { json: { name: "x".repeat(1024 * 1024) } });
    expect(res.status).toBe(413);
    expect(res.json()).toEqual({ detail: "Request body is larger than the 1048576-byte limit" });
    await stillServing();
  });

  it("invalid percent-encoding in the path → 400", async () => {
    const res = await client.get("/items/%E0%A4%A");
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ detail: "Invalid percent-encoding in the URL path" });
    await stillServing();
  });

  it("invalid percent-encoding in the query → 400", async () => {
    const res = await client.get("/items/1?q=%ZZ");
    expect(res.status).toBe(400);
    expect(res.json().detail).toContain("Invalid percent-encoding in query string");
    await stillServing();
  });

  it("non-numeric path id → 422 int_parsing", async () => {
    const res = await client.get("/items/abc");
    expect(res.json().detail).toEqual([
      { type: "int_parsing", loc: ["path", "item_id"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "abc" },
    ]);
    await stillServing();
  });

  it("missing required header → 422", async () => {
    const res = await client.get("/secure");
    expect(res.status).toBe(422);
    expect(res.json().detail[0]).toMatchObject({ type: "missing", loc: ["header", "x-api-key"] });
    await stillServing();
  });

  it("1001 query parameters → 400", async () => {
    const query = Array.from({ length: 1001 }, (_, i) => `k${i}=v`).join("&");
    const res = await client.get(`/search?${query}`);
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ detail: "Too many query parameters: the limit is 1000" });
    expect((await client.get(`/search?${query.split("&").slice(0, 1000).join("&")}`)).status).toBe(200);
  });

  it("100 000 levels of JSON nesting → an answer, not a crash", async () => {
    const deepArray = "[".repeat(100_000) + "]".repeat(100_000);
    const deepObject = '{"a":'.repeat(100_000) + "1" + "}".repeat(100_000);
    const headers = { "content-type": "application/json" };
    const a = await client.post("/items", { content: deepArray, headers });
    expect(a.status).toBe(422);
    expect(a.json().detail[0]).toMatchObject({ type: "model_attributes_type", loc: ["body"] });
    const b = await client.post("/items", { content: deepObject, headers });
    expect(b.status).toBe(422);
    expect(b.json().detail[0]).toMatchObject({ type: "missing", loc: ["body", "name"] });
    expect((await client.post("/anything", { content: deepArray, headers })).json()).toEqual({ accepted: true });
    expect(logger.errors).toEqual([]);
    await stillServing();
  });
});

describe("prototype pollution", () => {
  it("__proto__ and constructor keys in JSON never reach Object.prototype", async () => {
    const body = '{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, "a": {"__proto__": {"polluted": 3}}}';
    const res = await client.post("/merge", { content: body, headers: { "content-type": "application/json" } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ keys: ["a"] });
    notPolluted();
  });

  it("nor in the query string", async () => {
    const res = await client.get("/search?__proto__=x&__proto__[polluted]=1&constructor[prototype][polluted]=2&constructor=3&ok=1");
    expect(res.status).toBe(200);
    expect(res.json().keys).toContain("ok");
    notPolluted();
  });

  it("nor in urlencoded and multipart forms", async () => {
    const urlencoded = await client.post("/form", {
      content: "__proto__=x&__proto__%5Bpolluted%5D=1&constructor=y&ok=1",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(urlencoded.status).toBe(200);
    expect(urlencoded.json().keys).toContain("ok");
    const fields: Record<string, string[]> = Object.create(null);
    fields["__proto__"] = ["x"];
    fields["constructor"] = ["y"];
    fields["ok"] = ["1"];
    const { body, contentType } = encodeMultipart(fields, {});
    const multipart = await client.post("/form", { content: body, headers: { "content-type": contentType } });
    expect(multipart.status).toBe(200);
    expect(multipart.json().keys).toContain("ok");
    notPolluted();
    await stillServing();
  });
});

describe("bad input over a real socket", () => {
  let server: Server;
  beforeAll(async () => {
    server = await serve(app, { port: 0, handleSignals: false, announce: false });
  });
  afterAll(() => server.close());
  const http = { get: async (url: string) => ({ status: (await fetch(server.url + url)).status }) };

  it("a huge query string is bounded by the server (431)", async () => {
    const res = await fetch(`${server.url}/search?q=${"a".repeat(100_000)}`);
    expect([414, 431]).toContain(res.status);
    await stillServing(http);
  });

  it("a body over the limit → 413", async () => {
    const res = await fetch(`${server.url}/items`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ name: "x".repeat(1024 * 1024) }) });
    expect(res.status).toBe(413);
    await stillServing(http);
  });

  it("every bad input of the list, in a row, and the server still answers", async () => {
    const statuses = [];
    for (const [path, init] of [
      ["/items", { method: "POST", body: "{", headers: { "content-type": "application/json" } }],
      ["/items/%E0%A4%A", {}],
      ["/items/1?q=%ZZ", {}],
      ["/items/abc", {}],
      ["/secure", {}],
    ] as const) {
      statuses.push((await fetch(server.url + path, init as RequestInit)).status);
    }
    expect(statuses).toEqual([422, 400, 400, 422, 422]);
    await stillServing(http);
  });
});
