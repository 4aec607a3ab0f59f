import { request } from "node:http";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import type { SendContext } from "../../src/http/response.ts";
import { NDJSONResponse, StreamingResponse, ndjson, writeBody } from "../../src/http/streaming-response.ts";
import { FakeRawResponse, startServer, tick } from "./fake-raw-response.ts";

const GET: SendContext = { method: "GET", requestHeaders: {} };

/** An async generator that records how far it was pulled and whether its `finally` ran. */
function counter(limit = Infinity, delayMs = 0) {
  const state = { pulled: 0, finished: false };
  async function* produce(): AsyncGenerator<string> {
    try {
      while (state.pulled < limit) {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        state.pulled++;
        yield `chunk ${state.pulled}\n`;
      }
    } finally {
      state.finished = true;
    }
  }
  return { state, stream: produce() };
}

describe("StreamingResponse", () => {
  it("writes the head without content-length, then every chunk, then ends", async () => {
    const raw = new FakeRawResponse();
    await new StreamingResponse(["a", new Uint8Array([98]), Buffer.from("c"), ""], { headers: { "X-A": "1" } }).send(raw, GET);
    expect(raw.head).toEqual({ status: 200, headers: { "x-a": "1" } });
    expect(raw.text).toBe("abc");
    expect(raw.writeCalls).toBe(3); // the empty chunk is skipped
    expect(raw.writableEnded).toBe(true);
  });

  it("accepts async generators, sync generators, Readables and a lone string", async () => {
    function* sync() { yield "x"; yield "y"; }
    for (const [content, expected] of [
      [counter(2).stream, "chunk 1\nchunk 2\n"],
      [sync(), "xy"],
      [Readable.from(["r1", "r2"]), "r1r2"],
      ["whole" as unknown as Iterable<string>, "whole"],
    ] as const) {
      const raw = new FakeRawResponse();
      await new StreamingResponse(content).send(raw, GET);
      expect(raw.text).toBe(expected);
    }
  });

  it("has no content type unless given; text types get utf-8; a user content-length is kept", () => {
    expect(new StreamingResponse([]).headers["content-type"]).toBeUndefined();
    expect(new StreamingResponse([], { mediaType: "text/event-stream" }).headers["content-type"])
      .toBe("text/event-stream; charset=utf-8");
    const raw = new FakeRawResponse();
    void new StreamingResponse(["abc"], { headers: { "Content-Length": "3" } }).send(raw, GET);
    expect(raw.head.headers["content-length"]).toBe("3");
  });

  it("waits for drain when write returns false and pulls nothing meanwhile", async () => {
    const { state, stream } = counter(10);
    const raw = new FakeRawResponse({ highWaterMark: 16 }); // "chunk N\n" is 8 bytes: full after 2 writes
    const done = new StreamingResponse(stream).send(raw, GET);
    await tick();
    expect(state.pulled).toBe(2);
    expect(raw.needsDrain).toBe(true);
    await tick();
    expect(state.pulled).toBe(2); // still waiting
    raw.drain();
    await tick();
    expect(state.pulled).toBe(4);
    while (!raw.writableEnded) {
      raw.drain();
      await tick();
    }
    await done;
    expect(raw.maxBuffered).toBeLessThan(16 + 9); // never more than one chunk past the high-water mark
    expect(raw.text.split("\n").filter(Boolean)).toHaveLength(10);
    expect(raw.listenerCount("drain")).toBe(0);
    expect(raw.listenerCount("close")).toBe(0);
  });

  it("stops pulling and runs the producer's finally when the client leaves during back-pressure", async () => {
    const { state, stream } = counter();
    const raw = new FakeRawResponse({ highWaterMark: 8 });
    const done = new StreamingResponse(stream).send(raw, GET);
    await tick();
    expect(state.pulled).toBe(1);
    raw.disconnect();
    await done; // resolves: the client left
    expect(state.finished).toBe(true);
    expect(state.pulled).toBe(1);
    expect(raw.writableEnded).toBe(false);
    expect(raw.listenerCount("drain") + raw.listenerCount("close")).toBe(0);
  });

  it("resolves at once when the client leaves while the producer is busy, then closes the producer", async () => {
    const { state, stream } = counter(Infinity, 30);
    const raw = new FakeRawResponse();
    const done = new StreamingResponse(stream).send(raw, GET);
    await new Promise((r) => setTimeout(r, 45)); // one chunk out, the next one in progress
    raw.disconnect();
    await done;
    const pulledAtDisconnect = state.pulled;
    await new Promise((r) => setTimeout(r, 80));
    expect(state.finished).toBe(true); // return() ran once the in-flight step settled
    expect(state.pulled).toBeLessThanOrEqual(pulledAtDisconnect + 1);
    expect(raw.writeCalls).toBe(1);
  });

  it("destroys the response and rethrows when the producer fails after the head", async () => {
    async function* failing(): AsyncGenerator<string> {
      yield "partial";
      throw new Error("database went away");
    }
    const raw = new FakeRawResponse();
    await expect(new StreamingResponse(failing()).send(raw, GET)).rejects.toThrow("database went away");
    expect(raw.head.status).toBe(200);
    expect(raw.text).toBe("partial");
    expect(raw.destroyed).toBe(true);
    expect(raw.writableEnded).toBe(false);
  });

  it("rejects chunks that are not strings or bytes, closing the producer", async () => {
    const { state } = counter();
    async function* bad(): AsyncGenerator<unknown> {
      try {
        yield { not: "bytes" };
      } finally {
        state.finished = true;
      }
    }
    const raw = new FakeRawResponse();
    await expect(new StreamingResponse(bad() as AsyncIterable<string>).send(raw, GET)).rejects.toThrow(/got Object/);
    expect(state.finished).toBe(true);
    expect(raw.destroyed).toBe(true);
  });

  it("writes only the head for HEAD and bodiless statuses, never starting the producer", async () => {
    for (const [ctx, status] of [[{ method: "HEAD", requestHeaders: {} }, 200], [GET, 204]] as const) {
      const { state, stream } = counter();
      const raw = new FakeRawResponse();
      await new StreamingResponse(stream, { status }).send(raw, ctx);
      expect(raw.head.status).toBe(status);
      expect(raw.body.length).toBe(0);
      expect(raw.writableEnded).toBe(true);
      expect(state.pulled).toBe(0);
    }
    const readable = Readable.from(["x"]);
    await new StreamingResponse(readable).send(new FakeRawResponse(), { method: "HEAD", requestHeaders: {} });
    expect(readable.destroyed).toBe(true);
  });

  it("does nothing for a client that is already gone", async () => {
    const raw = new FakeRawResponse();
    raw.destroyed = true;
    const readable = Readable.from(["x"]);
    await new StreamingResponse(readable).send(raw, GET);
    expect(raw.heads).toHaveLength(0);
    expect(readable.destroyed).toBe(true);
    expect(await writeBody(raw, ["x"])).toBe(false);
  });

  it("destroys a Readable source when the client leaves", async () => {
    const readable = new Readable({ read() {} });
    readable.push("first");
    const raw = new FakeRawResponse();
    const done = new StreamingResponse(readable).send(raw, GET);
    await tick();
    raw.disconnect();
    await done;
    expect(readable.destroyed).toBe(true);
    expect(raw.text).toBe("first");
  });
});

