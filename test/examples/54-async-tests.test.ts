import { afterEach, beforeEach, describe, expect, it, test as base } from "vitest";
import { app } from "../../examples/seed/54-async-tests.ts";
import { TestClient } from "../../src/testing/index.ts";

// FastAPI: httpx.AsyncClient(transport=ASGITransport(app=app)) + pytest-asyncio. Typefast's client is async.
describe("seed 54: async tests", () => {
  it("test_get_item", async () => {
    const client = await new TestClient(app, { baseUrl: "http://test" }).start();
    const response = await client.get("/items/42");
    expect(response.status).toBe(200);
    const data = response.json();
    expect(data.id).toBe(42);
    expect(data.name).toBe("item-42");
    await client.stop();
  });

  it("test_create_item", async () => {
    const client = await new TestClient(app, { baseUrl: "http://test" }).start();
    const response = await client.post("/items", { json: { id: 1, name: "Widget" } });
    expect(response.status).toBe(201);
    expect(response.json().name).toBe("Widget");
    expect((await client.post("/items", { json: { id: "one", name: "Widget" } })).status).toBe(422);
    await client.stop();
  });
});

// The seed's `async_client` fixture, as a vitest fixture: set up before the test, torn down after it.
const test = base.extend<{ asyncClient: TestClient }>({
  asyncClient: async ({}, use) => {
    const client = await new TestClient(app, { baseUrl: "http://test" }).start();
    await use(client);
    await client.stop();
  },
});

describe("seed 54: a reusable client fixture", () => {
  test("test_using_fixture", async ({ asyncClient }) => {
    const response = await asyncClient.get("/items/1");
    expect(response.status).toBe(200);
    expect(response.url).toBe("http://test/items/1");
  });

  test("concurrent requests through one client", async ({ asyncClient }) => {
    const responses = await Promise.all([1, 2, 3, 4, 5].map((id) => asyncClient.get(`/items/${id}`)));
    expect(responses.map((r) => r.json().name)).toEqual(["item-1", "item-2", "item-3", "item-4", "item-5"]);
  });
});

describe("seed 54: the same fixture with beforeEach", () => {
  let client: TestClient;
  beforeEach(async () => {
    client = await new TestClient(app, { baseUrl: "http://test" }).start();
  });
  afterEach(() => client.stop());

  it("uses the client prepared for it", async () => {
    expect((await client.get("/items/7")).json()).toEqual({ id: 7, name: "item-7" });
  });
});
