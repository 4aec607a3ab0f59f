/**
 * In-process request injection: call a Node-style handler with in-memory fakes of `IncomingMessage` and
 * `ServerResponse` (the {@link RawRequest} / {@link RawResponse} slice Typefast uses) and collect the answer.
 *
 * No socket, no port: the request body is a `Readable`, the response chunks are kept in memory. The fakes copy
 * Node's observable behaviour where a handler could notice the difference (header joining, `writeHead` twice
 * throws, HEAD/204/304 bodies dropped, `content-length` on a head implied by `end(body)`, `finish` then `close`).
 * Transport headers Node adds on the wire (`date`, `connection`, `transfer-encoding`) are not invented.
 */
import { EventEmitter } from "node:events";
import { Readable } from "node:stream";
import type { OutgoingHeaders, RawRequest, RawResponse } from "../http/raw.ts";

/** A Node-style request handler, e.g. the framework's Node adapter. */
export type RawHandler = (req: RawRequest, res: RawResponse) => void | Promise<void>;

/** What to send through {@link inject}. */
export interface InjectRequest {
  /** The request method, passed through verbatim (Node does not change its case either). */
  method: string;
  /** The request target: path plus query, e.g. `/items/1?q=x`. */
  url: string;
  /** Request headers; names in any case, arrays become repeated header lines. */
  headers?: Record<string, string | string[]>;
  /** The request body; `content-length` is added when no length/transfer-encoding header was given. */
  body?: string | Uint8Array;
  /** The client address reported on `req.socket` (default `127.0.0.1`). */
  remoteAddress?: string;
  /** Report the socket as TLS (`req.socket.encrypted`), as for an `https:` request. Default `false`. */
  encrypted?: boolean;
  /** Milliseconds to wait for the handler before rejecting (default 30 000; `0` or `Infinity` waits forever). */
  timeout?: number;
}

/** The collected answer of an injected request. */
export interface InjectResponse {
  /** The status written with the head; `0` when the handler destroyed the response before writing a head. */
  status: number;
  /** Response headers, names lower-cased; repeated names become arrays. */
  headers: Record<string, string | string[]>;
  /** Every body byte written (empty for HEAD requests and 1xx/204/304 answers, as on the wire). */
  body: Buffer;
  /** true when the handler destroyed the response mid-body */
  aborted: boolean;
}

/** Headers whose duplicates Node discards (the first line wins), see `IncomingMessage#_addHeaderLine`. */
const FIRST_WINS = new Set([
  "age", "authorization", "content-length", "content-type", "etag", "expires", "from", "host",
  "if-modified-since", "if-unmodified-since", "last-modified", "location", "max-forwards",
  "proxy-authorization", "referer", "retry-after", "server", "user-agent",
]);

/** Join one header line into `headers` the way Node's `IncomingMessage` does. */
function addHeaderLine(headers: Record<string, string | string[]>, name: string, value: string): void {
  const key = name.toLowerCase();
  const previous = headers[key];
  if (key === "set-cookie") headers[key] = previous === undefined ? [value] : [...(previous as string[]), value];
  else if (previous === undefined) headers[key] = value;
  else if (!FIRST_WINS.has(key)) headers[key] = `${String(previous)}${key === "cookie" ? "; " : ", "}${value}`;
}

function nodeError(code: string, message: string, Kind: ErrorConstructor = Error): Error {
  return Object.assign(new Kind(message), { code });
}

