import { describe, expect, it } from "vitest";
import { app, getCurrentAdmin } from "../../examples/seed/45-api-router.ts";
import { HTTPException } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("seed 45: Router", () => {
  const client = new TestClient(app);

  it("registers GET /users/ and GET /users/{user_id}", async () => {
    expect((await client.get("/users/")).json()).toEqual([
      { id: 1, username: "alice", email: "alice@example.com", active: true },
      { id: 2, username: "bob", email: "bob@example.com", active: true },
    ]);
    expect((await client.get("/users/2")).json()).toEqual({ id: 2, username: "bob", email: "bob@example.com", active: true });
    const missing = await client.get("/users/99");
    expect([missing.status, missing.json()]).toEqual([404, { detail: "User not found" }]);
    expect((await client.get("/users", { followRedirects: false })).header("location")).toBe("/users/");
  });

  it("applies the admin dependency to both routes", async () => {
    using _ = app.dependencyOverrides.set(getCurrentAdmin, () => {
      throw new HTTPException(403, "Not authorized");
    });
    expect((await client.get("/users/")).status).toBe(403);
    expect((await client.get("/users/1")).status).toBe(403);
  });

  it("tags both operations and documents 401 and 403 on each", async () => {
    const paths = (await client.get("/openapi.json")).json().paths;
    for (const op of [paths["/users/"].get, paths["/users/{user_id}"].get]) {
      expect(op.tags).toEqual(["users"]);
      expect(op.responses["401"]).toEqual({ description: "Not authenticated" });
      expect(op.responses["403"]).toEqual({ description: "Not authorized" });
    }
  });
});
