import { z } from "zod";
import { describe, expect, it } from "vitest";
import { App, Body, Query, Router, type OperationObject } from "../../src/index.ts";
import { humanize, openapiPath } from "../../src/openapi/operation.ts";
import { validDocument } from "./validate.ts";

const opOf = async (app: App, path = "/", method = "get"): Promise<OperationObject> => (await validDocument(app)).paths![path][method] as OperationObject;

describe("operation metadata", () => {
  it("turns handler names into summaries", () => {
    expect(humanize("readItem")).toBe("Read Item");
    expect(humanize("read_item")).toBe("Read Item");
    expect(humanize("getHTTPStatus_v2")).toBe("Get HTTP Status V2");
    expect(humanize("get /users/{user_id}")).toBe("Get Users User Id");
  });

  it("writes {name:path} templates as plain OpenAPI templates", () => {
    expect(openapiPath("/files/{file_path:path}")).toBe("/files/{file_path}");
    expect(openapiPath("/a/{b}/c")).toBe("/a/{b}/c");
  });

  it("uses options.name for the operation id and summary, and options.operationId as is", async () => {
    const app = new App();
    app.get("/a/{x}", { name: "fetch_a" }, () => ({}));
    app.get("/b", { operationId: "getB", summary: "B!" }, function b() {
      return {};
    });
    const doc = await validDocument(app);
    expect(doc.paths!["/a/{x}"].get).toMatchObject({ operationId: "fetch_a_a__x__get", summary: "Fetch A" });
    expect(doc.paths!["/b"].get).toMatchObject({ operationId: "getB", summary: "B!" });
  });

  it("takes tags, responses, deprecation and hiding from routers", async () => {
    const r = new Router({ prefix: "/r", tags: ["r"], deprecated: true, responses: { 418: {} } });
    r.get("/x", { tags: ["x"] }, function x() {
      return {};
    });
    const hidden = new Router({ includeInSchema: false });
    hidden.get("/secret", {}, function secret() {
      return {};
    });
    const app = new App();
    app.includeRouter(r);
    app.includeRouter(hidden);
    const doc = await validDocument(app);
    expect(doc.paths!["/r/x"].get).toMatchObject({ tags: ["r", "x"], deprecated: true, responses: { "418": { description: "I'm a Teapot" } } });
    expect(doc.paths).not.toHaveProperty("/secret");
  });

  it("merges openapiExtra deeply, appending to lists, without touching the route's options", async () => {
    const extra = { requestBody: { content: { "application/x-yaml": { schema: { type: "object" } } }, required: true }, "x-private": true };
    const app = new App();
    const route = app.post("/", { openapiExtra: extra, params: { q: Query(z.string().optional()) } }, function f() {
      return {};
    });
    const op = await opOf(app, "/", "post");
    expect(op.requestBody).toEqual({ content: { "application/x-yaml": { schema: { type: "object" } } }, required: true });
    expect(op["x-private"]).toBe(true);
    (op.requestBody!.content["application/x-yaml"].schema as Record<string, unknown>).type = "changed";
    expect(route.options.openapiExtra).toEqual({ requestBody: { content: { "application/x-yaml": { schema: { type: "object" } } }, required: true }, "x-private": true });
  });
});

