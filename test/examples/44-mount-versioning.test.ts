import { describe, expect, it } from "vitest";
import { app } from "../../examples/seed/44-mount-versioning.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("seed 44: mounted versions", () => {
  const client = new TestClient(app);

  it("routes /v1 and /v2 to their own apps", async () => {
    expect((await client.get("/v1/items/42")).json()).toEqual({ id: 42, name: "item-42" });
    expect((await client.get("/v2/items/42")).json()).toEqual({ id: 42, name: "item-42", display_name: "Item #42 (v2)", version: "v2" });
    expect((await client.get("/v1/items/abc")).status).toBe(422);
    expect((await client.get("/v3/items/1")).status).toBe(404);
  });

  it("describes the versions at the root", async () => {
    expect((await client.get("/")).json()).toEqual({ versions: ["v1", "v2"], latest: "v2", v1_docs: "/v1/docs", v2_docs: "/v2/docs" });
  });

  it("gives each version its own documentation", async () => {
    for (const [prefix, title, version, schema] of [["/v1", "My API v1", "1.0.0", "ItemV1"], ["/v2", "My API v2", "2.0.0", "ItemV2"]]) {
      const docs = await client.get(`${prefix}/docs`);
      expect(docs.status).toBe(200);
      expect(docs.text).toContain(`${prefix}/openapi.json`);
      const openapi = (await client.get(`${prefix}/openapi.json`)).json();
      expect(openapi.info).toMatchObject({ title, version });
      expect(Object.keys(openapi.paths)).toEqual(["/items/{item_id}"]);
      expect(Object.keys(openapi.components.schemas)).toContain(schema);
    }
    const root = (await client.get("/openapi.json")).json();
    expect(root.info.title).toBe("My API Gateway");
    expect(Object.keys(root.paths)).toEqual(["/"]);
  });
});
