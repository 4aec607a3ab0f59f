/**
 * Seed example 47 — aliases and model configuration.
 *
 * JavaScript clients send camelCase, handlers read snake_case: `aliasGenerator: toCamel` maps every field, and
 * `field(schema, { alias })` maps one (a legacy system's `ItemID`, `Cost_USD`). `populateByName` also accepts the
 * field names. Responses are written with the aliases by default — FastAPI's `response_model_by_alias=True` —
 * and `responseOptions: { byAlias: false }` switches a route to field names. The OpenAPI document shows the aliases.
 */
import { z } from "zod";
import { App, Body, field, model, toCamel } from "../../src/index.ts";

export const OrderItem = model(
  {
    product_id: z.int(), // JSON: productId
    unit_price: z.number(), // JSON: unitPrice
    quantity: z.int(),
    discount_code: z.string().nullable().default(null), // JSON: discountCode
  },
  {
    id: "OrderItem",
    populateByName: true, // accept product_id as well as productId
    aliasGenerator: toCamel,
  },
);

/** Hand-written aliases for non-standard external names. */
export const LegacyItem = model(
  {
    item_id: field(z.int(), { alias: "ItemID" }),
    item_name: field(z.string(), { alias: "ItemName" }),
    unit_cost: field(z.number(), { alias: "Cost_USD" }),
  },
  { id: "LegacyItem" },
);

export const app = new App({ title: "Aliases" });

// Accepts {"productId": 1, "unitPrice": 9.99, "quantity": 2}; the handler reads item.product_id; the response
// uses camelCase again.
app.post("/orders/items", { params: { item: Body(OrderItem) }, response: OrderItem }, ({ item }) => item);

// Accepts {"ItemID": 1, "ItemName": "Widget", "Cost_USD": 9.99}: item.item_id === 1.
app.post("/legacy/items", { params: { item: Body(LegacyItem) }, response: LegacyItem }, ({ item }) => item);

// The same model written with field names (`model_dump()` without `by_alias`).
app.post(
  "/orders/items/by-name",
  { params: { item: Body(OrderItem) }, response: OrderItem, responseOptions: { byAlias: false } },
  ({ item }) => item,
);
