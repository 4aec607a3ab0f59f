/**
 * `/v1`: the first, frozen version of the public catalog (seed example 44). A complete app of its own — routes,
 * error handlers and docs at `/v1/docs` — mounted by the root app; old clients keep working while v2 evolves.
 */
import { z } from "zod";
import { App, Path } from "../../src/index.ts";
import { getItem, itemsPage } from "./db/items.ts";
import type { AppDeps } from "./deps.ts";
import { installErrorEnvelope } from "./errors.ts";

const ItemV1 = z.object({ id: z.int(), name: z.string(), price: z.number() }).meta({ id: "ItemV1" });

export function createV1(deps: AppDeps): App {
  const v1 = new App({
    title: "Typefast Shop — API v1",
    version: "1.0.0",
    description: "Frozen: kept for existing clients. New clients use [v2](../v2/docs).",
    logger: deps.services.logger,
  });
  installErrorEnvelope(v1, deps.services.logger);

  v1.get("/items", { params: { page: deps.offsetPage, db: deps.database }, response: z.array(ItemV1), tags: ["items"] }, async function listItemsV1({ page, db }) {
    return (await itemsPage(db, page.skip, page.limit)).items;
  });

  v1.get("/items/{item_id}", { params: { item_id: Path(z.int().min(1)), db: deps.database }, response: ItemV1, tags: ["items"] }, function readItemV1({ item_id, db }) {
    return getItem(db, item_id);
  });
  return v1;
}
