/** Event streams over a real socket: the `eventsource` client, reconnection, and cleanup after abrupt disconnects. */
import http from "node:http";
import { EventSource } from "eventsource";
import { afterEach, describe, expect, it } from "vitest";
import { App, EventSourceResponse, LastEventId, serve, silentLogger, type Server } from "../../src/index.ts";
import { activeTimers, sleep, until } from "../websocket/helpers.ts";

let server: Server | undefined;
const sources: EventSource[] = [];
afterEach(async () => {
  for (const source of sources.splice(0)) source.close();
  await server?.close();
  server = undefined;
});

async function start(app: App): Promise<string> {
  server = await serve(app, { port: 0, announce: false, handleSignals: false, gracefulTimeout: 1000 });
  return server.url;
}

function open(url: string): EventSource {
  const source = new EventSource(url);
  sources.push(source);
  return source;
}

describe("EventSourceResponse with a real EventSource client", () => {
  it("delivers JSON data, named events and ids", async () => {
    const app = new App({ logger: silentLogger });
    app.get("/events", {}, () =>
      new EventSourceResponse(async function* () {
        yield { id: 1, data: { n: 1 } };
        yield { id: 2, event: "special", data: "two" };
        await sleep(60_000);
      }()),
    );
    const source = open(`${await start(app)}/events`);
    const plain = new Promise<MessageEvent>((resolve) => (source.onmessage = resolve));
    const named = new Promise<MessageEvent>((resolve) => source.addEventListener("special", resolve));
    const first = await plain;
    expect(JSON.parse(first.data)).toEqual({ n: 1 });
    expect(first.lastEventId).toBe("1");
    const second = await named;
    expect(second.data).toBe("two");
    expect(second.lastEventId).toBe("2");
  });

  it("resumes after a reconnection from the Last-Event-ID the client sends", async () => {
    const app = new App({ logger: silentLogger });
    const seenIds: Array<string | undefined> = [];
    app.get("/events", { params: { last: LastEventId } }, ({ last }) => {
      seenIds.push(last);
      const next = Number(last ?? 0) + 1;
      // Two events per connection, then the stream ends and the client reconnects after `retry` ms.
      return new EventSourceResponse([{ retry: 10, id: next, data: next }, { id: next + 1, data: next + 1 }]);
    });
    const source = open(`${await start(app)}/events`);
    const received: number[] = [];
    await new Promise<void>((resolve) => {
      source.onmessage = (event) => {
        received.push(JSON.parse(event.data));
        if (received.length === 6) resolve();
      };
    });
    expect(received).toEqual([1, 2, 3, 4, 5, 6]);
    expect(seenIds.slice(0, 3)).toEqual([undefined, "2", "4"]);
  });
});

describe("an abrupt disconnect mid-stream", () => {
  it("stops the producer, clears the keep-alive timer and aborts the signal", async () => {
    const app = new App({ logger: silentLogger });
    const state = { produced: 0, finished: false, aborted: false, blockedFinished: false };
    app.get("/busy", {}, () =>
      new EventSourceResponse(
        async function* () {
          try {
            for (;;) {
              yield { data: state.produced++ };
              await sleep(2);
            }
          } finally {
            state.finished = true;
          }
        }(),
        { ping: 5 },
      ),
    );
    // A producer that waits on something else (a message bus): only the signal can stop it.
    app.get("/blocked", {}, () =>
      new EventSourceResponse(async function* (signal: AbortSignal) {
        signal.addEventListener("abort", () => (state.aborted = true));
        try {
          yield { data: "first" };
          await new Promise((resolve) => signal.addEventListener("abort", resolve));
        } finally {
          state.blockedFinished = true;
        }
      }, { ping: 5 }),
    );
    const base = await start(app);
    const timersBefore = activeTimers();

    await readSomeThenDrop(`${base}/busy`, 3);
    await until(() => state.finished, 2000, "producer finally");
    const producedAtEnd = state.produced;
    await sleep(30);
    expect(state.produced).toBe(producedAtEnd);

    await readSomeThenDrop(`${base}/blocked`, 1);
    await until(() => state.blockedFinished, 2000, "blocked producer finally");
    expect(state.aborted).toBe(true);
    await until(() => activeTimers() <= timersBefore, 2000, "keep-alive timers cleared");
  });
});

/** Reads `events` events from an SSE URL with a raw HTTP request, then destroys the socket (no goodbye). */
function readSomeThenDrop(url: string, events: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let text = "";
      res.on("data", (chunk) => {
        text += chunk;
        if (text.split("\n\n").filter((block) => block.startsWith("data:")).length >= events) {
          req.destroy();
          resolve();
        }
      });
    });
    req.on("error", (error) => (req.destroyed ? resolve() : reject(error)));
  });
}
