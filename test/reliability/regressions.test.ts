/** Regressions found by the fault-injection and shutdown runs, each pinned on a real socket. */
import { getEventListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { App, EventSourceResponse, serve, silentLogger, StreamingResponse, type Server } from "../../src/index.ts";
import { EventPump } from "../../src/sse/pump.ts";
import { LoadClient, sleep, until } from "./load-kit.ts";

let server: Server | undefined;
let client: LoadClient | undefined;
afterEach(async () => {
  client?.close();
  await server?.close();
  server = client = undefined;
});

async function start(app: App, gracefulTimeout = 5000): Promise<LoadClient> {
  server = await serve(app, { port: 0, announce: false, handleSignals: false, gracefulTimeout });
  return (client = new LoadClient(server.url, 50));
}

describe("streams that fail", () => {
  // Node sends the head with the first body chunk: a producer failing before its first chunk used to leave the
  // client with a reset connection and no status at all.
  it("a producer failing before its first chunk still gives the client its 200 head, then a cut body", async () => {
    const app = new App({ logger: silentLogger });
    app.get("/stream", {}, () =>
      new StreamingResponse(
        (async function* () {
          throw new Error("failed before the first chunk");
        })(),
      ),
    );
    const outcome = await (await start(app)).request({ path: "/stream" });
    expect(outcome).toMatchObject({ status: 200, complete: false, body: "" });
  });

  // The chunks went into the socket's cork and were thrown away by the destroy that followed the failure.
  it("a producer failing right after a chunk lets that chunk reach the client", async () => {
    const app = new App({ logger: silentLogger });
    app.get("/events", {}, () =>
      new EventSourceResponse(
        (async function* () {
          yield { id: 1, data: "last words" };
          throw new Error("failed after one event");
        })(),
      ),
    );
    const outcome = await (await start(app)).request({ path: "/events" });
    expect(outcome).toMatchObject({ status: 200, complete: false, body: "id: 1\ndata: last words\n\n" });
  });
});

describe("event streams at shutdown", () => {
  // They never end by themselves, so close() used to wait for gracefulTimeout and then cut them.
  it("close() ends open event streams cleanly and stops their producers, without waiting for gracefulTimeout", async () => {
    const app = new App({ logger: silentLogger });
    let producersStarted = 0;
    let producersStopped = 0;
    app.get("/events", {}, () =>
      new EventSourceResponse(
        (async function* () {
          producersStarted++;
          try {
            for (let i = 0; ; i++) {
              yield { data: i };
              await sleep(20);
            }
          } finally {
            producersStopped++;
          }
        })(),
      ),
    );
    const http = await start(app, 10_000);
    const streams = Array.from({ length: 20 }, () => http.request({ path: "/events" }));
    await until(() => producersStarted === 20, "every stream to start");
    await sleep(50);
    const closing = Date.now();
    await server!.close();
    expect(Date.now() - closing).toBeLessThan(2500);
    for (const outcome of await Promise.all(streams)) {
      expect(outcome).toMatchObject({ status: 200, complete: true });
      expect(outcome.body).toMatch(/^data: 0\n\n/);
    }
    await until(() => producersStopped === 20, "every producer to be closed");
  });

  it("an event stream requested after endEventStreams() ends at once, without starting its producer", async () => {
    const app = new App({ logger: silentLogger });
    let opened = 0;
    app.get("/events", {}, () => new EventSourceResponse((async function* () { opened++; yield { data: 1 }; })()));
    const http = await start(app);
    expect(await http.request({ path: "/events" })).toMatchObject({ status: 200, complete: true, body: "data: 1\n\n" });
    app.endEventStreams();
    expect(await http.request({ path: "/events" })).toMatchObject({ status: 200, complete: true, body: "" });
    expect(opened).toBe(1);
  });

  it("a stream leaves no listener on the shutdown signal, whether it ends, is left, or is ended", async () => {
    const closing = new AbortController();
    const finished = new EventPump([{ data: 1 }], 0, closing.signal);
    while (!(await finished.next()).done);
    const left = new EventPump((async function* () { yield { data: 1 }; await sleep(60_000); })(), 0, closing.signal);
    await left.next();
    await left.return();
    const ended = new EventPump((async function* () { yield { data: 1 }; await sleep(60_000); })(), 0, closing.signal);
    await ended.next();
    const waiting = ended.next();
    expect(getEventListeners(closing.signal, "abort")).toHaveLength(1);
    closing.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    expect(getEventListeners(closing.signal, "abort")).toHaveLength(0);
  });
});
