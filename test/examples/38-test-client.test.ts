import { beforeEach, describe, expect, it } from "vitest";
import { app, resetItems } from "../../examples/seed/38-test-client.ts";
import { TestClient } from "../../src/testing/index.ts";

// The seed's four tests. FastAPI's TestClient is synchronous; Typefast's is awaited.
describe("seed 38: testing with TestClient", () => {
  const client = new TestClient(app);
  beforeEach(resetItems);

  it("test_get_existing_item", async () => {
    const response = await client.get("/items/1");
    expect(response.status).toBe(200);
    const data = response.json();
    expect(data.name).toBe("Widget");
    expect(data.price).toBe(9.99);
    expect(data).toEqual({ name: "Widget", price: 9.99, description: null });
  });

  it("test_get_nonexistent_item", async () => {
    const response = await client.get("/items/999");
    expect(response.status).toBe(404);
    expect(response.json().detail).toBe("Item not found");
  });

  it("test_create_item", async () => {
    const response = await client.post("/items", { json: { name: "Gadget", price: 49.99 } });
    expect(response.status).toBe(201);
    const data = response.json();
    expect(data.name).toBe("Gadget");
    expect(data).toHaveProperty("id");
    expect(data).toEqual({ id: 2, name: "Gadget", price: 49.99, description: null });
    expect((await client.get("/items/2")).json().name).toBe("Gadget");
  });

  it("test_create_item_validation_error", async () => {
    const response = await client.post("/items", { json: { name: "Bad" } });
    expect(response.status).toBe(422);
    const errors: Array<{ loc: unknown[] }> = response.json().detail;
    expect(errors.some((e) => JSON.stringify(e.loc) === JSON.stringify(["body", "price"]))).toBe(true);
  });
});
