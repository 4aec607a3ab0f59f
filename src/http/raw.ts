/**
 * The slice of Node's `IncomingMessage` / `ServerResponse` that Typefast uses.
 *
 * The Node adapter passes the real objects straight through (no wrapping on the hot path); the in-process test
 * client and the web `fetch` adapter implement these interfaces with in-memory streams. Keeping the surface this
 * small is what lets one pipeline serve all three.
 */
import type { Readable } from "node:stream";

/** Header values as Node delivers them: lower-case names, `set-cookie` as an array. */
export type RawHeaders = Record<string, string | string[] | undefined>;

/** An incoming request: a readable body stream plus the request line and headers. */
export interface RawRequest extends Readable {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: RawHeaders;
  /** Node's `IncomingMessage.rawHeaders`: names and values alternating, original case, repeats kept. */
  readonly rawHeaders: string[];
  readonly httpVersion?: string;
  readonly socket: { readonly remoteAddress?: string | undefined; readonly remotePort?: number | undefined; readonly encrypted?: boolean } | null;
}

/** Outgoing header values accepted by {@link RawResponse.writeHead}. */
export type OutgoingHeaders = Record<string, string | number | string[]>;

/** An outgoing response: head written once, then a body with back-pressure (`write` → false, then `drain`). */
export interface RawResponse {
  statusCode: number;
  readonly headersSent: boolean;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  writeHead(status: number, headers?: OutgoingHeaders): unknown;
  /** Sends the head now rather than with the first body chunk (Node's `flushHeaders`). */
  flushHeaders?(): void;
  write(chunk: string | Uint8Array): boolean;
  end(chunk?: string | Uint8Array): unknown;
  destroy(error?: Error): unknown;
  once(event: "drain" | "close" | "finish", listener: () => void): unknown;
  on(event: "drain" | "close" | "finish", listener: () => void): unknown;
  off(event: "drain" | "close" | "finish", listener: () => void): unknown;
}
