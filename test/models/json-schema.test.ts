/**
 * The JSON Schemas the OpenAPI generator reads (`CompiledSchema.inputJsonSchema()` / `.outputJsonSchema()`): input
 * is what a request may send, output what a response carries — aliases, computed fields, route options applied.
 */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { App, Body, field, model, toCamel, type SerializeOptions, type StandardSchemaV1 } from "../../src/index.ts";
import { compileSchema } from "../../src/schema/compile.ts";
import { expectValidOpenAPI } from "../openapi/validate.ts";

const URI = "https://json-schema.org/draft/2020-12/schema";
const input = (s: StandardSchemaV1) => compileSchema(s, "test").inputJsonSchema();
const output = (s: StandardSchemaV1) => compileSchema(s, "test").outputJsonSchema();
/** The JSON Schema a route's response is documented with. */
function routeOutput(response: StandardSchemaV1, responseOptions?: SerializeOptions) {
  const app = new App();
  const route = app.get("/", { response, responseOptions }, () => null as never);
  return route.responseModel!.outputJsonSchema();
}

const Address = model({ street_name: z.string(), zip_code: z.string().optional() }, { id: "Address", aliasGenerator: toCamel });
const Customer = model(
  {
    customer_id: field(z.int(), { alias: "CustomerID" }),
    full_name: z.string().meta({ description: "As printed on the card" }),
    vip: z.boolean().default(false),
    nickname: z.string().nullable().optional(),
    address: Address,
    old_addresses: Address.array(),
    password: field(z.string(), { exclude: true }),
  },
  { id: "Customer", aliasGenerator: toCamel, title: "Customer", description: "A customer" },
).computed({ display_name: { schema: z.string(), get: (c) => c.full_name.toUpperCase() } });

describe("a model's own JSON Schemas", () => {
  it("input: aliases, request-required fields, no computed or excluded-from-output distinction, nested models in $defs", () => {
    expect(input(Customer)).toEqual({
      $schema: URI,
      $ref: "#/$defs/Customer",
      $defs: {
        Address: {
          type: "object",
          properties: { streetName: { type: "string" }, zipCode: { type: "string" } },
          required: ["streetName"],
        },
        Customer: {
          type: "object",
          title: "Customer",
          description: "A customer",
          properties: {
            CustomerID: { type: "integer", minimum: -9007199254740991, maximum: 9007199254740991 },
            fullName: { type: "string", description: "As printed on the card" },
            vip: { type: "boolean", default: false },
            nickname: { type: ["string", "null"] },
            address: { $ref: "#/$defs/Address" },
            oldAddresses: { type: "array", items: { $ref: "#/$defs/Address" } },
            password: { type: "string" },
          },
          required: ["CustomerID", "fullName", "address", "oldAddresses", "password"],
        },
      },
    });
  });

  it("output: the serialized form — defaults required, optional fields not, computed readOnly, excluded fields gone", () => {
    const doc = output(Customer);
    const def = (doc.$defs as Record<string, Record<string, unknown>>).Customer!;
    expect(Object.keys(def.properties as object)).toEqual(["CustomerID", "fullName", "vip", "nickname", "address", "oldAddresses", "displayName"]);
    expect((def.properties as Record<string, unknown>).displayName).toEqual({ type: "string", readOnly: true });
    expect(def.required).toEqual(["CustomerID", "fullName", "vip", "address", "oldAddresses", "displayName"]);
    expect(def.additionalProperties).toBe(false);
    expect((doc.$defs as Record<string, Record<string, unknown>>).Address!.additionalProperties).toBe(false);
  });

  it("extra: 'forbid' closes the input too; 'allow' opens the output", () => {
    expect(input(model({ a: z.int() }, { extra: "forbid" })).additionalProperties).toBe(false);
    expect(output(model({ a: z.int() }, { extra: "allow" })).additionalProperties).toEqual({});
    expect(input(model({ a: z.int() })).additionalProperties).toBeUndefined();
  });

  it("partial(): nothing required, defaults not documented (none are applied)", () => {
    const Item = model({ name: z.string(), tax: z.number().default(10.5) });
    expect(input(Item.partial())).toEqual({ $schema: URI, type: "object", properties: { name: { type: "string" }, tax: { type: "number" } } });
  });

  it("wrappers: list, optional and nullable", () => {
    const Tag = model({ tag_name: z.string() }, { aliasGenerator: toCamel });
    const body = { type: "object", properties: { tagName: { type: "string" } }, required: ["tagName"] };
    expect(input(Tag.array())).toEqual({ $schema: URI, type: "array", items: body });
    expect(input(Tag.nullable())).toEqual({ $schema: URI, anyOf: [body, { type: "null" }] });
    expect(input(Tag.optional())).toEqual({ $schema: URI, ...body });
  });
});

