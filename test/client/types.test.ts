/**
 * Type-level tests of the typed client and of what `app.get(...)` & co. return. `npm test` runs `tsc --noEmit`
 * over test/, so every `@ts-expect-error` must be an error and every `expectTypeOf` must hold; the calls sit in
 * functions that are never run.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  App, Body, createClient, Depends, Path, Query, type Client, type RequestOptionsOf, type Route, type RouteRequest, type RouteResponse,
  type RoutesOf, type WithPrefix,
} from "../../src/index.ts";
import type * as shop from "./shop.ts";
import { createItem, readItem } from "./shop.ts";

type Api = [typeof shop, WithPrefix<"/users", typeof shop.userRoutes>];
const client = createClient<Api>("http://127.0.0.1:8000");
type ItemData = { id: number; name: string; price: number; tags: string[] };
const never = () => false; // guards the calls: type checks only

describe("what registration returns", () => {
  it("is the Route, with its method, path, params and result at the type level", () => {
    expectTypeOf(readItem).toExtend<Route>();
    type Info = (typeof readItem)["~route"];
    expectTypeOf<Info["method"]>().toEqualTypeOf<"GET">();
    expectTypeOf<Info["path"]>().toEqualTypeOf<"/items/{item_id}">();
    expectTypeOf<Info["params"]["item_id"]["~value"]>().toEqualTypeOf<number>();
    const app = new App();
    const multi = app.route(["get", "post"], "/both", {}, () => 1);
    expectTypeOf<(typeof multi)["~route"]["method"]>().toEqualTypeOf<"GET" | "POST">();
    expectTypeOf<(typeof multi)["~route"]["result"]>().toEqualTypeOf<number>();
    expect(multi.methods).toEqual(["GET", "POST"]);
  });

  it("still checks a handler's result against the response model", () => {
    const app = new App();
    const Out = z.object({ id: z.int() });
    app.get("/ok", { response: Out }, async () => ({ id: 1, extra: "filtered" }));
    // @ts-expect-error — id must be a number
    app.get("/bad", { response: Out }, () => ({ id: "1" }));
    expect(app.routes.length).toBeGreaterThan(0);
  });

  it("finds routes in a module namespace, skipping other exports", () => {
    expectTypeOf<RoutesOf<typeof shop>["path"]>().toEqualTypeOf<
      | "/items/{item_id}" | "/items" | "/items/{item_id}/move" | "/me" | "/files" | "/token" | "/readme" | "/static/{rest:path}"
      | "/search" | "/embedded" | "/owner" | "/{name}"
    >();
    expectTypeOf<RoutesOf<[typeof readItem, typeof createItem]>["method"]>().toEqualTypeOf<"GET" | "POST">();
  });
});

describe("client calls", () => {
  it("type responses from the response model, else from the handler's result as JSON", async () => {
    if (never()) {
      expectTypeOf(await client.get("/items/{item_id}", { path: { item_id: 1 } })).toEqualTypeOf<ItemData>();
      expectTypeOf(await client.post("/items", { body: { name: "a", price: 1 } })).toEqualTypeOf<ItemData>();
      expectTypeOf(await client.get("/items")).toEqualTypeOf<{ items: ItemData[]; total: number }>();
      expectTypeOf(await client.put("/items/{item_id}", { path: { item_id: 1 }, body: { name: "a", price: 1 } })).toEqualTypeOf<{
        updated: boolean;
        at: string;
        requestId: string | null;
      }>();
      expectTypeOf(await client.delete("/items/{item_id}", { path: { item_id: 1 } })).toEqualTypeOf<undefined>();
      expectTypeOf(await client.get("/readme")).toEqualTypeOf<unknown>();
      expectTypeOf(await client.post("/token", { form: { username: "a", password: "b" } })).toEqualTypeOf<{ access_token: string; token_type: "bearer" }>();
      expectTypeOf(await client.get("/owner")).toEqualTypeOf<{ name: string; email?: string }>();
      expectTypeOf(await client.get("/users/{name}", { path: { name: "x" } })).toEqualTypeOf<{ name: string; admin: boolean }>();
    }
  });

  it("type each option from the parameters' input types", () => {
    type Read = RouteRequest<Api, "GET", "/items/{item_id}">;
    expectTypeOf<Read["path"]>().toEqualTypeOf<{ item_id: number }>();
    expectTypeOf<NonNullable<Read["query"]>["q"]>().toEqualTypeOf<string | undefined>();
    type List = RouteRequest<Api, "GET", "/items">;
    expectTypeOf<NonNullable<List["query"]>["limit"]>().toEqualTypeOf<number | undefined>(); // has a default
    expectTypeOf<RouteRequest<Api, "PATCH", "/items/{item_id}/move">["body"]>().toEqualTypeOf<{ from: string; to: string; note?: string }>();
    expectTypeOf<RouteRequest<Api, "POST", "/embedded">["body"]>().toEqualTypeOf<{ item: { name: string; price: number; tags?: string[] } }>();
    expectTypeOf<RouteRequest<Api, "POST", "/files">["form"]>().toEqualTypeOf<{ file: Blob; note?: string }>();
    expectTypeOf<RouteResponse<Api, "GET", "/search">>().toEqualTypeOf<{ item_query: string }>();
    const app = new App();
    const r = app.get("/x/{id}", { params: { id: Path(z.int()), t: Query(z.coerce.number()), d: Depends(() => 1) } }, () => null);
    // A schema without an input type (z.coerce) takes what the handler would get.
    expectTypeOf<NonNullable<RequestOptionsOf<(typeof r)["~route"]>["query"]>["t"]>().toEqualTypeOf<number>();
    const b = app.post("/b", { params: { n: Body(z.number().optional()) } }, () => null);
    expectTypeOf<RequestOptionsOf<(typeof b)["~route"]>["body"]>().toEqualTypeOf<number | undefined>();
  });

  it("reject what the server would not accept", async () => {
    if (never()) {
      // @ts-expect-error — no such path
      await client.get("/item/{item_id}", { path: { item_id: 1 } });
      // @ts-expect-error — POST /items/{item_id} is not a route (only GET, PUT, DELETE)
      await client.post("/items/{item_id}", { path: { item_id: 1 } });
      // @ts-expect-error — the path parameters are required
      await client.get("/items/{item_id}");
      // @ts-expect-error — item_id is an integer
      await client.get("/items/{item_id}", { path: { item_id: "one" } });
      // @ts-expect-error — no such path parameter
      await client.get("/items/{item_id}", { path: { item_id: 1, other: 2 } });
      // @ts-expect-error — the body is required
      await client.post("/items", {});
      // @ts-expect-error — price is missing
      await client.post("/items", { body: { name: "a" } });
      // @ts-expect-error — GET /items takes no body
      await client.get("/items", { body: { name: "a" } });
      // @ts-expect-error — a known query parameter keeps its type
      await client.get("/items", { query: { limit: "ten" } });
      // @ts-expect-error — a known cookie keeps its type (cookies are optional: a cookie jar may send them)
      await client.get("/me", { headers: { "user-agent": "x" }, cookies: { theme: "blue" } });
      // @ts-expect-error — the user-agent header is required
      await client.get("/me", { cookies: { session: "s" } });
      // @ts-expect-error — a JSON route takes no form
      await client.post("/items", { body: { name: "a", price: 1 }, form: { name: "a" } });
      // @ts-expect-error — the file must be a Blob
      await client.post("/files", { form: { file: "hello.txt" } });
      // @ts-expect-error — the aliased query name is the one on the wire
      await client.get("/search", { query: { item_query: "x" } });
      // @ts-expect-error — without WithPrefix, a router's routes have their own paths only
      await createClient<typeof shop>("http://x").get("/users/{name}", { path: { name: "x" } });
      // @ts-expect-error — `typeof app` holds no route types: export the routes (see docs/client.md)
      await createClient<typeof shop.app>("http://x").get("/items");
    }
    expectTypeOf<Client<typeof shop.app>>().toHaveProperty("get");
  });
});
