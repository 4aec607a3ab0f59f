/** EventSourceResponse through the test client: headers, encoding, keep-alive, Last-Event-ID, documentation. */
import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { App, EventSourceResponse, LastEventId, type OpenAPIDocument, type OperationObject, type ServerSentEvent } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";
import { expectValidOpenAPI } from "../openapi/validate.ts";
import { sleep } from "../websocket/helpers.ts";

describe("EventSourceResponse", () => {
  it("streams events with the headers EventSource clients and proxies need", async () => {
    const app = new App();
    app.get("/events", {}, () =>
      new EventSourceResponse(async function* (): AsyncGenerator<ServerSentEvent | string> {
        yield { event: "greeting", id: 1, data: { hello: "world" } };
        yield "plain text";
        yield { retry: 5000, comment: "retry later" };
      }()),
    );
    const res = await new TestClient(app).get("/events");
    expect(res.status).toBe(200);
    expect(res.header("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(res.header("cache-control")).toBe("no-cache");
    expect(res.header("x-accel-buffering")).toBe("no");
    expect(res.text).toBe('id: 1\nevent: greeting\ndata: {"hello":"world"}\n\ndata: plain text\n\n: retry later\nretry: 5000\n\n');
  });

  it("keeps the caller's own headers, whatever their case", async () => {
    const app = new App();
    app.get("/events", {}, () => new EventSourceResponse([{ data: 1 }], { headers: { "Cache-Control": "no-store" }, status: 201 }));
    const res = await new TestClient(app).get("/events");
    expect(res.status).toBe(201);
    expect(res.header("cache-control")).toBe("no-store");
  });

  it("sends keep-alive comments while the producer is quiet", async () => {
    const app = new App();
    app.get("/slow", {}, () =>
      new EventSourceResponse(
        (async function* () {
          await sleep(80);
          yield { data: "late" };
        })(),
        { ping: 15 },
      ),
    );
    const text = (await new TestClient(app).get("/slow")).text;
    expect(text.endsWith("data: late\n\n")).toBe(true);
    expect(text.split(": ping\n\n").length - 1).toBeGreaterThanOrEqual(2);
  });

  it("never starts the producer for HEAD", async () => {
    const app = new App();
    let started = false;
    app.get("/events", {}, () =>
      new EventSourceResponse(() => {
        started = true;
        return [{ data: 1 }];
      }),
    );
    const res = await new TestClient(app).head("/events");
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    expect(started).toBe(false);
  });

  it("gives the handler the Last-Event-ID a reconnecting client sends", async () => {
    const app = new App();
    app.get("/events", { params: { last: LastEventId } }, ({ last }) => {
      expectTypeOf(last).toEqualTypeOf<string | undefined>();
      const from = Number(last ?? 0) + 1;
      return new EventSourceResponse([from, from + 1].map((id) => ({ id, data: id })));
    });
    const client = new TestClient(app);
    expect((await client.get("/events")).text).toBe("id: 1\ndata: 1\n\nid: 2\ndata: 2\n\n");
    expect((await client.get("/events", { headers: { "Last-Event-ID": "41" } })).text).toBe("id: 42\ndata: 42\n\nid: 43\ndata: 43\n\n");
  });

  it("fails the stream (truncated, logged) when the producer yields something that cannot be encoded", async () => {
    const errors: unknown[] = [];
    const app = new App({ logger: { error: (_m, e) => void errors.push(e), warn() {}, info() {} } });
    app.get("/bad", {}, () => new EventSourceResponse([{ data: 1 }, { event: "two\nlines" }]));
    const res = await new TestClient(app).get("/bad");
    expect(res.aborted).toBe(true);
    expect(res.text).toBe("data: 1\n\n");
    expect(errors).toHaveLength(1);
  });

  it("describes the stream for the OpenAPI generator: media type and the schema of one event", () => {
    const Tick = z.object({ count: z.int(), at: z.string() }).meta({ id: "Tick" });
    const spec = EventSourceResponse.describe(Tick, { event: "tick", description: "Ticks" });
    expect(spec.mediaType).toBe("text/event-stream");
    expect(spec.description).toBe("Ticks");
    const schema = spec.model["~standard"].jsonSchema!.output({ target: "draft-2020-12" });
    expect(schema).toMatchObject({
      title: "ServerSentEvent",
      type: "object",
      properties: {
        data: { $ref: "#/$defs/Tick" },
        event: { type: "string", const: "tick" },
        id: { type: "string" },
        retry: { type: "integer", minimum: 0 },
      },
      required: ["data"],
      $defs: { Tick: expect.objectContaining({ type: "object" }) },
    });
  });

  it("appears in /openapi.json under text/event-stream, replacing the default JSON content", async () => {
    const Tick = z.object({ count: z.int() }).meta({ id: "Tick" });
    const app = new App();
    app.get("/ticks", { responses: { 200: EventSourceResponse.describe(Tick, { event: "tick", description: "Ticks" }) } }, function ticks() {
      return new EventSourceResponse([{ event: "tick", data: { count: 1 } }]);
    });
    const doc = (await new TestClient(app).get("/openapi.json")).json() as OpenAPIDocument;
    await expectValidOpenAPI(doc);
    const ok = (doc.paths!["/ticks"].get as OperationObject).responses!["200"];
    expect(ok.description).toBe("Ticks");
    expect(Object.keys(ok.content!)).toEqual(["text/event-stream"]);
    expect(ok).not.toHaveProperty("mediaType");
    expect(ok.content!["text/event-stream"].schema).toEqual({
      title: "ServerSentEvent",
      type: "object",
      properties: {
        data: { $ref: "#/components/schemas/Tick" },
        event: { type: "string", const: "tick" },
        id: { type: "string" },
        retry: { type: "integer", minimum: 0 },
      },
      required: ["data"],
    });
    expect(doc.components!.schemas).toHaveProperty("Tick");
  });
});
