/**
 * Seed example 50 — cursor-based pagination.
 *
 * The cursor is an opaque bookmark (base64 of `{"id": N}`, the last item returned); the next page starts after
 * it, so a page costs the same at any depth (`WHERE id > N LIMIT n + 1` in SQL).
 */
import { z } from "zod";
import { App, Query } from "../../src/index.ts";

/** 100 items with ids 1..100. */
export const items = Array.from({ length: 100 }, (_, i) => ({ id: i + 1, name: `Item ${i + 1}`, created_at: (i + 1) * 1000 }));

export const PaginatedResponse = z.object({
  items: z.array(z.record(z.string(), z.unknown())),
  next_cursor: z.string().nullable().default(null),
  has_more: z.boolean(),
});

/** `{"id": 42}` (spaced as Python's json.dumps writes it) in base64. */
export function encodeCursor(itemId: number): string {
  return Buffer.from(`{"id": ${itemId}}`).toString("base64");
}

/** The id in a cursor, or `null` for anything that is not one (the list then starts from the beginning). */
export function decodeCursor(cursor: string): number | null {
  try {
    const payload: unknown = JSON.parse(Buffer.from(cursor, "base64").toString("utf8"));
    const id = (payload as { id?: unknown } | null)?.id;
    // The seed trusts any `id`; a non-integer one would crash its comparison, so it counts as invalid here.
    return Number.isInteger(id) ? (id as number) : null;
  } catch {
    return null;
  }
}

export const app = new App({ title: "Cursor pagination" });

app.get("/items/cursor-paginated", {
  params: {
    cursor: Query(z.string().optional(), { description: "Pagination cursor from previous response" }),
    limit: Query(z.int().min(1).max(50).default(10)),
  },
  response: PaginatedResponse,
}, ({ cursor, limit }) => {
  const startId = cursor === undefined ? 0 : (decodeCursor(cursor) ?? 0);
  // One extra item tells whether another page exists.
  const page = items.filter((item) => item.id > startId).slice(0, limit + 1);
  const hasMore = page.length > limit;
  const resultItems = page.slice(0, limit);
  const last = resultItems.at(-1);
  return {
    items: resultItems,
    next_cursor: hasMore && last !== undefined ? encodeCursor(last.id) : null,
    has_more: hasMore,
  };
});