describe("a route's documented response", () => {
  it("is the model's output schema by default (named, so shared in components)", () => {
    expect(routeOutput(Customer)).toEqual(output(Customer));
    expect(routeOutput(Customer.array())).toMatchObject({ type: "array", items: { $ref: "#/$defs/Customer" } });
  });

  it("byAlias: false documents field names, inline (it is not the model's own serialized form)", () => {
    const doc = routeOutput(Customer, { byAlias: false });
    expect(doc.$ref).toBeUndefined();
    expect(Object.keys(doc.properties as object)).toEqual(["customer_id", "full_name", "vip", "nickname", "address", "old_addresses", "display_name"]);
    expect((doc.properties as Record<string, unknown>).address).toMatchObject({ properties: { street_name: { type: "string" } } });
  });

  it("include / exclude remove properties; excludeUnset and excludeDefaults make fields optional; excludeNone makes nullable ones optional", () => {
    expect(Object.keys(routeOutput(Customer, { include: ["full_name", "display_name"] }).properties as object)).toEqual(["fullName", "displayName"]);
    expect(Object.keys(routeOutput(Customer.array(), { exclude: ["address"] }).items as object)).toContain("properties");
    expect(((routeOutput(Customer.array(), { exclude: ["address", "old_addresses"] }).items as Record<string, unknown>).required)).toEqual(["CustomerID", "fullName", "vip", "displayName"]);
    expect(routeOutput(Customer, { excludeUnset: true }).required).toEqual(["displayName"]);
    const Nullable = model({ a: z.string().nullable(), b: z.string() });
    expect(routeOutput(Nullable, { excludeNone: true }).required).toEqual(["b"]);
  });

  it("plain zod response models with options are filtered the same way", () => {
    const Plain = z.object({ name: z.string(), note: z.string().nullable(), tax: z.number().default(1) }).meta({ id: "Plain" });
    const doc = routeOutput(Plain, { exclude: ["tax"], excludeNone: true });
    expect(doc).toMatchObject({ type: "object", properties: { name: { type: "string" }, note: {} }, required: ["name"] });
    expect((doc.properties as object)).not.toHaveProperty("tax");
    expect(routeOutput(z.array(Plain), { include: ["name"] })).toMatchObject({ type: "array", items: { properties: { name: { type: "string" } } } });
  });
});

describe("the OpenAPI document", () => {
  it("documents aliased request and response models, computed fields and extra responses", async () => {
    const app = new App();
    app.post("/customers", {
      params: { customer: Body(Customer) },
      response: Customer,
      responses: { 409: { description: "Conflict", model: model({ existing_id: z.int() }, { aliasGenerator: toCamel, id: "Conflict" }) } },
    }, ({ customer }) => customer);
    const doc = app.openapi();
    await expectValidOpenAPI(doc);
    const schemas = doc.components!.schemas!;
    expect(Object.keys(schemas).sort()).toEqual(["Address", "Conflict", "Customer-Input", "Customer-Output", "HTTPValidationError", "ValidationError"]);
    expect(schemas["Customer-Input"]!.properties).not.toHaveProperty("displayName");
    expect(schemas["Customer-Output"]!.properties).toHaveProperty("displayName", { type: "string", readOnly: true });
    expect(schemas["Customer-Output"]!.properties).not.toHaveProperty("password");
    expect(schemas.Conflict!.properties).toEqual({ existingId: { type: "integer" } });
  });
});
