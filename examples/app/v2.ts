/**
 * `/v2`: the current catalog shape — prices with their currency, and links — with its own docs at `/v2/docs`.
 * Same data as `/v1`, read through the same repositories: only the wire format differs.
 */
import { z } from "zod";
import { App, Path } from "../../src/index.ts";
import { getItem, itemsAfter, type ItemView } from "./db/items.ts";
import type { AppDeps } from "./deps.ts";
import { installErrorEnvelope } from "./errors.ts";
import { cursorPage, encodeCursor } from "./pagination.ts";

const ItemV2 = z
  .object({
    id: z.int(),
    name: z.string(),
    description: z.string().nullable(),
    price: z.object({ amount: z.string().meta({ description: "Decimal string, exact", example: "9.99" }), currency: z.string() }),
    links: z.object({ self: z.string() }),
  })
  .meta({ id: "ItemV2" });

const ItemPageV2 = z.object({ data: z.array(ItemV2), next_cursor: z.string().nullable() }).meta({ id: "ItemPageV2" });

export function createV2(deps: AppDeps): App {
  const v2 = new App({ title: "Typefast Shop — API v2", version: "2.0.0", description: "The current version of the public catalog.", logger: deps.services.logger });
  installErrorEnvelope(v2, deps.services.logger);
  const view = (item: ItemView) => ({
    id: item.id,
    name: item.name,
    description: item.description,
    price: { amount: item.price.toFixed(2), currency: "EUR" },
    links: { self: `${v2.rootPath}/items/${item.id}` },
  });

  v2.get("/items", { params: { page: cursorPage, db: deps.database }, response: ItemPageV2, tags: ["items"] }, async function listItemsV2({ page, db }) {
    const { items, hasMore } = await itemsAfter(db, page.afterId, page.limit);
    return { data: items.map(view), next_cursor: hasMore ? encodeCursor(items.at(-1)!.id) : null };
  });

  v2.get("/items/{item_id}", { params: { item_id: Path(z.int().min(1)), db: deps.database }, response: ItemV2, tags: ["items"] }, async function readItemV2({ item_id, db }) {
    return view(await getItem(db, item_id));
  });
  return v2;
}