describe("ndjson and NDJSONResponse", () => {
  it("produces JSON Lines", async () => {
    const lines: string[] = [];
    for await (const line of ndjson([{ a: 1 }, "x", undefined, null])) lines.push(line);
    expect(lines).toEqual(['{"a":1}\n', '"x"\n', "null\n", "null\n"]);
  });

  it("sends application/x-ndjson and closes the source when the client leaves", async () => {
    const { state, stream } = counter();
    const response = new NDJSONResponse(stream);
    expect(response.headers["content-type"]).toBe("application/x-ndjson");
    const raw = new FakeRawResponse({ highWaterMark: 1 });
    const done = response.send(raw, GET);
    await tick();
    raw.disconnect();
    await done;
    expect(raw.text).toBe('"chunk 1\\n"\n');
    expect(state.finished).toBe(true);
  });
});

describe("over a real node:http server", () => {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });

  it("streams chunked bodies", async () => {
    const server = await startServer(() => new NDJSONResponse([{ n: 1 }, { n: 2 }]));
    close = server.close;
    const res = await fetch(server.url);
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    expect(res.headers.get("content-length")).toBeNull();
    expect(await res.text()).toBe('{"n":1}\n{"n":2}\n');
  });

  it("stops the producer when the client disconnects mid-stream", async () => {
    const { state, stream } = counter(Infinity, 5);
    let sendDone!: Promise<void>;
    const server = await startServer(() => ({
      send: (raw, ctx) => (sendDone = new StreamingResponse(stream).send(raw, ctx)),
    }));
    close = server.close;
    await new Promise<void>((resolve, reject) => {
      const req = request({ host: "127.0.0.1", port: server.port, path: "/" }, (res) => {
        res.once("data", () => {
          req.destroy(); // hang up after the first chunk
          resolve();
        });
      });
      req.on("error", () => undefined);
      req.on("close", resolve);
      req.end();
      setTimeout(() => reject(new Error("no data")), 5000);
    });
    await sendDone;
    await new Promise((r) => setTimeout(r, 50));
    expect(state.finished).toBe(true);
    const pulled = state.pulled;
    await new Promise((r) => setTimeout(r, 50));
    expect(state.pulled).toBe(pulled); // no work continues for a gone client
  });

  it("truncates the body when the producer fails", async () => {
    const errors: unknown[] = [];
    async function* failing(): AsyncGenerator<string> {
      yield "partial";
      await new Promise((r) => setTimeout(r, 10));
      throw new Error("boom");
    }
    const server = await startServer(() => new StreamingResponse(failing()), (e) => errors.push(e));
    close = server.close;
    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe("boom");
  });
});
