/**
 * The iterator behind an event stream: pulls events from the producer, formats them, and fills quiet periods with
 * keep-alive comments — without ever asking the producer for two events at once, and without leaving a timer
 * or a running producer behind when the client goes.
 */
import { formatEvent, type ServerSentEvent } from "./event.ts";

/** Events as an iterable; strings are shorthand for `{ data: string }`. */
export type EventIterable = AsyncIterable<ServerSentEvent | string> | Iterable<ServerSentEvent | string>;

/**
 * What an `EventSourceResponse` streams: events, or a function that receives an `AbortSignal` (aborted when the
 * client disconnects) and returns them.
 *
 * @example
 * const producer: EventProducer = (signal) => messagesOf(room, { signal });
 */
export type EventProducer = EventIterable | ((signal: AbortSignal) => EventIterable);

/** The keep-alive comment: ignored by clients, enough to keep proxies from timing the stream out. */
export const PING = ": ping\n\n";

type Outcome = { result: IteratorResult<unknown> } | { error: unknown } | typeof TICK;
const TICK = Symbol("tick");
const DONE: IteratorResult<string> = { done: true, value: undefined };

/** One stream's iterator (the pump calls `next()` after each write has drained, `return()` when the client left). */
export class EventPump implements AsyncIterator<string> {
  readonly #producer: EventProducer;
  readonly #ping: number;
  #controller: AbortController | undefined;
  #source: AsyncIterator<unknown> | undefined;
  #pulling = false;
  #ready: Outcome | undefined;
  #waiter: ((outcome: Outcome) => void) | undefined;
  #timer: NodeJS.Timeout | undefined;
  #finished = false;
  readonly #closing: AbortSignal | undefined;

  /** `closing`: the server's shutdown signal; when it fires the stream ends cleanly (see {@link EventPump.end}). */
  constructor(producer: EventProducer, ping: number, closing?: AbortSignal) {
    this.#producer = producer;
    this.#ping = ping;
    this.#closing = closing;
  }

  next(): Promise<IteratorResult<string>> {
    if (this.#finished) return Promise.resolve(DONE);
    if (this.#source === undefined) {
      // A stream requested while the server shuts down ends at once: the client goes and reconnects elsewhere.
      if (this.#closing?.aborted) {
        this.#finish();
        return Promise.resolve(DONE);
      }
      this.#open();
    }
    const ready = this.#ready;
    if (ready !== undefined) {
      this.#ready = undefined;
      return Promise.resolve().then(() => this.#deliver(ready));
    }
    if (!this.#pulling) this.#pull();
    return new Promise<Outcome>((resolve) => (this.#waiter = resolve)).then((outcome) => this.#deliver(outcome));
  }

  /** The client left (or the stream failed): stop the timer, abort the signal, close the producer. */
  async return(): Promise<IteratorResult<string>> {
    this.#finish();
    this.#controller?.abort();
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ result: { done: true, value: undefined } });
    // An async generator busy in next() runs this once that step settles; nothing more is pulled meanwhile.
    this.#source?.return?.()?.catch(() => undefined);
    return DONE;
  }

  /**
   * The server is shutting down: stop the producer and report the end of the stream — so the pump writes the final
   * chunk, unlike {@link return}, which is for a client that is already gone.
   */
  readonly end = (): void => {
    if (this.#finished) return;
    this.#finish();
    this.#controller?.abort();
    // Called from the signal's listener, where a throw would be an uncaught exception.
    try {
      this.#source?.return?.()?.catch(() => undefined);
    } catch {
      // the producer refused to stop; it is no longer pulled either way
    }
    const waiter = this.#waiter;
    this.#waiter = undefined;
    waiter?.({ result: { done: true, value: undefined } });
  };

  #open(): void {
    this.#closing?.addEventListener("abort", this.end);
    let events: EventIterable;
    if (typeof this.#producer === "function") {
      this.#controller = new AbortController();
      events = this.#producer(this.#controller.signal);
    } else events = this.#producer;
    this.#source = iteratorOf(events);
    if (this.#ping > 0) {
      this.#timer = setInterval(() => this.#tick(), this.#ping);
      this.#timer.unref();
    }
  }

  #pull(): void {
    this.#pulling = true;
    this.#source!.next().then(
      (result) => this.#settle({ result }),
      (error: unknown) => this.#settle({ error }),
    );
  }

  #settle(outcome: Outcome): void {
    this.#pulling = false;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter !== undefined) waiter(outcome);
    else if (!this.#finished) this.#ready = outcome;
  }

  #tick(): void {
    // Only while the pump waits for the producer: a ping never jumps the queue of a write that is draining.
    const waiter = this.#waiter;
    if (waiter === undefined) return;
    this.#waiter = undefined;
    waiter(TICK);
  }

  #deliver(outcome: Outcome): IteratorResult<string> {
    if (outcome === TICK) return { done: false, value: PING };
    if ("error" in outcome) {
      this.#finish();
      throw outcome.error;
    }
    if (outcome.result.done) {
      this.#finish();
      return DONE;
    }
    try {
      return { done: false, value: formatEvent(outcome.result.value as ServerSentEvent | string) };
    } catch (error) {
      void this.return();
      throw error;
    }
  }

  #finish(): void {
    this.#finished = true;
    this.#closing?.removeEventListener("abort", this.end);
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function iteratorOf(events: EventIterable): AsyncIterator<unknown> {
  if (events !== null && typeof events === "object" && Symbol.asyncIterator in events) return events[Symbol.asyncIterator]();
  if (events !== null && typeof events === "object" && Symbol.iterator in events) {
    const it = (events as Iterable<unknown>)[Symbol.iterator]();
    return {
      next: async () => it.next(),
      return: async () => it.return?.() ?? DONE,
    };
  }
  throw new TypeError(`EventSourceResponse needs an iterable of events (or a function returning one), got ${events === null ? "null" : typeof events}`);
}
