import { Readable, pipeline } from "node:stream";
import { constants, createGzip, gzip as gzipAsync, gzipSync } from "node:zlib";
import type { Request } from "../http/request.ts";
import type { Response } from "../http/response.ts";
import { FileResponse } from "../http/file-response.ts";
import { StreamingResponse, type StreamContent } from "../http/streaming-response.ts";
import { statusHasNoBody } from "../http/status.ts";
import { dispatchSync, mapResponse, SyncCapableMiddleware, type Next } from "./middleware.ts";
import { addVary } from "./vary.ts";

/**
 * Options of {@link GZipMiddleware}.
 *
 * @example
 * app.addMiddleware(GZipMiddleware, { minimumSize: 1000, compressLevel: 5 });
 */
export interface GZipOptions {
  /** Buffered bodies smaller than this many bytes are sent as they are (default 500, as Starlette). */
  minimumSize?: number;
  /** zlib level 1 (fastest) – 9 (smallest); default 6, zlib's own balance. */
  compressLevel?: number;
  /** Media types never compressed, on top of already-compressed formats (default `["text/event-stream"]`). */
  excludedMediaTypes?: readonly string[];
}

// Formats that are compressed already: gzip would burn CPU to make them bigger.
const COMPRESSED = /^(image\/(?!svg)|video\/|audio\/|font\/woff|application\/(zip|gzip|x-gzip|x-bzip2|x-7z-compressed|x-rar|zstd|octet-stream|pdf|wasm))/;
// Above this size a buffered body is compressed on the thread pool instead of blocking the event loop.
const ASYNC_THRESHOLD = 64 * 1024;

/**
 * Compresses responses with gzip for clients that accept it, as Starlette's `GZipMiddleware`. Buffered bodies
 * below `minimumSize` are left alone. Streamed bodies are compressed chunk by chunk with a sync flush, so each chunk
 * still reaches the client when it is produced — nothing is buffered to the end. Skipped: responses that already
 * have a `content-encoding`, `text/event-stream` (proxies and EventSource expect it unencoded), already-compressed
 * formats, and `FileResponse` (its byte ranges and validators describe the file on disk; pre-compress static
 * assets instead). Strong ETags become weak on compressed bodies, since the bytes differ.
 *
 * @example
 * app.addMiddleware(GZipMiddleware, { minimumSize: 1000 });
 */
export class GZipMiddleware extends SyncCapableMiddleware {
  readonly #minimumSize: number;
  readonly #level: number;
  readonly #excluded: readonly string[];

  constructor(options: GZipOptions = {}) {
    super();
    this.#minimumSize = options.minimumSize ?? 500;
    this.#level = options.compressLevel ?? 6;
    this.#excluded = (options.excludedMediaTypes ?? ["text/event-stream"]).map((t) => t.toLowerCase());
  }

  /** @internal `dispatch` without a promise when the rest of the stack answered synchronously. */
  [dispatchSync](request: Request, next: Next): Response | Promise<Response> {
    return mapResponse(next(request), (response) => this.#encode(request, response));
  }

  #encode(request: Request, response: Response): Response | Promise<Response> {
    // The common case first: a small buffered body is sent as it is. (Streams and files have no buffered body.
    // A string's UTF-8 size is at most 3 bytes per UTF-16 unit, so short strings need no byte count.)
    const buffered = response.body;
    if (buffered !== null && (typeof buffered === "string" ? buffered.length * 3 < this.#minimumSize : buffered.byteLength < this.#minimumSize)) {
      return response;
    }
    if (response instanceof FileResponse || statusHasNoBody(response.status) || response.status === 206) return response;
    const headers = response.headers;
    if (headers["content-encoding"] !== undefined || !this.#compressible(headers["content-type"])) return response;
    if (response instanceof StreamingResponse) {
      addVary(headers, "Accept-Encoding");
      if (!acceptsGzip(request.headers["accept-encoding"])) return response;
      if (request.method === "HEAD") {
        // No body will be sent: announce the encoding a GET would get, and leave the producer to be discarded
        // unstarted by `send` (wrapping it would hide a Readable that must be destroyed).
        markEncoded(headers);
        return response;
      }
      return this.#streamed(response);
    }
    const body = response.body;
    if (body === null) return response;
    const size = typeof body === "string" ? Buffer.byteLength(body) : body.byteLength;
    if (size < this.#minimumSize) return response; // too small to be worth it, whatever the client accepts
    addVary(headers, "Accept-Encoding");
    if (!acceptsGzip(request.headers["accept-encoding"])) return response;
    if (size < ASYNC_THRESHOLD) {
      response.body = gzipSync(body, { level: this.#level });
      markEncoded(headers);
      return response;
    }
    return new Promise<Response>((resolve, reject) =>
      gzipAsync(body, { level: this.#level }, (error, out) => {
        if (error) return reject(error);
        response.body = out;
        markEncoded(headers);
        resolve(response);
      }),
    );
  }

  #compressible(contentType: string | string[] | undefined): boolean {
    if (contentType === undefined) return true;
    const type = String(contentType).split(";")[0]!.trim().toLowerCase();
    return !COMPRESSED.test(type) && !this.#excluded.includes(type);
  }

  #streamed(response: StreamingResponse): Response {
    const headers: Record<string, string | string[]> = { ...response.headers };
    markEncoded(headers);
    return new StreamingResponse(gzipChunks(response.content, this.#level), { status: response.status, headers });
  }
}

function markEncoded(headers: Record<string, string | string[]>): void {
  headers["content-encoding"] = "gzip";
  delete headers["content-length"];
  const etag = headers["etag"];
  if (typeof etag === "string" && etag.startsWith('"')) headers["etag"] = `W/${etag}`;
}

/**
 * True when `Accept-Encoding` lists gzip (or `*`) with a non-zero quality.
 *
 * @example
 * acceptsGzip("br, gzip;q=0.8"); // true
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const text = (Array.isArray(header) ? header.join(",") : header).toLowerCase();
  if (!text.includes("gzip") && !text.includes("*")) return false;
  let wildcard = false;
  for (const part of text.split(",")) {
    const [name = "", ...params] = part.trim().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    if (name === "gzip" || name === "x-gzip") return quality > 0;
    if (name === "*") wildcard = quality > 0;
  }
  return wildcard;
}

/**
 * Gzips a streamed body on the fly. Every source chunk is written with `Z_SYNC_FLUSH`, so its compressed bytes
 * come out at once (a few bytes of overhead per chunk, the price of not delaying server-sent data). Stopping the
 * generator (client gone) destroys the zlib stream and the source, so the producer's `finally` runs.
 */
async function* gzipChunks(source: StreamContent, level: number): AsyncGenerator<Uint8Array, void, undefined> {
  const value: unknown = source;
  const input = typeof value === "string" || value instanceof Uint8Array ? Readable.from([value]) : Readable.from(nonEmpty(source), { highWaterMark: 1 });
  const gz = createGzip({ level, flush: constants.Z_SYNC_FLUSH });
  pipeline(input, gz, () => undefined); // errors surface through the iteration of `gz` below
  try {
    for await (const chunk of gz) yield chunk as Uint8Array;
  } finally {
    if (!gz.destroyed) gz.destroy();
    if (!input.destroyed) input.destroy();
  }
}

// An empty chunk would make zlib emit a flush marker for nothing.
async function* nonEmpty(source: StreamContent): AsyncGenerator<string | Uint8Array, void, undefined> {
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) if (chunk.length > 0) yield chunk;
}
