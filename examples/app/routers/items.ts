/**
 * Items: public reads (cursor and offset pages, a cached detail), writes for signed-in users with a per-user rate
 * limit, and edits reserved to the item's owner or an admin. Writes run in the request's transaction; the cache is
 * invalidated and the "new item" event published only after the commit.
 */
import { z } from "zod";
import { Body, Depends, Path, RateLimiter, Router } from "../../../src/index.ts";
import type { AuthUser } from "../auth.ts";
import { apiError } from "../db/errors.ts";
import { createItem, deleteItem, findItem, getItem, itemNotFound, itemsAfter, itemsPage, updateItem, type ItemView } from "../db/items.ts";
import type { AppDeps } from "../deps.ts";
import type { ItemFeed } from "../feed.ts";
import { ErrorResponse, Item, ItemCreate, ItemCursorPage, ItemOffsetPage, ItemUpdate } from "../models.ts";
import { cursorPage, encodeCursor } from "../pagination.ts";

const itemId = Path(z.int().min(1), { description: "The item's id" });
const notFound = { 404: { description: "No such item", model: ErrorResponse } };
const forbidden = { 403: { description: "Not the owner, nor an admin", model: ErrorResponse } };

function assertMayEdit(item: ItemView, user: AuthUser): void {
  if (item.owner_id !== user.id && !user.roles.includes("admin")) {
    throw apiError(403, "NOT_OWNER", "Only the item's owner or an admin can change it");
  }
}

export function itemsRouter(deps: AppDeps, feed: ItemFeed): Router {
  const { services, database, session, currentUser, requireRole } = deps;
  const cache = services.itemCache;
  const router = new Router({ prefix: "/items", tags: ["items"] });

  const writeLimit = new RateLimiter({
    limit: services.settings.write_rate_limit,
    window: 60,
    key: Depends({ user: currentUser }, function perUser({ user }) {
      return `user:${user.id}`;
    }),
    store: services.rateLimits,
    name: "item-writes",
  });

  router.get("", { params: { page: cursorPage, db: database }, response: ItemCursorPage, summary: "List items (cursor pages)" }, async function listItems({ page, db }) {
    const { items, hasMore } = await itemsAfter(db, page.afterId, page.limit);
    const last = items.at(-1);
    return { items, has_more: hasMore, next_cursor: hasMore && last !== undefined ? encodeCursor(last.id) : null };
  });

  router.get("/offset", { params: { page: deps.offsetPage, db: database }, response: ItemOffsetPage, summary: "List items (offset pages, with a total)" }, async function listItemsByOffset({ page, db }) {
    return { ...(await itemsPage(db, page.skip, page.limit)), ...page };
  });

  router.get(
    "/{item_id}",
    { params: { item_id: itemId, db: database }, response: Item, responses: notFound, summary: "Read an item (cached)" },
    async function readItem({ item_id, db }, ctx) {
      const key = String(item_id);
      const hit = await cache.get(key);
      if (hit !== undefined) {
        ctx.response.setHeader("cache-status", "shop; hit"); // RFC 9211
        return hit;
      }
      const item = await findItem(db, item_id);
      if (item === undefined) throw itemNotFound(item_id); // misses are not cached: the id may exist soon
      await cache.set(key, item);
      ctx.response.setHeader("cache-status", "shop; fwd=miss");
      return item;
    },
  );

  router.post(
    "",
    {
      params: { body: Body(ItemCreate), user: requireRole("user"), s: session },
      dependencies: [Depends(writeLimit)],
      response: Item,
      status: 201,
      summary: "Create an item",
      responses: { 429: { description: "Too many writes", model: ErrorResponse } },
    },
    async function createItemRoute({ body, user, s }, ctx) {
      const item = await createItem(s.db, body, user.id);
      s.afterCommit(() => feed.publish(item)); // subscribers never hear of an item that was rolled back
      ctx.response.setHeader("location", `/items/${item.id}`);
      return item;
    },
  );

  router.patch(
    "/{item_id}",
    {
      params: { item_id: itemId, body: Body(ItemUpdate), user: currentUser, s: session },
      dependencies: [Depends(writeLimit)],
      response: Item,
      responses: { ...notFound, ...forbidden },
      summary: "Change some fields of an item",
      description: "Send only the fields to change; `description: null` clears it.",
    },
    async function patchItem({ item_id, body, user, s }) {
      assertMayEdit(await getItem(s.db, item_id), user);
      const item = await updateItem(s.db, item_id, body);
      s.afterCommit(() => cache.delete(String(item_id)));
      return item;
    },
  );

  router.delete(
    "/{item_id}",
    { params: { item_id: itemId, user: currentUser, s: session }, dependencies: [Depends(writeLimit)], status: 204, responses: { ...notFound, ...forbidden }, summary: "Delete an item" },
    async function deleteItemRoute({ item_id, user, s }) {
      assertMayEdit(await getItem(s.db, item_id), user);
      await deleteItem(s.db, item_id);
      s.afterCommit(() => cache.delete(String(item_id)));
    },
  );

  return router;
}
