import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { app, output } from "../../examples/seed/29-nested-dependencies.ts";
import { TestClient } from "../../src/testing/index.ts";
import { eventually } from "../core/helpers.ts";

describe("seed 29: nested dependencies", () => {
  const client = new TestClient(app);
  const lines: string[] = [];
  const original = output.print;
  beforeEach(() => {
    lines.length = 0;
    output.print = (line) => void lines.push(line);
  });
  afterEach(() => {
    output.print = original;
  });

  it("injects the same connection into both repositories", async () => {
    const res = await client.get("/orders/user/7");
    expect(res.json()).toEqual({ user_id: 7, user_repo: "UserRepo", order_repo: "OrderRepo", same_db: true });
  });

  it("opens the connection once per request and closes it after the response", async () => {
    // Teardown runs after the response is sent: wait for it before the next request.
    await client.get("/orders/user/1");
    await eventually(() => lines.length === 2);
    await client.get("/orders/user/2");
    await eventually(() => lines.length === 4);
    expect(lines).toEqual([
      "[DB] Opened connection to postgresql://localhost/mydb",
      "[DB] Closed connection to postgresql://localhost/mydb",
      "[DB] Opened connection to postgresql://localhost/mydb",
      "[DB] Closed connection to postgresql://localhost/mydb",
    ]);
  });

  it("opens no connection when the path parameter is invalid", async () => {
    // The handler's own parameters are validated before any dependency runs (FastAPI would open and close one).
    const res = await client.get("/orders/user/abc");
    expect(res.status).toBe(422);
    expect(res.json().detail[0].loc).toEqual(["path", "user_id"]);
    await client.get("/orders/user/1");
    await eventually(() => lines.length === 2);
    expect(lines).toEqual([
      "[DB] Opened connection to postgresql://localhost/mydb",
      "[DB] Closed connection to postgresql://localhost/mydb",
    ]);
  });
});
