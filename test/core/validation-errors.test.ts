import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, Cookie, Depends, Header, JSONResponse, Path, Query, RequestValidationError } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

const Item = z.strictObject({ name: z.string().min(3), price: z.number().gt(0), tags: z.array(z.object({ w: z.number() })).default([]) });

function shop(options?: ConstructorParameters<typeof App>[0]): App {
  const app = new App(options);
  const pagination = Depends({ limit: Query(z.int().min(1).max(50).default(10)) }, ({ limit }) => ({ limit }));
  // Declared out of order on purpose: the 422 still lists path, query, header, cookie, then body.
  app.put("/items/{item_id}", {
    params: {
      item: Body(Item),
      session: Cookie(z.string().min(8)),
      x_token: Header(z.string()),
      q: Query(z.string().min(3)),
      page: pagination,
      item_id: Path(z.int().min(1)),
    },
  }, ({ item_id, item, page }) => ({ item_id, item, page }));
  return app;
}

describe("one 422 for every problem", () => {
  it("lists path, query, header, cookie and body problems with FastAPI's loc, type, msg, input and ctx", async () => {
    const res = await new TestClient(shop()).put("/items/0?q=ab&limit=0", {
      cookies: { session: "short" },
      json: { name: "ab", extra: true, tags: [{ w: "heavy" }] },
    });
    expect(res.status).toBe(422);
    expect(res.header("content-type")).toBe("application/json");
    expect(res.json()).toEqual({
      detail: [
        { type: "greater_than_equal", loc: ["query", "limit"], msg: "Input should be greater than or equal to 1", input: 0, ctx: { ge: 1 } },
        { type: "greater_than_equal", loc: ["path", "item_id"], msg: "Input should be greater than or equal to 1", input: 0, ctx: { ge: 1 } },
        { type: "string_too_short", loc: ["query", "q"], msg: "String should have at least 3 characters", input: "ab", ctx: { min_length: 3 } },
        { type: "missing", loc: ["header", "x-token"], msg: "Field required", input: null },
        { type: "string_too_short", loc: ["cookie", "session"], msg: "String should have at least 8 characters", input: "short", ctx: { min_length: 8 } },
        { type: "string_too_short", loc: ["body", "name"], msg: "String should have at least 3 characters", input: "ab", ctx: { min_length: 3 } },
        { type: "missing", loc: ["body", "price"], msg: "Field required", input: { name: "ab", extra: true, tags: [{ w: "heavy" }] } },
        { type: "float_type", loc: ["body", "tags", 0, "w"], msg: "Input should be a valid number", input: "heavy" },
        { type: "extra_forbidden", loc: ["body", "extra"], msg: "Extra inputs are not permitted", input: true },
      ],
    });
  });

  it("the same request, fixed, reaches the handler with typed values", async () => {
    const res = await new TestClient(shop()).put("/items/3?q=abc", {
      headers: { "x-token": "t" },
      cookies: { session: "12345678" },
      json: { name: "Hammer", price: 9.5 },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ item_id: 3, item: { name: "Hammer", price: 9.5, tags: [] }, page: { limit: 10 } });
  });

  it("reports bounds with their ctx: le, gt, lt and max_length", async () => {
    const app = new App();
    app.get("/b", {
      params: { a: Query(z.int().max(5)), b: Query(z.number().gt(1)), c: Query(z.number().lt(1)), d: Query(z.string().max(2)) },
    }, () => "ok");
    const res = await new TestClient(app).get("/b?a=6&b=1&c=1&d=abc");
    expect(res.json().detail.map((d: { type: string; ctx: unknown }) => [d.type, d.ctx])).toEqual([
      ["less_than_equal", { le: 5 }],
      ["greater_than", { gt: 1 }],
      ["less_than", { lt: 1 }],
      ["string_too_long", { max_length: 2 }],
    ]);
  });
});

