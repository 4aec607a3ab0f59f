/**
 * Seed example 43 — streaming responses.
 *
 * `NDJSONResponse` streams rows as JSON Lines while they are produced; `EventSourceResponse` streams Server-Sent
 * Events that a browser reads with `new EventSource("/stream/events")`. Both wait for a slow client
 * (back-pressure) and stop the producer as soon as the client goes away.
 */
import { z } from "zod";
import { App, EventSourceResponse, NDJSONResponse, type ServerSentEvent } from "../../src/index.ts";

/** One row of `/stream/data`. */
export const Row = z.object({ id: z.int(), value: z.string(), timestamp: z.iso.datetime() }).meta({ id: "Row" });
/** The data of one event of `/stream/events`. */
export const Tick = z.object({ count: z.int(), time: z.iso.datetime() }).meta({ id: "Tick" });
/** The data of the last event. */
export const Done = z.object({ done: z.literal(true) }).meta({ id: "Done" });

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds the app; `delayMs` (default 10 ms per row, 1 s per event, as in the seed) is shortened in tests. */
export function createApp(options: { rowDelayMs?: number; eventDelayMs?: number } = {}): App {
  const rowDelay = options.rowDelayMs ?? 10;
  const eventDelay = options.eventDelayMs ?? 1000;
  const app = new App({ title: "Streaming" });

  async function* generateLargeData(): AsyncGenerator<z.infer<typeof Row>> {
    for (let i = 0; i < 100; i++) {
      yield { id: i, value: `item-${i}`, timestamp: new Date().toISOString() };
      await sleep(rowDelay); // simulate fetching the next database row
    }
  }

  async function* eventStream(maxEvents = 10): AsyncGenerator<ServerSentEvent> {
    for (let i = 0; i < maxEvents; i++) {
      yield { id: i, data: { count: i, time: new Date().toISOString() } };
      await sleep(eventDelay);
    }
    yield { data: { done: true } };
  }

  // `mediaType` documents `model` as the schema of one line, under `application/x-ndjson` instead of JSON.
  app.get("/stream/data", { responses: { 200: { description: "One Row per line (JSON Lines)", model: Row, mediaType: "application/x-ndjson" } } }, function stream_data() {
    return new NDJSONResponse(generateLargeData());
  });

  // `describe()` documents the schema of one event under `text/event-stream`.
  app.get("/stream/events", { responses: { 200: EventSourceResponse.describe(z.union([Tick, Done]), { description: "One Tick per second, then Done" }) } }, function stream_events() {
    return new EventSourceResponse(eventStream());
  });
  return app;
}

export const app = createApp();
