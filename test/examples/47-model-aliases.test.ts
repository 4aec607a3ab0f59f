import { describe, expect, it } from "vitest";
import { app, LegacyItem, OrderItem } from "../../examples/seed/47-model-aliases.ts";
import { TestClient } from "../../src/testing/index.ts";
import { expectValidOpenAPI } from "../openapi/validate.ts";

const client = new TestClient(app);

describe("seed 47: alias generator with populateByName", () => {
  it("accepts camelCase, the handler reads snake_case, the response is camelCase again", async () => {
    const res = await client.post("/orders/items", { json: { productId: 1, unitPrice: 9.99, quantity: 2 } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"productId":1,"unitPrice":9.99,"quantity":2,"discountCode":null}');
  });

  it("the handler sees field names", async () => {
    const parsed = await OrderItem["~standard"].validate({ productId: 1, unitPrice: 9.99, quantity: 2, discountCode: "X" });
    expect(parsed).toEqual({ value: { product_id: 1, unit_price: 9.99, quantity: 2, discount_code: "X" } });
  });

  it("populateByName: field names are accepted too, and both styles may be mixed", async () => {
    const res = await client.post("/orders/items", { json: { product_id: 1, unitPrice: 5, quantity: 3, discount_code: "SAVE" } });
    expect(res.json()).toEqual({ productId: 1, unitPrice: 5, quantity: 3, discountCode: "SAVE" });
  });

  it("errors are reported under the key the client used, or the alias when missing", async () => {
    const body = { product_id: "one", unitPrice: 5 };
    const res = await client.post("/orders/items", { json: body });
    expect(res.status).toBe(422);
    expect(res.json().detail).toEqual([
      expect.objectContaining({ loc: ["body", "product_id"], input: "one" }),
      { type: "missing", loc: ["body", "quantity"], msg: "Field required", input: body },
    ]);
  });

  it("alias round trip: what the response sends can be posted back unchanged", async () => {
    const first = (await client.post("/orders/items", { json: { productId: 7, unitPrice: 1.5, quantity: 4, discountCode: "A" } })).json();
    const second = (await client.post("/orders/items", { json: first })).json();
    expect(second).toEqual(first);
  });

  it("responseOptions.byAlias = false writes field names", async () => {
    const res = await client.post("/orders/items/by-name", { json: { productId: 1, unitPrice: 9.99, quantity: 2 } });
    expect(res.text).toBe('{"product_id":1,"unit_price":9.99,"quantity":2,"discount_code":null}');
  });
});

describe("seed 47: per-field aliases", () => {
  it('accepts {"ItemID", "ItemName", "Cost_USD"} and answers with the same names', async () => {
    const body = { ItemID: 1, ItemName: "Widget", Cost_USD: 9.99 };
    const res = await client.post("/legacy/items", { json: body });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual(body);
    expect(await LegacyItem["~standard"].validate(body)).toEqual({ value: { item_id: 1, item_name: "Widget", unit_cost: 9.99 } });
  });

  it("without populateByName the field names are not accepted (they are unknown keys, ignored)", async () => {
    const body = { item_id: 1, item_name: "Widget", unit_cost: 9.99 };
    const res = await client.post("/legacy/items", { json: body });
    expect(res.status).toBe(422);
    expect(res.json().detail.map((d: { loc: unknown[] }) => d.loc)).toEqual([
      ["body", "ItemID"],
      ["body", "ItemName"],
      ["body", "Cost_USD"],
    ]);
  });
});

describe("seed 47: OpenAPI shows the aliases", () => {
  it("request and response schemas use the aliased names", async () => {
    const doc = app.openapi();
    await expectValidOpenAPI(doc);
    const schemas = doc.components!.schemas!;
    expect(Object.keys(schemas["OrderItem-Input"]!.properties as object)).toEqual(["productId", "unitPrice", "quantity", "discountCode"]);
    expect(schemas["OrderItem-Input"]!.required).toEqual(["productId", "unitPrice", "quantity"]);
    expect(Object.keys(schemas["OrderItem-Output"]!.properties as object)).toEqual(["productId", "unitPrice", "quantity", "discountCode"]);
    expect(schemas["OrderItem-Output"]!.required).toEqual(["productId", "unitPrice", "quantity", "discountCode"]);
    expect(Object.keys(schemas.LegacyItem!.properties as object)).toEqual(["ItemID", "ItemName", "Cost_USD"]);
    const legacy = doc.paths!["/legacy/items"]!.post!;
    expect(legacy.requestBody).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/LegacyItem" } } } });
    expect(legacy.responses!["200"]).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/LegacyItem" } } } });
  });

  it("the by-name route documents field names (an inline schema: it is not OrderItem's serialized form)", () => {
    const schema = app.openapi().paths!["/orders/items/by-name"]!.post!.responses!["200"]!.content!["application/json"]!.schema!;
    const resolved = (schema.$ref ? app.openapi().components!.schemas![String(schema.$ref).split("/").pop()!] : schema)!;
    expect(Object.keys(resolved.properties as object)).toEqual(["product_id", "unit_price", "quantity", "discount_code"]);
  });
});
