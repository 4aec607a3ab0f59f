import { describe, expect, it } from "vitest";
import { Row, createApp } from "../../examples/seed/43-streaming-responses.ts";
import { TestClient } from "../../src/testing/index.ts";
import { expectValidOpenAPI } from "../openapi/validate.ts";

const client = new TestClient(createApp({ rowDelayMs: 0, eventDelayMs: 1 }));

/** Splits an event stream into its events' fields. */
function parseEvents(text: string): Array<Record<string, string>> {
  return text
    .split("\n\n")
    .filter(Boolean)
    .map((block) => Object.fromEntries(block.split("\n").map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 2)])));
}

describe("seed example 43: streaming responses", () => {
  it("GET /stream/data streams 100 rows as NDJSON", async () => {
    const res = await client.get("/stream/data");
    expect(res.status).toBe(200);
    expect(res.header("content-type")).toBe("application/x-ndjson");
    const rows = res.text.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(rows).toHaveLength(100);
    expect(rows[42]).toMatchObject({ id: 42, value: "item-42" });
    for (const row of rows) expect(Row.safeParse(row).success).toBe(true);
  });

  it("GET /stream/events streams ten ticks, then done, as Server-Sent Events", async () => {
    const res = await client.get("/stream/events");
    expect(res.header("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.header("cache-control")).toBe("no-cache");
    expect(res.header("x-accel-buffering")).toBe("no");
    const events = parseEvents(res.text);
    expect(events).toHaveLength(11);
    expect(events[0]!.id).toBe("0");
    expect(JSON.parse(events[3]!.data!)).toMatchObject({ count: 3 });
    expect(JSON.parse(events[10]!.data!)).toEqual({ done: true });
  });

  it("documents the event stream with the schema of one event", async () => {
    const doc = (await client.get("/openapi.json")).json();
    const ok = doc.paths["/stream/events"].get.responses["200"];
    expect(ok.description).toBe("One Tick per second, then Done");
    const schema = Object.values(ok.content as Record<string, { schema: unknown }>)[0]!.schema;
    expect(schema).toMatchObject({
      title: "ServerSentEvent",
      properties: { data: { anyOf: [{ $ref: "#/components/schemas/Tick" }, { $ref: "#/components/schemas/Done" }] } },
    });
  });

  it("documents /stream/events under text/event-stream only, and /stream/data's rows under application/x-ndjson", async () => {
    const doc = (await client.get("/openapi.json")).json();
    await expectValidOpenAPI(doc);
    const events = doc.paths["/stream/events"].get.responses["200"];
    expect(Object.keys(events.content)).toEqual(["text/event-stream"]);
    expect(events.content["text/event-stream"].schema).toMatchObject({ title: "ServerSentEvent", required: ["data"] });
    expect(events).not.toHaveProperty("mediaType");
    const data = doc.paths["/stream/data"].get.responses["200"];
    expect(data).toEqual({ description: "One Row per line (JSON Lines)", content: { "application/x-ndjson": { schema: { $ref: "#/components/schemas/Row" } } } });
    expect(Object.keys(doc.components.schemas)).toEqual(["Done", "Row", "Tick"]);
  });
});