/** The in-memory `IncomingMessage`: a readable stream that yields the body once, then ends. */
class InjectedRequest extends Readable implements RawRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string | string[]> = {};
  readonly rawHeaders: string[] = [];
  readonly httpVersion = "1.1";
  readonly httpVersionMajor = 1;
  readonly httpVersionMinor = 1;
  readonly socket: { readonly remoteAddress: string; readonly remotePort: number; readonly encrypted: boolean };
  #body: Buffer | null;

  constructor(request: InjectRequest) {
    super();
    this.method = request.method;
    this.url = request.url;
    this.socket = { remoteAddress: request.remoteAddress ?? "127.0.0.1", remotePort: 50000, encrypted: request.encrypted ?? false };
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      for (const one of Array.isArray(value) ? value : [value]) {
        this.rawHeaders.push(name, String(one));
        addHeaderLine(this.headers, name, String(one));
      }
    }
    const body = request.body;
    this.#body = body === undefined ? null : typeof body === "string" ? Buffer.from(body, "utf8") : Buffer.from(body);
    if (this.#body !== null && this.headers["content-length"] === undefined && this.headers["transfer-encoding"] === undefined) {
      this.rawHeaders.push("content-length", String(this.#body.length));
      addHeaderLine(this.headers, "content-length", String(this.#body.length));
    }
  }

  override _read(): void {
    const body = this.#body;
    this.#body = null;
    if (body !== null && body.length > 0) this.push(body);
    this.push(null);
  }
}

/** The in-memory `ServerResponse`: records the head and body chunks; never applies back-pressure. */
class InjectedResponse extends EventEmitter implements RawResponse {
  statusCode = 200;
  status = 0;
  readonly headers: Record<string, string | string[]> = {};
  readonly chunks: Buffer[] = [];
  aborted = false;
  #headersSent = false;
  #ended = false;
  #destroyed = false;
  #closed = false;
  #hasBody: boolean;
  readonly #onDone: () => void;

  constructor(isHead: boolean, onDone: () => void) {
    super();
    this.#hasBody = !isHead;
    this.#onDone = onDone;
  }

  get headersSent(): boolean { return this.#headersSent; }
  get writableEnded(): boolean { return this.#ended; }
  get destroyed(): boolean { return this.#destroyed; }
  /** Body bytes written so far (for diagnostics). */
  get bytesWritten(): number { return this.chunks.reduce((n, c) => n + c.length, 0); }

  writeHead(status: number, headers?: OutgoingHeaders): this {
    if (this.#headersSent) throw nodeError("ERR_HTTP_HEADERS_SENT", "Cannot write headers after they are sent to the client");
    if (!Number.isInteger(status) || status < 100 || status > 999) {
      throw nodeError("ERR_HTTP_INVALID_STATUS_CODE", `Invalid status code: ${String(status)}`, RangeError);
    }
    for (const [name, value] of Object.entries(headers ?? {})) {
      if (value === undefined || value === null) {
        throw nodeError("ERR_HTTP_INVALID_HEADER_VALUE", `Invalid value "${String(value)}" for header "${name}"`, TypeError);
      }
      const key = name.toLowerCase();
      const values = Array.isArray(value) ? value.map(String) : [String(value)];
      const previous = this.headers[key];
      const merged = previous === undefined ? values : [...(Array.isArray(previous) ? previous : [previous]), ...values];
      this.headers[key] = merged.length === 1 && !Array.isArray(value) ? merged[0] : merged;
    }
    this.statusCode = status;
    this.status = status;
    if (status < 200 || status === 204 || status === 304) this.#hasBody = false;
    this.#headersSent = true;
    return this;
  }

  write(chunk: string | Uint8Array): boolean {
    if (this.#destroyed) return false;
    if (this.#ended) throw nodeError("ERR_STREAM_WRITE_AFTER_END", "write after end");
    this.#collect(chunk);
    return true;
  }

  end(chunk?: string | Uint8Array): this {
    if (this.#destroyed) return this;
    if (this.#ended) {
      if (chunk !== undefined && chunk !== null && chunk !== "") throw nodeError("ERR_STREAM_WRITE_AFTER_END", "write after end");
      return this;
    }
    if (!this.#headersSent) {
      // Like Node: a head implied by end() carries the body length (unless the answer has no body).
      const status = this.statusCode;
      const length = chunk === undefined || chunk === null ? 0 : typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      const bodyAllowed = this.#hasBody && !(status < 200 || status === 204 || status === 304);
      this.writeHead(status, bodyAllowed ? { "content-length": length } : {});
    }
    if (chunk !== undefined && chunk !== null) this.#collect(chunk);
    this.#ended = true;
    process.nextTick(() => {
      if (!this.#destroyed) this.emit("finish");
      this.#close();
    });
    return this;
  }

  destroy(_error?: Error): this {
    if (this.#destroyed) return this;
    this.#destroyed = true;
    if (!this.#ended) this.aborted = true;
    process.nextTick(() => this.#close());
    return this;
  }

  #collect(chunk: string | Uint8Array): void {
    if (typeof chunk !== "string" && !(chunk instanceof Uint8Array)) {
      throw nodeError("ERR_INVALID_ARG_TYPE", 'The "chunk" argument must be of type string or an instance of Buffer or Uint8Array', TypeError);
    }
    if (!this.#headersSent) this.writeHead(this.statusCode);
    // Copy: the handler may reuse its buffer after write() returns.
    if (this.#hasBody && chunk.length > 0) this.chunks.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : Buffer.from(chunk));
  }

  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.emit("close");
    this.#onDone();
  }
}

function describeStall(res: InjectedResponse): string {
  if (res.writableEnded || res.destroyed) return "the response ended but the handler's promise never settled";
  if (!res.headersSent) return "the handler never wrote a response";
  return `the head (status ${res.status}) and ${res.bytesWritten} body bytes were written, but end() was never called`;
}

/**
 * Run one request through a Node-style handler in memory and resolve with what it wrote.
 *
 * Resolves once the response has ended (after `finish` and `close`) or was destroyed (`aborted: true` when that
 * happened mid-body) **and** the handler's returned promise has settled. An error thrown or rejected by the
 * handler rejects the call, so framework bugs surface in tests (Starlette's `raise_server_exceptions=True`).
 * A handler that never finishes rejects after `request.timeout` ms (default 30 s) with a message saying where it
 * stalled.
 *
 * @example
 * const res = await inject((req, res) => {
 *   res.writeHead(200, { "Content-Type": "text/plain" });
 *   res.end(`hello ${req.url}`);
 * }, { method: "GET", url: "/world" });
 * res.status;          // 200
 * res.body.toString(); // "hello /world"
 */
export function inject(handler: RawHandler, request: InjectRequest): Promise<InjectResponse> {
  return new Promise<InjectResponse>((resolve, reject) => {
    let settled = false;
    let responseDone = false;
    let handlerDone = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      if (settled || !responseDone || !handlerDone) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status: res.status, headers: res.headers, body: Buffer.concat(res.chunks), aborted: res.aborted });
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    };
    const req = new InjectedRequest(request);
    const res = new InjectedResponse(request.method.toUpperCase() === "HEAD", () => {
      responseDone = true;
      finish();
    });
    const timeout = request.timeout ?? 30_000;
    if (timeout > 0 && Number.isFinite(timeout)) {
      timer = setTimeout(() => {
        const error = new Error(`inject: ${request.method} ${request.url} did not complete within ${timeout} ms: ${describeStall(res)}`);
        fail(Object.assign(error, { name: "InjectTimeoutError", code: "ERR_INJECT_TIMEOUT" }));
      }, timeout);
    }
    let returned: unknown;
    try {
      returned = handler(req, res);
    } catch (error) {
      fail(error);
      return;
    }
    if (returned !== null && typeof returned === "object" && typeof (returned as PromiseLike<void>).then === "function") {
      (returned as PromiseLike<void>).then(() => {
        handlerDone = true;
        finish();
      }, fail);
    } else {
      handlerDone = true;
      finish();
    }
  });
}
