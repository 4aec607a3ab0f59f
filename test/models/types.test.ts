/** Types: what handlers receive from models and may return for them (checked by `tsc --noEmit` and vitest). */
import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { App, Body, field, model, toCamel, type ModelOutput, type ModelReturns } from "../../src/index.ts";

const Address = model({ street: z.string() });
const Item = model(
  {
    item_id: field(z.int(), { alias: "ItemID" }),
    price: z.number(),
    tax: z.number().default(10.5),
    note: z.string().optional(),
    address: Address.nullable(),
    tags: Address.array(),
  },
  { aliasGenerator: toCamel },
).computed({ total: { schema: z.number(), get: (v) => v.price + v.tax } });

describe("model types", () => {
  it("the handler receives field names; defaults are present, optional fields optional", () => {
    expectTypeOf<ModelOutput<typeof Item.shape>>().toEqualTypeOf<{
      item_id: number;
      price: number;
      tax: number;
      address: { street: string } | null;
      tags: { street: string }[];
      note?: string | undefined;
    }>();
  });

  it("a handler may leave out defaulted fields when returning a response model", () => {
    expectTypeOf<ModelReturns<typeof Item.shape>>().toEqualTypeOf<{
      item_id: number;
      price: number;
      address: { street: string } | null;
      tags: { street: string }[];
      tax?: number | undefined;
      note?: string | undefined;
    }>();
  });

  it("routes type Body(Model) and the handler's return value", () => {
    const app = new App();
    app.post("/", { params: { item: Body(Item) }, response: Item }, ({ item }) => {
      expectTypeOf(item.item_id).toEqualTypeOf<number>();
      return item;
    });
    app.get("/", { response: Item.array() }, () => [{ item_id: 1, price: 2, address: null, tags: [] }]);
    // @ts-expect-error price is missing
    app.get("/bad", { response: Item }, () => ({ item_id: 1, address: null, tags: [] }));
    app.patch("/", { params: { patch: Body(Item.partial()) } }, ({ patch }) => {
      expectTypeOf(patch.price).toEqualTypeOf<number | undefined>();
      return null;
    });
  });
});
