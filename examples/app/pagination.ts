/**
 * Cursor pagination (seed example 50): the cursor is an opaque bookmark — base64url of `{"id": N}`, the last item
 * of the page — and the next page is `WHERE id > N ORDER BY id LIMIT n + 1`: the same cost at any depth, and no
 * skipped or repeated rows when items are added meanwhile (offset pages have both problems).
 */
import { z } from "zod";
import { Depends, Query, type Dependency } from "../../src/index.ts";
import { apiError } from "./db/errors.ts";

export function encodeCursor(id: number): string {
  return Buffer.from(JSON.stringify({ id })).toString("base64url");
}

/** The id in a cursor; a cursor this app did not make is a 422, not a silent restart from the first page. */
export function decodeCursor(cursor: string): number {
  try {
    const id: unknown = (JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { id?: unknown } | null)?.id;
    if (Number.isSafeInteger(id) && (id as number) >= 0) return id as number;
  } catch {
    // fall through
  }
  throw apiError(422, "INVALID_CURSOR", "The cursor is not one this API returned: pass `next_cursor` from the previous page, or omit it", [
    { loc: ["query", "cursor"], input: cursor },
  ]);
}

/** `?cursor=&limit=` as `{ afterId, limit }`. */
export const cursorPage: Dependency<{ afterId: number; limit: number }> = Depends(
  {
    cursor: Query(z.string().max(200).optional(), { description: "`next_cursor` of the previous page; omit for the first page" }),
    limit: Query(z.int().min(1).max(100).default(20), { description: "Page size (1–100)" }),
  },
  function cursorPage({ cursor, limit }) {
    return { afterId: cursor === undefined ? 0 : decodeCursor(cursor), limit };
  },
);
