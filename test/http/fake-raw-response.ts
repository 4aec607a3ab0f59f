/**
 * An in-memory {@link RawResponse} for unit tests: records the head and body chunks, can simulate back-pressure
 * (`write` returning false until {@link FakeRawResponse.drain}) and a client disconnect (`close` mid-body).
 * Also {@link startServer}, a real `node:http` server for end-to-end checks.
 */
import { EventEmitter } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import type { OutgoingHeaders, RawResponse } from "../../src/http/raw.ts";
import type { SendContext } from "../../src/http/response.ts";

/**
 * Back-pressure knobs of {@link FakeRawResponse}.
 *
 * @example
 * new FakeRawResponse({ highWaterMark: 1024, autoDrain: true });
 */
export interface FakeRawResponseOptions {
  /** `write` returns false once this many bytes were buffered since the last drain. Default: never. */
  highWaterMark?: number;
  /** Emit `drain` on the next macrotask after `write` returned false, like a socket that keeps up. */
  autoDrain?: boolean;
}

/**
 * Records what a response class writes.
 *
 * @example
 * const raw = new FakeRawResponse({ highWaterMark: 4 });
 * await new StreamingResponse(["abcdef"]).send(raw, { method: "GET", requestHeaders: {} });
 */
export class FakeRawResponse extends EventEmitter implements RawResponse {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  destroyed = false;
  /** Every `writeHead` call (there must only ever be one). */
  readonly heads: Array<{ status: number; headers: OutgoingHeaders }> = [];
  readonly chunks: Buffer[] = [];
  writeCalls = 0;
  endCalls = 0;
  /** Did `write` return false and no `drain` follow yet? */
  needsDrain = false;
  /** The most bytes ever written between two drains: shows whether back-pressure was respected. */
  maxBuffered = 0;
  private buffered = 0;
  private readonly highWaterMark: number;
  private readonly autoDrain: boolean;

  constructor(options: FakeRawResponseOptions = {}) {
    super();
    this.highWaterMark = options.highWaterMark ?? Infinity;
    this.autoDrain = options.autoDrain ?? false;
  }

  get head(): { status: number; headers: OutgoingHeaders } {
    if (this.heads.length !== 1) throw new Error(`expected exactly one writeHead, got ${this.heads.length}`);
    return this.heads[0];
  }

  get body(): Buffer {
    return Buffer.concat(this.chunks);
  }

  get text(): string {
    return this.body.toString("utf8");
  }

  writeHead(status: number, headers: OutgoingHeaders = {}): this {
    if (this.headersSent) throw new Error("writeHead called twice");
    this.statusCode = status;
    this.headersSent = true;
    // Copy: the response may mutate its header object afterwards; we want what was on the wire.
    this.heads.push({ status, headers: { ...headers } });
    return this;
  }

  write(chunk: string | Uint8Array): boolean {
    if (!this.headersSent) throw new Error("write before writeHead");
    if (this.writableEnded) throw new Error("write after end");
    this.writeCalls++;
    if (this.destroyed) return false;
    const buf = Buffer.from(chunk);
    this.chunks.push(buf);
    this.buffered += buf.length;
    this.maxBuffered = Math.max(this.maxBuffered, this.buffered);
    if (this.buffered < this.highWaterMark) return true;
    this.needsDrain = true;
    if (this.autoDrain) setImmediate(() => this.drain());
    return false;
  }

  end(chunk?: string | Uint8Array): this {
    if (this.writableEnded) throw new Error("end called twice");
    this.endCalls++;
    if (chunk !== undefined) this.chunks.push(Buffer.from(chunk));
    this.writableEnded = true;
    // Like Node: `finish`, then `close` — also on a normal end, which the code must not mistake for a disconnect.
    process.nextTick(() => {
      this.emit("finish");
      this.emit("close");
    });
    return this;
  }

  destroy(): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    process.nextTick(() => this.emit("close"));
    return this;
  }

  /** The socket caught up: reset the buffer count and emit `drain`. */
  drain(): void {
    if (this.destroyed) return;
    this.buffered = 0;
    this.needsDrain = false;
    this.emit("drain");
  }

  /** The client went away: `destroyed` becomes true and `close` is emitted at once. */
  disconnect(): void {
    this.destroyed = true;
    this.emit("close");
  }
}

/**
 * Resolves after pending microtasks, nextTicks and I/O callbacks of the current turn have run.
 *
 * @example
 * await tick();
 */
export function tick(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Starts a real `node:http` server on 127.0.0.1 (port 0) that sends whatever `handler` returns, turning a thrown
 * error with a `status` (an HTTPException) into that status — the minimum the framework does around `send`.
 *
 * @example
 * const server = await startServer(() => new PlainTextResponse("hi"));
 * await fetch(server.url); await server.close();
 */
export async function startServer(
  handler: (req: IncomingMessage) => { send(raw: RawResponse, ctx: SendContext): void | Promise<void> },
  onError?: (error: unknown) => void,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    try {
      await handler(req).send(res, { method: req.method ?? "GET", requestHeaders: req.headers });
    } catch (error) {
      onError?.(error);
      if (res.headersSent) return;
      res.writeHead((error as { status?: number }).status ?? 500, { "content-length": "0" });
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
