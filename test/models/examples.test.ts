/** The model examples under examples/models/: partial updates (PATCH) and responses from ORM rows. */
import { beforeEach, describe, expect, it } from "vitest";
import { accounts, app as ormApp } from "../../examples/models/orm-responses.ts";
import { app as patchApp, items, reset } from "../../examples/models/partial-updates.ts";
import { TestClient } from "../../src/testing/index.ts";
import { expectValidOpenAPI } from "../openapi/validate.ts";

describe("examples/models/partial-updates: PATCH applies only what was sent", () => {
  const client = new TestClient(patchApp);
  beforeEach(reset);

  it("GET fills in defaults; GET …/sparse sends only the stored keys (excludeUnset)", async () => {
    expect((await client.get("/items/foo")).json()).toEqual({ name: "Foo", description: null, price: 50.2, tax: 10.5, tags: [] });
    expect((await client.get("/items/foo/sparse")).json()).toEqual({ name: "Foo", price: 50.2 });
    expect((await client.get("/items/bar/sparse")).json()).toEqual({ name: "Bar", description: "The bartenders", price: 62, tax: 20.2 });
  });

  it("PATCH with Item.partial() changes the sent fields and keeps the others (tax stays 20.2, not the 10.5 default)", async () => {
    const res = await client.patch("/items/bar", { json: { name: "Barz", price: 3 } });
    expect(res.json()).toEqual({ name: "Barz", description: "The bartenders", price: 3, tax: 20.2, tags: [] });
    expect(items.get("bar")).toEqual({ name: "Barz", description: "The bartenders", price: 3, tax: 20.2 });
  });

  it("PATCH /v2 with the full model and pickFieldsSet: defaults the client did not send are not applied", async () => {
    const res = await client.patch("/v2/items/bar", { json: { tags: ["x"] } });
    expect(res.json()).toEqual({ name: "Bar", description: "The bartenders", price: 62, tax: 20.2, tags: ["x"] });
    expect(items.get("bar")).toEqual({ name: "Bar", description: "The bartenders", price: 62, tax: 20.2, tags: ["x"] });
  });

  it("an explicit null is a sent value; a bad value is a 422 at its field; an unknown item a 404", async () => {
    expect((await client.patch("/items/foo", { json: { price: null } })).json().price).toBeNull();
    const bad = await client.patch("/items/foo", { json: { tax: "high" } });
    expect(bad.status).toBe(422);
    expect(bad.json().detail[0]).toMatchObject({ loc: ["body", "tax"], input: "high" });
    expect((await client.patch("/items/nope", { json: {} })).status).toBe(404);
  });

  it("documents ItemUpdate with nothing required and no defaults", async () => {
    const doc = patchApp.openapi();
    await expectValidOpenAPI(doc);
    const update = doc.components!.schemas!.ItemUpdate!;
    expect(update.required).toBeUndefined();
    expect(update.properties).toMatchObject({ tax: { type: "number" } });
    expect((update.properties as Record<string, object>).tax).not.toHaveProperty("default");
  });
});

describe("examples/models/orm-responses: entities, getters and values JSON has no type for", () => {
  const client = new TestClient(ormApp);

  it("reads the entity's getters, sends only the model's fields, by alias, with each value in its wire form", async () => {
    const res = await client.get("/accounts/1");
    expect(res.status).toBe(200);
    expect(res.text).toBe('{"id":9007199254740993,"ownerName":"Ada","balance":"1234.50","openedAt":"2019-03-04T05:06:07.890Z","avatar":"iVBORw==","yearsOpen":7}');
    expect(res.text).not.toContain("argon2");
    expect(accounts.get("1")!.id).toBe(9007199254740993n);
  });

  it("without a response model: Sets as lists, Maps as objects, same dates, bigints and bytes", async () => {
    expect((await client.get("/accounts/1/raw")).text).toBe(
      '{"id":9007199254740993,"opened_at":"2019-03-04T05:06:07.890Z","avatar":"iVBORw==","tags":["vip"],"limits":{"daily":500}}',
    );
  });

  it("documents each wire form", async () => {
    const doc = ormApp.openapi();
    await expectValidOpenAPI(doc);
    expect(doc.components!.schemas!.Account!.properties).toEqual({
      id: { type: "integer", format: "int64" },
      ownerName: { type: "string" },
      balance: { type: "string", format: "decimal", pattern: "^-?\\d+(\\.\\d+)?$" },
      openedAt: { type: "string", format: "date-time" },
      avatar: { type: "string", contentEncoding: "base64" },
      yearsOpen: { type: "integer", readOnly: true },
    });
  });
});
