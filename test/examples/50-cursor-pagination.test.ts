import { describe, expect, it } from "vitest";
import { app, decodeCursor, encodeCursor } from "../../examples/seed/50-cursor-pagination.ts";
import { TestClient } from "../../src/testing/index.ts";

const ids = (body: { items: Array<{ id: number }> }) => body.items.map((i) => i.id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe("seed 50: cursor pagination", () => {
  const client = new TestClient(app);

  it("returns pages of 10 with the seed's cursor for item 10", async () => {
    const body = (await client.get("/items/cursor-paginated")).json();
    expect(ids(body)).toEqual(range(1, 10));
    expect(body.items[0]).toEqual({ id: 1, name: "Item 1", created_at: 1000 });
    expect(body).toMatchObject({ has_more: true, next_cursor: "eyJpZCI6IDEwfQ==" });
  });

  it("the next cursor round-trips to the next page", async () => {
    const first = (await client.get("/items/cursor-paginated")).json();
    const second = (await client.get("/items/cursor-paginated", { params: { cursor: first.next_cursor } })).json();
    expect(ids(second)).toEqual(range(11, 20));
    expect(decodeCursor(second.next_cursor)).toBe(20);
  });

  it("walks the whole list; the last page has has_more false and no cursor", async () => {
    const seen: number[] = [];
    let cursor: string | undefined;
    let pages = 0;
    for (;;) {
      const body = (await client.get("/items/cursor-paginated", { params: { cursor, limit: 30 } })).json();
      pages++;
      seen.push(...ids(body));
      if (!body.has_more) {
        expect(body.next_cursor).toBeNull();
        break;
      }
      cursor = body.next_cursor;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(range(1, 100));
  });

  it("an exactly full last page says has_more false", async () => {
    const body = (await client.get("/items/cursor-paginated", { params: { cursor: encodeCursor(90) } })).json();
    expect(ids(body)).toEqual(range(91, 100));
    expect(body).toMatchObject({ has_more: false, next_cursor: null });
  });

  it("an invalid cursor starts from the beginning", async () => {
    for (const cursor of ["garbage!!", Buffer.from('{"id": "x"}').toString("base64"), Buffer.from("[]").toString("base64")]) {
      expect(ids((await client.get("/items/cursor-paginated", { params: { cursor } })).json())).toEqual(range(1, 10));
    }
  });

  it("limit is bounded to 1..50", async () => {
    expect(ids((await client.get("/items/cursor-paginated?limit=1")).json())).toEqual([1]);
    expect(ids((await client.get("/items/cursor-paginated?limit=50")).json())).toHaveLength(50);
    const zero = await client.get("/items/cursor-paginated?limit=0");
    expect(zero.status).toBe(422);
    expect(zero.json().detail[0]).toMatchObject({ type: "greater_than_equal", loc: ["query", "limit"], ctx: { ge: 1 } });
    const big = await client.get("/items/cursor-paginated?limit=51");
    expect(big.status).toBe(422);
    expect(big.json().detail[0]).toMatchObject({ type: "less_than_equal", loc: ["query", "limit"], ctx: { le: 50 } });
  });
});
