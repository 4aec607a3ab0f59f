import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { app, output, sessions } from "../../examples/seed/52-async-generator-dependencies.ts";
import { TestClient } from "../../src/testing/index.ts";
import { eventually } from "../core/helpers.ts";

describe("seed 52: async generator dependencies", () => {
  const client = new TestClient(app);
  const lines: string[] = [];
  const original = output.print;
  beforeEach(() => {
    lines.length = 0;
    sessions.length = 0;
    output.print = (line) => void lines.push(line);
  });
  afterEach(() => {
    output.print = original;
    vi.restoreAllMocks();
  });

  it("gives the handler an open session and closes it after the response", async () => {
    const res = await client.get("/external-data");
    expect(res.json()).toEqual({ url: "https://api.external-service.com/users", data: "response" });
    await eventually(() => sessions[0]?.closed === true);
    expect(lines).toEqual([
      "[Session] Opened connection to https://api.external-service.com",
      "[Session] Closed connection to https://api.external-service.com",
    ]);
  });

  it("closes the session even when the handler raises", async () => {
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await client.get("/external-data/broken");
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ detail: "Internal Server Error" });
    await eventually(() => sessions[0]?.closed === true);
    expect(lines.at(-1)).toBe("[Session] Closed connection to https://api.external-service.com");
  });

  it("a transaction the handler commits is not rolled back", async () => {
    expect((await client.post("/orders")).json()).toEqual({ saved: true });
    await eventually(() => lines.length > 0);
    expect(lines).toEqual(["[TX] Transaction committed"]);
  });

  it("a transaction the handler did not commit is rolled back automatically", async () => {
    expect((await client.post("/orders/draft")).json()).toEqual({ saved: false });
    await eventually(() => lines.length > 0);
    expect(lines).toEqual(["[TX] Transaction rolled back"]);
  });

  it("a handler error rolls the transaction back and still fails the request", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const res = await client.post("/orders/failing");
    expect(res.status).toBe(500);
    expect(lines).toEqual(["[TX] Transaction rolled back"]);
    expect(logged).toHaveBeenCalledWith("Unhandled error in POST /orders/failing", expect.objectContaining({ message: "constraint violated" }));
  });
});
