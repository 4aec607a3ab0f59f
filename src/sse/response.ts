/**
 * {@link EventSourceResponse}: Server-Sent Events from an (async) iterable, with keep-alive comments while the
 * producer is quiet, the headers proxies and browsers need, and the producer stopped as soon as the client leaves.
 * Back-pressure and cancellation come from the streaming pump shared with `StreamingResponse`.
 */
import { z } from "zod";
import { Header } from "../params/param.ts";
import type { RawResponse } from "../http/raw.ts";
import type { ResponseInit, SendContext } from "../http/response.ts";
import { StreamingResponse } from "../http/streaming-response.ts";
import type { ResponseSpec } from "../routing/route-options.ts";
import type { JsonSchema, JsonSchemaOptions, StandardSchemaV1 } from "../schema/standard-schema.ts";
import { EventPump, type EventProducer } from "./pump.ts";

/** Options of {@link EventSourceResponse}. */
export interface EventSourceInit extends ResponseInit {
  /** Milliseconds between `: ping` keep-alive comments while no event is sent (default 15 000; 0 turns them off). */
  ping?: number;
}

/** What {@link EventSourceResponse.describe} returns: a `responses` entry for an OpenAPI generator. */
export interface EventStreamSpec extends ResponseSpec {
  description: string;
  /** `"text/event-stream"`: the media type to document the `model` under (non-enumerable, read it explicitly). */
  readonly mediaType: string;
  /** The schema of one event (`data`, `event`, `id`, `retry`). */
  model: StandardSchemaV1;
}

/**
 * A `text/event-stream` response. Give it an iterable of events — or a function receiving an `AbortSignal`
 * (aborted when the client disconnects) and returning one, for producers that wait on something else. Sends
 * `Cache-Control: no-cache` and `X-Accel-Buffering: no` (so nginx does not buffer the stream) unless you set them.
 *
 * @example
 * app.get("/events", { params: { lastId: LastEventId }, responses: { 200: EventSourceResponse.describe(Tick) } }, ({ lastId }) =>
 *   new EventSourceResponse(async function* () {
 *     for (let n = Number(lastId ?? 0) + 1; ; n++) { yield { id: n, event: "tick", data: { n } }; await sleep(1000); }
 *   }()),
 * );
 */
export class EventSourceResponse extends StreamingResponse {
  /** The media type of every event stream. */
  static readonly mediaType = "text/event-stream";
  /** Filled in by `send`, read when the pump opens: the server's shutdown signal. */
  readonly #sending: { closing?: AbortSignal };

  constructor(events: EventProducer, init: EventSourceInit = {}) {
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value;
    headers["cache-control"] ??= "no-cache";
    headers["x-accel-buffering"] ??= "no";
    const ping = init.ping ?? 15_000;
    if (!Number.isFinite(ping) || ping < 0) throw new TypeError(`EventSourceResponse: ping must be a number of milliseconds ≥ 0, got ${ping}`);
    // Opened by the pump only when the body is sent: a HEAD request never starts the producer.
    const sending: { closing?: AbortSignal } = {};
    const lazy: AsyncIterable<string> = { [Symbol.asyncIterator]: () => new EventPump(events, ping, sending.closing) };
    super(lazy, { ...init, headers, mediaType: init.mediaType ?? EventSourceResponse.mediaType });
    this.#sending = sending;
  }

  /** Sends the stream; it ends cleanly when the server shuts down (`ctx.closing`), so the client reconnects. */
  override send(raw: RawResponse, ctx: SendContext): Promise<void> {
    this.#sending.closing = ctx.closing;
    return super.send(raw, ctx);
  }

  /**
   * Documents a route's event stream: put the result under the success status in `responses`. `data` is the
   * schema of each event's `data`; `event` the event name, when every event has the same one.
   *
   * @example
   * app.get("/ticks", { responses: { 200: EventSourceResponse.describe(Tick, { event: "tick" }) } }, () => new EventSourceResponse(ticks()));
   */
  static describe(data?: StandardSchemaV1, options: { description?: string; event?: string } = {}): EventStreamSpec {
    const spec = { description: options.description ?? "A stream of Server-Sent Events", model: eventSchema(data, options.event) };
    // Not enumerable: a generator that merges unknown fields into the Response Object must not copy it there.
    return Object.defineProperty(spec, "mediaType", { value: EventSourceResponse.mediaType, enumerable: false }) as EventStreamSpec;
  }
}

/**
 * The `Last-Event-ID` header a reconnecting `EventSource` sends: the `id` of the last event it received.
 *
 * @example
 * app.get("/events", { params: { last_event_id: LastEventId } }, ({ last_event_id }) => resumeAfter(last_event_id));
 */
export const LastEventId = Header(z.string().optional(), {
  alias: "last-event-id",
  description: "The id of the last event received, sent by a reconnecting EventSource.",
});

/** A documentation-only Standard Schema of one event whose `data` follows `data`'s schema. */
function eventSchema(data: StandardSchemaV1 | undefined, event: string | undefined): StandardSchemaV1 {
  const convert = (io: "input" | "output", options: JsonSchemaOptions): JsonSchema => {
    const inner: JsonSchema = data?.["~standard"].jsonSchema?.[io](options) ?? {};
    const { $schema, $defs, definitions, ...dataSchema } = inner;
    const out: JsonSchema = {
      ...($schema === undefined ? {} : { $schema }),
      title: "ServerSentEvent",
      type: "object",
      properties: {
        data: dataSchema,
        event: event === undefined ? { type: "string" } : { type: "string", const: event },
        id: { type: "string" },
        retry: { type: "integer", minimum: 0 },
      },
      required: data === undefined ? [] : ["data"],
    };
    // Named sub-schemas stay at the root, where the data schema's `$ref`s point.
    if ($defs !== undefined) out.$defs = $defs;
    if (definitions !== undefined) out.definitions = definitions;
    return out;
  };
  return {
    "~standard": {
      version: 1,
      vendor: "typefast",
      validate: (value) => ({ value }),
      jsonSchema: { input: (o) => convert("input", o), output: (o) => convert("output", o) },
    },
  };
}
