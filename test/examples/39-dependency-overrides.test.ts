import { afterEach, describe, expect, it, vi } from "vitest";
import { app, fakeCurrentUser, FakeDB, fakeGetDb, getCurrentUser, getDb } from "../../examples/seed/39-dependency-overrides.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("seed 39: dependency overrides", () => {
  const client = new TestClient(app);
  // FastAPI: app.dependency_overrides.clear() in a cleanup function.
  afterEach(() => app.dependencyOverrides.clear());

  it("without overrides the real auth refuses with 401", async () => {
    const res = await client.get("/profile");
    expect(res.status).toBe(401);
    expect(res.json()).toEqual({ detail: "Not authenticated" });
  });

  it("overrides replace auth and the database", async () => {
    // FastAPI: app.dependency_overrides[get_current_user] = fake_current_user
    app.dependencyOverrides.set(getCurrentUser, fakeCurrentUser);
    app.dependencyOverrides.set(getDb, fakeGetDb);
    const res = await client.get("/profile");
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ username: "testuser", email: "test@example.com" });
    expect(new FakeDB().query()).toEqual([]);
  });

  it("overriding auth alone reaches the real database, which fails (a logged 500)", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      app.dependencyOverrides.set(getCurrentUser, fakeCurrentUser);
      const res = await client.get("/profile");
      expect(res.status).toBe(500);
      expect(res.json()).toEqual({ detail: "Internal Server Error" });
      expect(logged).toHaveBeenCalledWith("Unhandled error in GET /profile", expect.objectContaining({ message: "Real DB not available in tests" }));
    } finally {
      logged.mockRestore();
    }
  });

  it("clear() restores the 401", async () => {
    app.dependencyOverrides.set(getCurrentUser, fakeCurrentUser);
    app.dependencyOverrides.set(getDb, fakeGetDb);
    expect((await client.get("/profile")).status).toBe(200);
    app.dependencyOverrides.clear();
    expect((await client.get("/profile")).status).toBe(401);
  });
});
