/**
 * Streaming bodies: {@link StreamingResponse} (any iterable or Node `Readable`), {@link NDJSONResponse}, and the
 * back-pressure-aware pump {@link writeBody} that `FileResponse` shares.
 *
 * The pump's two promises to the rest of the framework: it never buffers more than one chunk ahead of the socket
 * (it waits for `drain` whenever `write` returns false), and it never keeps a producer running for a client that
 * has gone (on `close` it stops pulling and calls the iterator's `return()`, so `finally` blocks run).
 */
import type { Readable } from "node:stream";
import type { RawResponse } from "./raw.ts";
import { statusHasNoBody } from "./status.ts";
import { Response, type ResponseInit, type SendContext } from "./response.ts";

/**
 * What a streaming body can be made of. Strings are sent as UTF-8.
 *
 * @example
 * const content: StreamContent = fs.createReadStream("big.log");
 */
export type StreamContent =
  | AsyncIterable<string | Uint8Array>
  | Iterable<string | Uint8Array>
  | Readable;

const CLOSED: unique symbol = Symbol("closed");

/**
 * Writes every chunk of `source` to `raw` (whose head must already be written), then ends it.
 *
 * Resolves `true` when the body was completed, `false` when the client left first (the iterator is then closed via
 * `return()`, awaited, and a `Readable` source destroyed). If the producer throws, `raw` is destroyed — the client sees a
 * truncated body, as with every server — and the error is re-thrown for the caller to log.
 *
 * @example
 * res.writeHead(200, { "content-type": "text/plain" });
 * const completed = await writeBody(res, ["a", "b", "c"]);
 */
export async function writeBody(raw: RawResponse, source: StreamContent): Promise<boolean> {
  if (raw.destroyed) {
    discard(source);
    return false;
  }
  const iterator = openIterator(source);
  let gone = false;
  // The single pending wait (next chunk or drain) to cut short on `close`. One slot, re-armed per wait, instead
  // of Promise.race against a long-lived "closed" promise, which would pile up one reaction per chunk.
  let wake: (() => void) | null = null;
  const onClose = (): void => {
    gone = true;
    wake?.();
  };
  raw.on("close", onClose);
  let producerDone = false;
  try {
    while (!gone) {
      let step: IteratorResult<unknown> | typeof CLOSED;
      try {
        step = await new Promise<IteratorResult<unknown> | typeof CLOSED>((resolve, reject) => {
          wake = () => resolve(CLOSED);
          iterator.next().then(resolve, reject);
        });
      } catch (error) {
        producerDone = true; // a generator that threw is finished; there is nothing to return()
        throw error;
      } finally {
        wake = null;
      }
      if (step === CLOSED) break; // the producer may still be busy with that next(); we no longer wait for it
      if (step.done) {
        producerDone = true;
        break;
      }
      const chunk = step.value;
      if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) {
        throw new TypeError(`Streaming body chunks must be strings or Uint8Arrays, got ${describe(chunk)}`);
      }
      if (chunk.length === 0) continue; // nothing to send; some writers treat an empty chunk as end-of-body
      if (!raw.write(chunk) && !gone) await drainOrClose(raw, (w) => (wake = w));
    }
  } catch (error) {
    if (!producerDone) closeIterator(iterator, source);
    if (!raw.destroyed) {
      // Node holds chunked writes in the socket's cork until the next tick: let the chunks already written reach
      // the client (an event it may act on), then cut the body so the failure still shows.
      await new Promise((resolve) => setImmediate(resolve));
      raw.destroy();
    }
    throw error;
  } finally {
    raw.off("close", onClose);
  }
  if (gone || raw.destroyed) {
    // Awaited: request-scoped teardown runs after the response, and must not release what the producer's
    // in-flight step or its `finally` still uses (Starlette cancels the producer before its exit stack closes).
    if (!producerDone) await closeIterator(iterator, source);
    return false;
  }
  raw.end();
  return true;
}

/** Waits for `drain`; `arm` registers a wake-up so `close` ends the wait too. Removes its listener either way. */
function drainOrClose(raw: RawResponse, arm: (wake: (() => void) | null) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      raw.off("drain", done);
      arm(null);
      resolve();
    };
    arm(done);
    raw.on("drain", done);
  });
}

