import { beforeEach, describe, expect, it } from "vitest";
import { app, paginate, rateLimit } from "../../examples/seed/28-class-dependencies.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("seed 28: class-based dependencies", () => {
  const client = new TestClient(app);
  beforeEach(() => rateLimit.requests.clear());

  it("paginates with the instance's defaults", async () => {
    expect((await client.get("/items")).json()).toEqual({ items: [], skip: 0, limit: 20 });
    expect((await client.get("/items?skip=10&limit=50")).json()).toEqual({ items: [], skip: 10, limit: 50 });
  });

  it("refuses limit > 50 with 400 'limit cannot exceed 50'", async () => {
    const res = await client.get("/items?limit=51");
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({ detail: "limit cannot exceed 50" });
    expect(paginate.maxLimit).toBe(50);
  });

  it("lets five requests through and answers the 6th with 429 'Too many requests'", async () => {
    for (let i = 0; i < 5; i++) expect((await client.get("/items")).status).toBe(200);
    const sixth = await client.get("/items");
    expect(sixth.status).toBe(429);
    expect(sixth.json()).toEqual({ detail: "Too many requests" });
    expect(rateLimit.requests.get("127.0.0.1")).toBe(5);
  });

  it("counts per client address, with state shared across requests", async () => {
    const other = new TestClient(app, { remoteAddress: "10.0.0.2" });
    for (let i = 0; i < 5; i++) await client.get("/items");
    expect((await other.get("/items")).status).toBe(200);
    expect(rateLimit.requests.get("10.0.0.2")).toBe(1);
  });

  it("a refused page is not counted (pagination runs first, as in the seed)", async () => {
    await client.get("/items?limit=99");
    expect(rateLimit.requests.size).toBe(0);
  });
});
