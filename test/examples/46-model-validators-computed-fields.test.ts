import { describe, expect, it } from "vitest";
import { app, Product, UserRegistration } from "../../examples/seed/46-model-validators-computed-fields.ts";
import { TestClient } from "../../src/testing/index.ts";
import { expectValidOpenAPI } from "../openapi/validate.ts";

const client = new TestClient(app);
const valid = { username: "alice", password: "s3cret-pass", confirm_password: "s3cret-pass", email: "alice@example.com" };

describe("seed 46: model validators", () => {
  it("registers a user whose passwords match, without echoing them", async () => {
    const res = await client.post("/register", { json: valid });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ username: "alice", email: "alice@example.com" });
  });

  it("mismatched passwords are a value_error at the body, with the whole body as input", async () => {
    const body = { ...valid, confirm_password: "other-pass" };
    const res = await client.post("/register", { json: body });
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({
      detail: [
        {
          type: "value_error",
          loc: ["body"],
          msg: "Value error, password and confirm_password must match",
          input: body,
          ctx: { error: "password and confirm_password must match" },
        },
      ],
    });
  });

  it("a password containing the username (any case) is refused by the second validator", async () => {
    const body = { ...valid, password: "xxALICExx", confirm_password: "xxALICExx" };
    const res = await client.post("/register", { json: body });
    expect(res.status).toBe(422);
    expect(res.json().detail).toEqual([expect.objectContaining({ type: "value_error", loc: ["body"], msg: "Value error, password must not contain username" })]);
  });

  it("model validators run only once every field is valid: field errors come first, at their fields", async () => {
    const res = await client.post("/register", { json: { username: "al", password: "short", confirm_password: "nope" } });
    expect(res.status).toBe(422);
    expect(res.json().detail).toEqual([
      { type: "string_too_short", loc: ["body", "username"], msg: "String should have at least 3 characters", input: "al", ctx: { min_length: 3 } },
      { type: "string_too_short", loc: ["body", "password"], msg: "String should have at least 8 characters", input: "short", ctx: { min_length: 8 } },
      { type: "missing", loc: ["body", "email"], msg: "Field required", input: { username: "al", password: "short", confirm_password: "nope" } },
    ]);
  });

  it("the first failing validator stops the others (pydantic runs them in order)", async () => {
    const body = { ...valid, password: "alice-pass", confirm_password: "different" };
    const res = await client.post("/register", { json: body });
    expect(res.json().detail).toHaveLength(1);
    expect(res.json().detail[0].msg).toBe("Value error, password and confirm_password must match");
  });

  it("the same checks apply when the model is used directly", async () => {
    expect(await UserRegistration["~standard"].validate(valid)).toEqual({ value: valid });
  });
});

describe("seed 46: computed fields", () => {
  it("POST {name, price: 100, discount_percent: 20} returns discounted_price 80 and on_sale true", async () => {
    const res = await client.post("/products", { json: { name: "Widget", price: 100, discount_percent: 20 } });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"name":"Widget","price":100,"discount_percent":20,"discounted_price":80,"on_sale":true}');
  });

  it("the default discount gives the full price and on_sale false", async () => {
    const res = await client.post("/products", { json: { name: "Gadget", price: 19.99 } });
    expect(res.json()).toEqual({ name: "Gadget", price: 19.99, discount_percent: 0, discounted_price: 19.99, on_sale: false });
  });

  it("price=100, discount=10 → discounted_price=90; rounding to cents", async () => {
    expect((await client.post("/products", { json: { name: "A", price: 100, discount_percent: 10 } })).json().discounted_price).toBe(90);
    expect((await client.post("/products", { json: { name: "B", price: 9.99, discount_percent: 33 } })).json().discounted_price).toBe(6.69);
  });

  it("computed fields are output-only: sent in a request they are ignored", async () => {
    const res = await client.post("/products", { json: { name: "W", price: 10, discounted_price: 1, on_sale: true } });
    expect(res.json()).toEqual({ name: "W", price: 10, discount_percent: 0, discounted_price: 10, on_sale: false });
  });

  it("field constraints still apply (price > 0, discount 0..100)", async () => {
    const res = await client.post("/products", { json: { name: "W", price: 0, discount_percent: 101 } });
    expect(res.json().detail.map((d: { type: string; loc: unknown[] }) => [d.type, d.loc])).toEqual([
      ["greater_than", ["body", "price"]],
      ["less_than_equal", ["body", "discount_percent"]],
    ]);
  });
});

describe("seed 46: schemas and OpenAPI", () => {
  const target = { target: "draft-2020-12" } as const;

  it("the input schema has no computed fields; the output schema has them readOnly and required", () => {
    const input = Product["~standard"].jsonSchema!.input(target);
    const output = Product["~standard"].jsonSchema!.output(target);
    const inputDef = (input.$defs as Record<string, Record<string, unknown>>).Product!;
    const outputDef = (output.$defs as Record<string, Record<string, unknown>>).Product!;
    expect(input.$ref).toBe("#/$defs/Product");
    expect(Object.keys(inputDef.properties as object)).toEqual(["name", "price", "discount_percent"]);
    expect(inputDef.required).toEqual(["name", "price"]);
    expect(outputDef.properties).toMatchObject({
      discounted_price: { type: "number", readOnly: true },
      on_sale: { type: "boolean", readOnly: true },
    });
    expect(outputDef.required).toEqual(["name", "price", "discount_percent", "discounted_price", "on_sale"]);
  });

  it("documents Product-Input for the request and Product-Output for the response", async () => {
    const doc = app.openapi();
    await expectValidOpenAPI(doc);
    const op = doc.paths!["/products"]!.post!;
    expect(op.requestBody).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/Product-Input" } } } });
    expect(op.responses!["200"]).toMatchObject({ content: { "application/json": { schema: { $ref: "#/components/schemas/Product-Output" } } } });
    const schemas = doc.components!.schemas!;
    expect(Object.keys(schemas["Product-Input"]!.properties as object)).toEqual(["name", "price", "discount_percent"]);
    expect(schemas["Product-Output"]!.properties).toMatchObject({ on_sale: { type: "boolean", readOnly: true } });
    expect(schemas.UserRegistration!.required).toEqual(["username", "password", "confirm_password", "email"]);
  });
});
