/**
 * Seed example 53 — Custom OpenAPI schema injection.
 *
 * The document stays generated from the routes (and cached); a customizer adds what an API gateway or ReDoc
 * wants on top: security schemes, the `x-logo` extension and webhook definitions. FastAPI replaces `app.openapi`
 * for this; `app.customizeOpenAPI` is the typed equivalent (replacing `app.openapi` works too, see
 * docs/openapi.md).
 */
import { z } from "zod";
import { App } from "../../src/index.ts";

const Item = z.object({ name: z.string(), price: z.number() }).meta({ id: "Item" });

export const app = new App({ title: "My API", version: "1.0.0", description: "Custom OpenAPI schema with extensions" });

app.get("/items", { response: z.array(Item) }, function listItems() {
  return [];
});

app.get("/health", {}, function health() {
  return { status: "ok" };
});

// Runs once, right after the document is generated; the result is cached and served at /openapi.json.
app.customizeOpenAPI((doc) => {
  doc.components = {
    ...doc.components,
    securitySchemes: {
      // An API key clients send in a header.
      ApiKeyHeader: { type: "apiKey", in: "header", name: "X-API-Key" },
      // A JWT bearer token; `bearerFormat` tells tools it is a JWT.
      BearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
    },
  };
  // The logo ReDoc shows above the menu.
  doc.info["x-logo"] = { url: "https://example.com/logo.png" };
  // Requests this API sends to its subscribers.
  doc.webhooks = {
    "item-created": {
      post: {
        description: "Fired when a new item is created",
        requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Item" } } } },
        responses: { "200": { description: "Webhook received" } },
      },
    },
  };
});
