import { describe, expect, it } from "vitest";
import { app } from "../../examples/seed/51-error-envelope.ts";
import { TestClient } from "../../src/testing/index.ts";

// The seed's comment omits `details`, but its model_dump() sends it as null; so does the port.
describe("seed 51: error envelope", () => {
  const client = new TestClient(app);

  it("a found item is a normal response", async () => {
    expect((await client.get("/items/1")).json()).toEqual({ id: 1, name: "Widget" });
  });

  it("404 becomes {error_code: NOT_FOUND, message, details: null}", async () => {
    const res = await client.get("/items/2");
    expect(res.status).toBe(404);
    expect(res.json()).toEqual({ error_code: "NOT_FOUND", message: "Item not found", details: null });
  });

  it("422 becomes {error_code: VALIDATION_ERROR, message, details: [...]}", async () => {
    const res = await client.get("/items/abc");
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({
      error_code: "VALIDATION_ERROR",
      message: "Request validation failed",
      details: [
        { type: "int_parsing", loc: ["path", "item_id"], msg: "Input should be a valid integer, unable to parse string as an integer", input: "abc" },
      ],
    });
  });

  it("routing errors use the envelope too", async () => {
    expect((await client.get("/nowhere")).json()).toEqual({ error_code: "NOT_FOUND", message: "Not Found", details: null });
    const res = await client.post("/items/1");
    expect(res.status).toBe(405);
    expect(res.json()).toEqual({ error_code: "HTTP_ERROR", message: "Method Not Allowed", details: null });
    expect(res.header("allow")).toBe("GET, HEAD");
  });
});
