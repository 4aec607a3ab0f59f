import { describe, expect, it } from "vitest";
import type { OperationObject, ParameterObject } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { app, warnings } from "./full-app.ts";
import { expectValidOpenAPI } from "./validate.ts";

const doc = app.openapi();
const op = (path: string, method: string): OperationObject => doc.paths![path][method] as OperationObject;
const names = (params: ParameterObject[] | undefined): string[] => (params ?? []).map((p) => `${p.in}:${p.name}`);

describe("the document of an app using every feature", () => {
  it("matches the snapshot (any change to the output is a visible diff)", async () => {
    await expect(`${JSON.stringify(doc, null, 2)}\n`).toMatchFileSnapshot("__snapshots__/full-app.json");
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    await expectValidOpenAPI(doc);
  });

  it("has the app's metadata, servers and tags", () => {
    expect(doc.info).toEqual({
      title: "Full",
      summary: "Every OpenAPI feature in one app",
      description: "The **whole** generator.",
      termsOfService: "https://example.com/terms",
      contact: { name: "API team", url: "https://example.com", email: "api@example.com" },
      license: { name: "MIT", identifier: "MIT" },
      version: "2.0.0",
    });
    expect(doc.servers).toEqual([{ url: "https://api.example.com", description: "Production" }]);
    expect(doc.tags).toEqual([{ name: "items", description: "Things for sale" }, { name: "users" }]);
  });

  it("derives operation ids and summaries from handler names, as FastAPI does", () => {
    expect(op("/items/{item_id}", "get")).toMatchObject({ operationId: "readItem_items__item_id__get", summary: "Read Item" });
    expect(op("/items/{item_id}", "put")).toMatchObject({ operationId: "update_item_items__item_id__put", summary: "Update Item" });
    expect(op("/items", "post")).toMatchObject({ summary: "Create an item", description: "Creates an item and returns it." });
    expect(op("/anonymous", "get")).toMatchObject({ operationId: "handler_anonymous_get", summary: "Get Anonymous" });
    expect(op("/both", "get").operationId).toBe("both_both_get");
    expect(op("/both", "post").operationId).toBe("both_both_post");
    expect(op("/files/{file_path}", "get").operationId).toBe("readFile_files__file_path__get");
  });

  it("makes duplicate operation ids unique, with a warning", () => {
    expect(op("/same/a", "get").operationId).toBe("same_id");
    expect(op("/same/b", "get").operationId).toBe("same_id_2");
    expect(warnings.some((w) => w.includes('duplicate operation id "same_id"'))).toBe(true);
  });

  it("lists the parameters of the route and of all its dependencies, minus hidden ones", () => {
    const params = op("/items/{item_id}", "get").parameters;
    expect(names(params)).toEqual(["path:item_id", "query:q", "header:user-agent", "cookie:session", "query:skip", "query:limit", "header:x-tenant"]);
    const [itemId, q, , , skip] = params!;
    expect(itemId).toMatchObject({ required: true, description: "The item's id", schema: { type: "integer", examples: [1, 2] } });
    expect(q).toMatchObject({ required: false, deprecated: true, schema: { type: "string", title: "Query" } });
    expect(skip).toMatchObject({ required: false, schema: { default: 0 } });
  });

  it("expands a query model into one parameter per property", () => {
    expect(op("/search", "get").parameters).toMatchObject([
      { name: "term", in: "query", required: true, description: "What to look for" },
      { name: "color", in: "query", required: false, schema: { $ref: "#/components/schemas/Color" } },
      { name: "tag", in: "query", required: false, schema: { type: "array" } },
    ]);
  });

  it("documents JSON, embedded, form and multipart bodies", () => {
    expect(op("/items", "post").requestBody).toEqual({ content: { "application/json": { schema: { $ref: "#/components/schemas/ItemCreate" } } }, required: true });
    expect(op("/raw", "post").requestBody!.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/Body_postRaw_raw_post" });
    expect(doc.components!.schemas!.Body_update_item_items__item_id__put).toMatchObject({
      properties: { item: { $ref: "#/components/schemas/Item-Input" }, importance: { description: "How important" } },
      required: ["item"],
    });
    expect(op("/transform", "post").requestBody!.content).toHaveProperty(["application/vnd.typefast+json"]);
    expect(op("/login", "post").requestBody!.content).toHaveProperty(["application/x-www-form-urlencoded"]);
    expect(op("/login-model", "post").requestBody!.content["application/x-www-form-urlencoded"].schema).toEqual({ $ref: "#/components/schemas/LoginForm" });
    const upload = doc.components!.schemas!.Body_upload_upload_post as { properties: Record<string, unknown>; required: string[] };
    expect(op("/upload", "post").requestBody!.content).toHaveProperty(["multipart/form-data"]);
    expect(upload.properties.file).toMatchObject({ type: "string", format: "binary", contentMediaType: "application/octet-stream" });
    expect(upload.properties.extras).toMatchObject({ type: "array", items: { format: "binary" } });
    expect(upload.required).toEqual(["file"]);
  });

  it("documents the success response, extra responses and the 422", () => {
    const responses = op("/items/{item_id}", "get").responses!;
    // Integer-like keys come first in a JS object, as in any JSON serializer of one.
    expect(Object.keys(responses)).toEqual(["200", "404", "422", "5XX"]);
    expect(responses["200"]).toEqual({ description: "Successful Response", content: { "application/json": { schema: { $ref: "#/components/schemas/Item-Output" } } } });
    expect(responses["404"]).toEqual({ description: "Item not found", content: { "application/json": { schema: { $ref: "#/components/schemas/Message" } } } });
    expect(responses["5XX"]).toEqual({ description: "Server Error" });
    expect(responses["422"].content!["application/json"].schema).toEqual({ $ref: "#/components/schemas/HTTPValidationError" });
    expect(op("/items", "post").responses!["201"].description).toBe("The created item");
    expect(op("/items/{item_id}", "delete").responses!["204"]).toEqual({ description: "Successful Response" });
    expect(op("/items/{item_id}", "delete").deprecated).toBe(true);
    expect(op("/me", "get").responses).not.toHaveProperty("422");
    expect(op("/admin/stats", "get").responses!["403"]).toMatchObject({ description: "Not an admin" });
  });

  it("publishes named schemas once, split into Input/Output only when they differ", () => {
    const schemas = doc.components!.schemas!;
    expect(Object.keys(schemas)).toEqual([...Object.keys(schemas)].sort());
    expect(schemas).toHaveProperty("Item-Input");
    expect(schemas).toHaveProperty("Item-Output");
    expect(schemas).not.toHaveProperty("Item");
    expect(schemas["Item-Input"].required).toEqual(["name"]);
    expect(schemas["Item-Output"].required).toEqual(["name", "price", "tags"]);
    // Tag and Color are used both ways but do not differ: one schema each.
    expect(schemas).toHaveProperty("Tag");
    expect(schemas).toHaveProperty("Color");
    expect(schemas.Category).toMatchObject({ properties: { children: { items: { $ref: "#/components/schemas/Category" } } } });
    expect(JSON.stringify(doc)).not.toContain("$defs");
    expect(JSON.stringify(doc)).not.toContain('"$schema"');
  });

  it("resolves two schemas with one id deterministically, with a warning", () => {
    expect(doc.components!.schemas!.Body_clash_clash_post).toMatchObject({
      properties: { a: { $ref: "#/components/schemas/Clash" }, b: { $ref: "#/components/schemas/Clash_2" } },
    });
    expect(warnings.some((w) => w.includes('share the id "Clash"'))).toBe(true);
  });

  it("documents security schemes and per-operation requirements with scopes", () => {
    expect(doc.components!.securitySchemes).toEqual({
      OAuth2PasswordBearer: { type: "oauth2", flows: { password: { tokenUrl: "token", scopes: { "items:read": "Read items", me: "Read your profile" } } } },
      APIKeyHeader: { type: "apiKey", name: "x-api-key", in: "header" },
    });
    expect(op("/me", "get").security).toEqual([{ OAuth2PasswordBearer: ["me"] }]);
    expect(op("/me/items", "get").security).toEqual([{ OAuth2PasswordBearer: ["items:read"] }, { APIKeyHeader: [] }]);
    expect(op("/items", "post").security).toBeUndefined();
  });

  it("hides routes with includeInSchema: false, and the docs routes", () => {
    expect(Object.keys(doc.paths!)).not.toContain("/hidden");
    expect(Object.keys(doc.paths!).filter((p) => p.includes("docs") || p.includes("openapi") || p.includes("redoc"))).toEqual([]);
  });

  it("merges openapiExtra into the operation", () => {
    expect(op("/extra", "get")).toMatchObject({ operationId: "custom_extra", "x-rate-limit": 10, parameters: [{ name: "x-raw", in: "header" }] });
  });

  it("documents webhooks", () => {
    expect(doc.webhooks!["new-subscription"].post).toMatchObject({
      description: "Sent when a user subscribes",
      requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Subscription" } } } },
    });
  });

  it("serves the same document at /openapi.json", async () => {
    const res = await new TestClient(app).get("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual(JSON.parse(JSON.stringify(doc)));
  });
});
