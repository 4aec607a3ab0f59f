import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { app, getRequestId, output } from "../../examples/seed/49-request-context.ts";
import { TestClient } from "../../src/testing/index.ts";

describe("seed 49: request context", () => {
  const client = new TestClient(app);
  const lines: string[] = [];
  const print = output.print;
  beforeEach(() => {
    lines.length = 0;
    output.print = (line) => void lines.push(line);
  });
  afterEach(() => {
    output.print = print;
  });

  it("uses the client's X-Request-ID, echoes it and stamps the logs with its first 8 characters", async () => {
    const res = await client.get("/items/42", { headers: { "X-Request-ID": "a7c3f2e1-5b6d-4c3a-9e8f-0123456789ab" } });
    expect(res.json()).toEqual({ item_id: 42, request_id: "a7c3f2e1-5b6d-4c3a-9e8f-0123456789ab" });
    expect(res.header("x-request-id")).toBe("a7c3f2e1-5b6d-4c3a-9e8f-0123456789ab");
    expect(lines).toEqual(["[a7c3f2e1] Fetching item 42", "[a7c3f2e1] Calling database"]);
  });

  it("generates a UUID when the client sends none", async () => {
    const res = await client.get("/items/1");
    const id = res.json().request_id;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(res.header("x-request-id")).toBe(id);
    expect(lines[0]).toBe(`[${id.slice(0, 8)}] Fetching item 1`);
  });

  it("gives each concurrent request its own id", async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `req${i}-aaaaaaaa`);
    const answers = await Promise.all(ids.map((id, i) => client.get(`/items/${i}`, { headers: { "x-request-id": id } })));
    expect(answers.map((r) => r.json().request_id)).toEqual(ids);
    ids.forEach((id, i) => expect(lines).toContain(`[${id.slice(0, 8)}] Fetching item ${i}`));
  });

  it('reads "unknown" outside a request, like the ContextVar default', () => {
    expect(getRequestId()).toBe("unknown");
  });
});
