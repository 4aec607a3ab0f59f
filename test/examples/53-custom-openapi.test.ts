import { describe, expect, it } from "vitest";
import { app } from "../../examples/seed/53-custom-openapi.ts";
import { TestClient } from "../../src/testing/index.ts";
import { expectValidOpenAPI } from "../openapi/validate.ts";

const client = new TestClient(app);

describe("seed example 53: custom OpenAPI schema injection", () => {
  it("keeps the auto-generated paths, with the custom title, version and description", async () => {
    const doc = (await client.get("/openapi.json")).json();
    expect(doc.info).toMatchObject({ title: "My API", version: "1.0.0", description: "Custom OpenAPI schema with extensions" });
    expect(Object.keys(doc.paths)).toEqual(["/items", "/health"]);
    expect(doc.paths["/items"].get.operationId).toBe("listItems_items_get");
    expect(doc.paths["/health"].get.summary).toBe("Health");
  });

  it("adds the API key and JWT bearer security schemes", () => {
    expect(app.openapi().components!.securitySchemes).toEqual({
      ApiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
      BearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
    });
  });

  it("adds the x-logo extension for ReDoc", () => {
    expect(app.openapi().info["x-logo"]).toEqual({ url: "https://example.com/logo.png" });
  });

  it("adds the item-created webhook, whose body is the generated Item schema", () => {
    const doc = app.openapi();
    expect(doc.webhooks!["item-created"]).toEqual({
      post: {
        description: "Fired when a new item is created",
        requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } } },
        responses: { "200": { description: "Webhook received" } },
      },
    });
    expect(doc.components!.schemas!.Item).toBeDefined();
  });

  it("is cached: the second call returns the same object, and serving it does not regenerate", async () => {
    const first = app.openapi();
    expect(app.openapi()).toBe(first);
    expect(app.openapiSchema).toBe(first);
    await client.get("/openapi.json");
    expect(app.openapi()).toBe(first);
  });

  it("is a valid OpenAPI 3.1 document", async () => {
    await expectValidOpenAPI(app.openapi());
  });

  it("still answers its routes", async () => {
    expect((await client.get("/items")).json()).toEqual([]);
    expect((await client.get("/health")).json()).toEqual({ status: "ok" });
  });
});