/** Stops the producer: `return()` runs its `finally`; a Readable is destroyed so a pending read cannot hang. */
function closeIterator(iterator: AsyncIterator<unknown>, source: StreamContent): Promise<unknown> {
  // With a next() still pending, an async generator queues return() until that step settles; we cannot speed
  // that up, only make sure nothing more is pulled. Errors here have no one left to be reported to.
  const result = iterator.return?.();
  discard(source);
  return result ? result.catch(() => undefined) : Promise.resolve();
}

function discard(source: StreamContent): void {
  if (isReadable(source) && !source.destroyed) source.destroy();
}

function isReadable(source: StreamContent): source is Readable {
  return typeof (source as Readable).destroy === "function" && typeof (source as Readable).pipe === "function";
}

function openIterator(source: StreamContent): AsyncIterator<unknown> {
  // A lone string or byte array is one chunk, not an iterable of characters or numbers.
  const value: unknown = source;
  if (typeof value === "string" || value instanceof Uint8Array) return openIterator([value]);
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  const it = (source as Iterable<unknown>)[Symbol.iterator]();
  return {
    next: async () => it.next(),
    return: async () => (it.return ? it.return() : { done: true, value: undefined }),
  };
}

function describe(value: unknown): string {
  return value === null ? "null" : typeof value === "object" ? (value.constructor?.name ?? "object") : typeof value;
}

/**
 * Streams a body chunk by chunk with chunked transfer encoding. No content type unless you give `mediaType` (as in
 * FastAPI); `text/*` types get `; charset=utf-8`. A `content-length` you set yourself is kept.
 *
 * `send()` resolves when the body is finished or the client left. The head is sent before the producer starts,
 * so a producer that throws — even before its first chunk — leaves the client a 200 with a cut body. For `HEAD` and
 * bodiless statuses only the head is written and the producer is never started.
 *
 * @example
 * async function* ticks() { for (let i = 0; i < 3; i++) { yield `tick ${i}\n`; await sleep(1000); } }
 * return new StreamingResponse(ticks(), { mediaType: "text/plain" });
 */
export class StreamingResponse extends Response {
  /** The producer; consumed once by `send`. */
  readonly content: StreamContent;

  constructor(content: StreamContent, init: ResponseInit = {}) {
    super(null, init);
    this.content = content;
  }

  override async send(raw: RawResponse, ctx: SendContext): Promise<void> {
    if (raw.destroyed) {
      discard(this.content);
      return;
    }
    if (statusHasNoBody(this.status)) delete this.headers["content-length"];
    raw.writeHead(this.status, this.headers);
    if (ctx.method === "HEAD" || statusHasNoBody(this.status)) {
      discard(this.content);
      raw.end();
      return;
    }
    // The head goes out before the producer runs, as in Starlette: the client sees the status at once (an event
    // stream opens even if its first event is far off), and a producer that fails before its first chunk leaves
    // a 200 with a cut body — like a failure later on — instead of a connection reset with no answer at all.
    raw.flushHeaders?.();
    await writeBody(raw, this.content);
  }
}

/**
 * Turns values into JSON Lines: one `JSON.stringify` per item plus `"\n"` (`undefined` becomes `null`).
 * Closing the result (client gone) closes `items` too, so its `finally` blocks run.
 *
 * @example
 * for await (const line of ndjson([{ a: 1 }, { a: 2 }])) process.stdout.write(line); // {"a":1}\n{"a":2}\n
 */
export async function* ndjson(items: AsyncIterable<unknown> | Iterable<unknown>): AsyncGenerator<string, void, undefined> {
  for await (const item of items) yield (JSON.stringify(item) ?? "null") + "\n";
}

/**
 * A {@link StreamingResponse} of JSON Lines (`application/x-ndjson`), one line per item.
 *
 * @example
 * async function* rows() { for await (const row of db.cursor()) yield row; }
 * return new NDJSONResponse(rows());
 */
export class NDJSONResponse extends StreamingResponse {
  constructor(items: AsyncIterable<unknown> | Iterable<unknown>, init: ResponseInit = {}) {
    super(ndjson(items), init.mediaType === undefined ? { ...init, mediaType: "application/x-ndjson" } : init);
  }
}
