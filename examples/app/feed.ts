/**
 * The live feed of new items (seed example 43): `GET /items/events` is a Server-Sent Events stream. An item is
 * published after its transaction commits, through the broadcaster — so with Redis, an item created on any
 * process reaches the subscribers of every process. A client that reconnects with `Last-Event-ID` first gets the
 * items it missed, from the database.
 */
import type { Kysely } from "kysely";
import { EventSourceResponse, LastEventId, Router, type Broadcaster, type ServerSentEvent } from "../../src/index.ts";
import { itemsAfter, type ItemView } from "./db/items.ts";
import type { Database } from "./db/schema.ts";
import { Item } from "./models.ts";

const CHANNEL = "items:new";
/** Events queued for one slow client before its stream is ended (it reconnects and catches up from the database). */
const MAX_QUEUED = 1000;

export class ItemFeed {
  constructor(
    private readonly broadcaster: Broadcaster,
    private readonly database: () => Kysely<Database>,
  ) {}

  /** Announces a committed item to every subscriber, on every process sharing the broadcaster. */
  publish(item: ItemView): Promise<void> {
    return this.broadcaster.publish(CHANNEL, JSON.stringify(item));
  }

  /** The events of one subscriber; ends when `signal` aborts (the client left). */
  async *events(signal: AbortSignal, lastEventId: number | undefined): AsyncGenerator<ServerSentEvent> {
    const queue: ItemView[] = [];
    let overflow = false;
    let wake: (() => void) | undefined;
    const off = await this.broadcaster.subscribe(CHANNEL, (message) => {
      if (queue.length < MAX_QUEUED) queue.push(JSON.parse(message) as ItemView);
      else overflow = true;
      wake?.();
    });
    const onAbort = (): void => wake?.();
    signal.addEventListener("abort", onAbort);
    try {
      // The first bytes say the subscription is live (and how soon to reconnect after a drop).
      yield { comment: "subscribed", retry: 3000 };
      let replayedUpTo = 0;
      if (lastEventId !== undefined) {
        // Missed while disconnected: replayed from the database (up to 100; older clients start over).
        const { items } = await itemsAfter(this.database(), lastEventId, 100);
        for (const item of items) yield event(item);
        replayedUpTo = items.at(-1)?.id ?? lastEventId;
      }
      while (!signal.aborted && !overflow) {
        const item = queue.shift();
        if (item === undefined) {
          await new Promise<void>((resolve) => (wake = resolve));
          wake = undefined;
        } else if (item.id > replayedUpTo) {
          yield event(item);
        }
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      await off();
    }
  }

  /** `GET /items/events`. */
  router(): Router {
    const router = new Router({ tags: ["items"] });
    router.get(
      "/items/events",
      {
        params: { last_event_id: LastEventId },
        summary: "New items, live (Server-Sent Events)",
        description: "Open with `new EventSource('/items/events')`; each event is `item` with the item as data.",
        responses: { 200: EventSourceResponse.describe(Item, { event: "item", description: "One `item` event per item created" }) },
      },
      ({ last_event_id }) => {
        const last = last_event_id !== undefined && /^\d{1,15}$/.test(last_event_id) ? Number(last_event_id) : undefined;
        return new EventSourceResponse((signal) => this.events(signal, last));
      },
    );
    return router;
  }
}

function event(item: ItemView): ServerSentEvent {
  return { id: item.id, event: "item", data: item };
}