describe("async validation", () => {
  it("awaits async refinements and lists their problems with the others", async () => {
    const app = new App();
    const available = z.string().refine(async (name) => (await Promise.resolve(name)) !== "taken", "username is taken");
    app.post("/signup", { params: { username: Query(available), profile: Body(z.object({ bio: z.string().max(3) })) } }, (a) => a);
    const client = new TestClient(app);
    const res = await client.post("/signup?username=taken", { json: { bio: "too long" } });
    expect(res.json().detail).toEqual([
      { type: "value_error", loc: ["query", "username"], msg: "Value error, username is taken", input: "taken", ctx: { error: "username is taken" } },
      { type: "string_too_long", loc: ["body", "bio"], msg: "String should have at most 3 characters", input: "too long", ctx: { max_length: 3 } },
    ]);
    expect((await client.post("/signup?username=free", { json: { bio: "hi" } })).json()).toEqual({ username: "free", profile: { bio: "hi" } });
  });
});

describe("body errors", () => {
  const client = new TestClient(shop());
  const valid = { headers: { "x-token": "t" }, cookies: { session: "12345678" } };

  it("a missing body is one 'missing' at ['body'] with input null", async () => {
    const res = await client.put("/items/1?q=abc", valid);
    expect(res.json()).toEqual({ detail: [{ type: "missing", loc: ["body"], msg: "Field required", input: null }] });
  });

  it("a body of the wrong JSON type is model_attributes_type", async () => {
    const res = await client.put("/items/1?q=abc", { ...valid, json: [1, 2] });
    expect(res.json().detail).toEqual([
      { type: "model_attributes_type", loc: ["body"], msg: "Input should be a valid dictionary or object to extract fields from", input: [1, 2] },
    ]);
  });

  it("malformed JSON is json_invalid at ['body', position] with input {} and the parser's message", async () => {
    const res = await client.put("/items/1?q=abc", { ...valid, content: '{"name": "x",}', headers: { ...valid.headers, "content-type": "application/json" } });
    expect(res.status).toBe(422);
    const [detail] = res.json().detail;
    expect(detail).toMatchObject({ type: "json_invalid", loc: ["body", 13], msg: "JSON decode error", input: {} });
    expect(typeof detail.ctx.error).toBe("string");
  });

  it("a body without content-type is read as JSON; +json media types are JSON", async () => {
    const body = JSON.stringify({ name: "Hammer", price: 1 });
    expect((await client.put("/items/1?q=abc", { ...valid, content: body })).status).toBe(200);
    const vendor = { ...valid.headers, "content-type": "application/vnd.api+json; charset=utf-8" };
    expect((await client.put("/items/1?q=abc", { ...valid, headers: vendor, content: body })).status).toBe(200);
  });

  it("another content type is a 422 by default", async () => {
    const res = await client.put("/items/1?q=abc", { ...valid, data: { name: "Hammer", price: 1 } });
    expect(res.status).toBe(422);
    expect(res.json().detail).toEqual([{
      type: "content_type",
      loc: ["body"],
      msg: "Expected a JSON body (Content-Type: application/json), got 'application/x-www-form-urlencoded'",
      input: null,
      ctx: { expected: "application/json", got: "application/x-www-form-urlencoded" },
    }]);
  });

  it("and a 415 with new App({ wrongContentType: 415 })", async () => {
    const res = await new TestClient(shop({ wrongContentType: 415 })).put("/items/1?q=abc", { ...valid, content: "x", headers: { ...valid.headers, "content-type": "text/plain" } });
    expect(res.status).toBe(415);
    expect(res.json()).toEqual({ detail: "Expected a JSON body (Content-Type: application/json), got 'text/plain'" });
  });
});

describe("replacing the validation-error handler", () => {
  it("app.exceptionHandler(RequestValidationError, …) receives errors() and the parsed body", async () => {
    const app = shop();
    app.exceptionHandler(RequestValidationError, (request, exc) =>
      new JSONResponse({ path: request.path, count: exc.errors().length, first: exc.errors()[0]!.loc, body: exc.body }, { status: 400 }),
    );
    const res = await new TestClient(app).put("/items/1?q=abc", { headers: { "x-token": "t" }, cookies: { session: "12345678" }, json: { name: "Hammer" } });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ path: "/items/1", count: 1, first: ["body", "price"], body: { name: "Hammer" } });
  });

  it("the error's message summarizes the problems (useful in logs)", () => {
    const error = new RequestValidationError([{ type: "missing", loc: ["query", "q"], msg: "Field required", input: null }]);
    expect(error.message).toBe("1 validation error: query.q: Field required");
    expect(error).toBeInstanceOf(Error);
  });
});