describe("operation responses", () => {
  it("add the 422 only when the route validates input and does not document it", async () => {
    const app = new App();
    app.get("/none", {}, function none() {
      return {};
    });
    app.post("/body", { params: { b: Body(z.object({ a: z.int() })) } }, function body() {
      return {};
    });
    app.get("/own", { params: { q: Query() }, responses: { "4XX": { description: "Client error" } } }, function own() {
      return {};
    });
    app.get("/default", { params: { q: Query() }, responses: { default: { description: "Anything else" } } }, function dflt() {
      return {};
    });
    const doc = await validDocument(app);
    const keys = (p: string, m = "get") => Object.keys((doc.paths![p][m] as OperationObject).responses!);
    expect(keys("/none")).toEqual(["200"]);
    expect(keys("/body", "post")).toEqual(["200", "422"]);
    expect(keys("/own")).toEqual(["200", "4XX"]);
    expect(keys("/default")).toEqual(["200", "default"]);
  });

  it("merge an extra response with the success status, and describe unknown statuses", async () => {
    const Item = z.object({ id: z.int() }).meta({ id: "Item" });
    const app = new App();
    app.get(
      "/",
      {
        response: Item,
        responses: {
          200: { description: "The item, also as PNG", content: { "image/png": {} } },
          299: { model: Item },
          302: { headers: { location: { schema: { type: "string" } } } },
        },
      },
      function f() {
        return { id: 1 };
      },
    );
    const op = await opOf(app);
    expect(op.responses!["200"]).toEqual({
      description: "The item, also as PNG",
      content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } }, "image/png": {} },
    });
    expect(op.responses!["299"]).toEqual({ description: "Additional Response", content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } } });
    expect(op.responses!["302"]).toEqual({ description: "Found", headers: { location: { schema: { type: "string" } } } });
  });

  // Regression: the extra model's schema was deep-merged into the success schema, and deepMerge copied the
  // registry's placeholder `{ $ref: "#/$defs/Row" }` as plain text that finish() never filled in.
  it("regression: a named extra response model no longer leaves a dangling #/$defs ref (deepMerge copied registry placeholders)", async () => {
    const Row = z.object({ id: z.int() }).meta({ id: "Row" });
    const Item = z.object({ name: z.string() }).meta({ id: "Item" });
    const app = new App();
    app.get("/plain", { responses: { 200: { model: Row } } }, function plain() {
      return {};
    });
    app.get("/over", { response: Item, responses: { 200: { model: Row, description: "A row" } } }, function over() {
      return { name: "x" };
    });
    app.get("/missing", { responses: { 404: { model: Row } } }, function missing() {
      return {};
    });
    app.get("/extra", { response: Item, openapiExtra: { responses: { 200: { content: { "application/json": { schema: { $ref: "#/components/schemas/Row", description: "d" } } } } } } }, function extra() {
      return { name: "x" };
    });
    const doc = await validDocument(app);
    expect(JSON.stringify(doc)).not.toContain("#/$defs/");
    const ok = (p: string) => (doc.paths![p].get as OperationObject).responses!;
    expect(ok("/plain")["200"]).toEqual({ description: "Successful Response", content: { "application/json": { schema: { $ref: "#/components/schemas/Row" } } } });
    // As FastAPI's deep update: the extra model's `$ref` replaces the response model's.
    expect(ok("/over")["200"]).toEqual({ description: "A row", content: { "application/json": { schema: { $ref: "#/components/schemas/Row" } } } });
    expect(ok("/missing")["404"].content!["application/json"].schema).toEqual({ $ref: "#/components/schemas/Row" });
    // openapiExtra goes through the same merge: its own `$ref` is kept, not overwritten by the response model's.
    expect(ok("/extra")["200"].content!["application/json"].schema).toEqual({ $ref: "#/components/schemas/Row", description: "d" });
    // Item is referenced by no operation any more, so it is not published.
    expect(Object.keys(doc.components!.schemas!)).toEqual(["Row"]);
  });

  it("document an extra response's model under its mediaType, which replaces the default JSON on the success status", async () => {
    const Row = z.object({ id: z.int() }).meta({ id: "Row" });
    const Item = z.object({ name: z.string() }).meta({ id: "Item" });
    const Problem = z.object({ title: z.string() }).meta({ id: "Problem" });
    const app = new App();
    app.get("/rows", { response: Item, responses: { 200: { description: "Rows", model: Row, mediaType: "application/x-ndjson" } } }, function rows() {
      return { name: "x" };
    });
    app.get("/item", { response: Item, responses: { 404: { model: Problem, mediaType: "application/problem+json" }, 200: { mediaType: "application/json", description: "JSON" } } }, function item() {
      return { name: "x" };
    });
    app.get("/csv", { responses: { 200: { mediaType: "text/csv", headers: { "x-rows": { schema: { type: "integer" } } } } } }, function csv() {
      return "";
    });
    const doc = await validDocument(app);
    const res = (p: string) => (doc.paths![p].get as OperationObject).responses!;
    expect(res("/rows")["200"]).toEqual({ description: "Rows", content: { "application/x-ndjson": { schema: { $ref: "#/components/schemas/Row" } } } });
    expect(res("/item")["200"]).toEqual({ description: "JSON", content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } } });
    expect(res("/item")["404"]).toEqual({ description: "Not Found", content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } } });
    // Without a model the media type is still documented; the default JSON is still replaced.
    expect(res("/csv")["200"]).toEqual({ description: "Successful Response", content: { "text/csv": {} }, headers: { "x-rows": { schema: { type: "integer" } } } });
    // `mediaType` is never copied into the Response Object, enumerable or not.
    expect(JSON.stringify(doc)).not.toContain('"mediaType"');
    // Item stays published: /item documents it.
    expect(Object.keys(doc.components!.schemas!)).toEqual(["Item", "Problem", "Row"]);
  });

  it("document a route without a response model as any JSON", async () => {
    const app = new App();
    app.get("/", {}, function f() {
      return {};
    });
    expect((await opOf(app)).responses!["200"]).toEqual({ description: "Successful Response", content: { "application/json": { schema: {} } } });
  });
});
