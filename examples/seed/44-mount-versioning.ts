/**
 * Seed example 44 — mounting sub-applications for API versioning.
 *
 * Each version is a complete app with its own routes, middleware, exception handlers and documentation; the root
 * app mounts them under `/v1` and `/v2`. Old clients keep talking to the untouched v1 app while v2 evolves, and
 * each version's docs live at `/v1/docs` and `/v2/docs`.
 */
import { z } from "zod";
import { App, Path } from "../../src/index.ts";

// Version 1 API
export const v1App = new App({ title: "My API v1", version: "1.0.0", docsUrl: "/docs" }); // docs at /v1/docs

const ItemV1 = z.object({ id: z.int(), name: z.string() }).meta({ id: "ItemV1" }); // v1: a simple name

v1App.get("/items/{item_id}", { params: { item_id: Path(z.int()) }, response: ItemV1 }, ({ item_id }) => ({ id: item_id, name: `item-${item_id}` }));

// Version 2 API (new fields, different behaviour)
export const v2App = new App({ title: "My API v2", version: "2.0.0", docsUrl: "/docs" }); // docs at /v2/docs

const ItemV2 = z
  .object({ id: z.int(), name: z.string(), display_name: z.string(), version: z.string().default("v2") })
  .meta({ id: "ItemV2" });

v2App.get("/items/{item_id}", { params: { item_id: Path(z.int()) }, response: ItemV2 }, ({ item_id }) => ({
  id: item_id,
  name: `item-${item_id}`,
  display_name: `Item #${item_id} (v2)`,
}));

// The root app mounts the versioned sub-apps.
export const app = new App({ title: "My API Gateway" });

app.mount("/v1", v1App); // GET /v1/items/1 is answered by v1App
app.mount("/v2", v2App); // GET /v2/items/1 is answered by v2App

app.get("/", {}, () => ({
  versions: ["v1", "v2"],
  latest: "v2",
  v1_docs: "/v1/docs", // each version has its own docs
  v2_docs: "/v2/docs",
}));
