/**
 * `TestClient.websocketConnect`: a WebSocket conversation with an app in-process, with no port. The client is the
 * real `ws` client and the server side the app's real upgrade handler; the bytes between them travel through an
 * in-memory socket pair and Node's own HTTP parser, so handshakes, frames, size limits and close codes behave
 * exactly as on the network.
 */
import http, { type IncomingMessage } from "node:http";
import { Duplex } from "node:stream";
import { WebSocket as WsClient } from "ws";
import { WebSocketDisconnect } from "../websocket/errors.ts";
import { REFUSAL_OBSERVER, type CloseInfo, type WebSocketMessage } from "../websocket/websocket.ts";

/** An app that accepts WebSocket upgrades (an `App`). */
export interface UpgradeTarget {
  handleUpgrade(raw: IncomingMessage, socket: Duplex, head: Buffer): void;
}

/** Options of `TestClient.websocketConnect`. */
export interface WebSocketConnectOptions {
  /** Extra handshake headers (they override the client's defaults). */
  headers?: Record<string, string | string[]>;
  /** Subprotocols to offer (`Sec-WebSocket-Protocol`). */
  subprotocols?: string[];
  /** Milliseconds to wait for the handshake and for each `receive…()` (default: the client's, 30 000). */
  timeout?: number;
}

/**
 * The server refused the upgrade with a plain HTTP answer (404 for an unknown path, 403 when the handler returned
 * without `accept()`, 400 for a broken handshake). A refusal by `close()` before `accept()` rejects with
 * {@link WebSocketDisconnect} instead, as in Starlette's test client.
 *
 * @example
 * const error = await client.websocketConnect("/nowhere").catch((e) => e);
 * expect(error).toBeInstanceOf(WebSocketHandshakeError);
 * expect(error.status).toBe(404);
 */
export class WebSocketHandshakeError extends Error {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;

  constructor(status: number, headers: Record<string, string | string[] | undefined>, body: Buffer) {
    super(`The WebSocket handshake was refused with HTTP ${status}: ${body.toString("utf8")}`);
    this.name = "WebSocketHandshakeError";
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** The body parsed as JSON (`{"detail": …}`). */
  json<T = any>(): T {
    return JSON.parse(this.body.toString("utf8")) as T;
  }
}

/**
 * The client side of an in-process WebSocket: send and receive text, bytes or JSON, then close. `receive…()`
 * throws {@link WebSocketDisconnect} with the server's close code once the server has closed.
 *
 * @example
 * await using ws = await client.websocketConnect("/ws?token=abc");
 * await ws.sendText("hello");
 * expect(await ws.receiveText()).toBe("Echo: hello");
 */
export class WebSocketTestSession {
  /** Headers of the server's `101 Switching Protocols` response. */
  readonly headers: Record<string, string | string[] | undefined>;
  readonly #client: WsClient;
  readonly #timeout: number;
  readonly #queue: WebSocketMessage[] = [];
  #waiter: { resolve: (m: WebSocketMessage) => void; reject: (e: unknown) => void } | undefined;
  #close: CloseInfo | undefined;
  readonly #closed: Promise<CloseInfo>;

  /** @internal */
  constructor(client: WsClient, headers: Record<string, string | string[] | undefined>, timeout: number) {
    this.#client = client;
    this.headers = headers;
    this.#timeout = timeout;
    client.on("message", (data, isBinary) => {
      const message = isBinary ? (data as Buffer) : data.toString();
      const waiter = this.#waiter;
      this.#waiter = undefined;
      if (waiter) waiter.resolve(message);
      else this.#queue.push(message);
    });
    this.#closed = new Promise((resolve) => {
      client.on("close", (code, reason) => {
        this.#close = { code, reason: reason.toString() };
        this.#waiter?.reject(new WebSocketDisconnect(code, this.#close.reason));
        this.#waiter = undefined;
        resolve(this.#close);
      });
    });
  }

  /** The subprotocol the server accepted. */
  get subprotocol(): string | undefined {
    return this.#client.protocol || undefined;
  }

  /** Resolves with the close code and reason once the connection has ended. */
  get closed(): Promise<CloseInfo> {
    return this.#closed;
  }

  /** Sends a text (string) or binary (bytes) message; resolves once it was written. */
  send(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.#client.send(data, { binary: typeof data !== "string" }, (e) => (e ? reject(e) : resolve())));
  }

  /** Sends a text message. */
  sendText(text: string): Promise<void> {
    return this.send(text);
  }

  /** Sends a binary message. */
  sendBytes(data: Uint8Array): Promise<void> {
    return this.send(data);
  }

  /** Sends `value` as JSON text. */
  sendJson(value: unknown): Promise<void> {
    return this.send(JSON.stringify(value));
  }

  /** The next message from the server (string for text, Buffer for binary). */
  receive(): Promise<WebSocketMessage> {
    if (this.#queue.length > 0) return Promise.resolve(this.#queue.shift()!);
    if (this.#close !== undefined) return Promise.reject(new WebSocketDisconnect(this.#close.code, this.#close.reason));
    if (this.#waiter !== undefined) return Promise.reject(new Error("WebSocketTestSession: receive() is already waiting"));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error(`WebSocketTestSession: no message from the server within ${this.#timeout} ms`));
      }, this.#timeout);
      const settle = (): void => clearTimeout(timer);
      this.#waiter = {
        resolve: (m) => (settle(), resolve(m)),
        reject: (e) => (settle(), reject(e)),
      };
    });
  }

  /** The next message, which must be text. */
  async receiveText(): Promise<string> {
    const message = await this.receive();
    if (typeof message !== "string") throw new TypeError(`Expected a text message, got ${message.length} bytes`);
    return message;
  }

  /** The next message, which must be binary. */
  async receiveBytes(): Promise<Buffer> {
    const message = await this.receive();
    if (typeof message === "string") throw new TypeError(`Expected a binary message, got text: ${message}`);
    return message;
  }

  /** The next message parsed as JSON. */
  async receiveJson<T = any>(): Promise<T> {
    const message = await this.receive();
    return JSON.parse(typeof message === "string" ? message : message.toString("utf8")) as T;
  }

  /** Closes the connection (close handshake) and resolves once it has ended. */
  async close(code = 1000, reason = ""): Promise<CloseInfo> {
    if (this.#close === undefined && this.#client.readyState === WsClient.OPEN) this.#client.close(code, reason);
    return this.#closed;
  }

  /** Drops the connection without a close frame, as a crashed client or a cut network would (server sees 1006). */
  terminate(): void {
    this.#client.terminate();
  }

  /** `await using ws = …` closes the connection at the end of the scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#close === undefined) {
      if (this.#client.readyState === WsClient.OPEN) await this.close();
      else this.terminate();
    }
  }
}

/**
 * Opens an in-process WebSocket to `app` at `target`, sending `headers` with the handshake. Used by
 * `TestClient.websocketConnect`, which adds the client's default headers and cookies.
 *
 * @example
 * const ws = await connectWebSocket(app, new URL("ws://testserver/ws"), { host: "testserver" }, {});
 */
export function connectWebSocket(app: UpgradeTarget, target: URL, headers: Record<string, string | string[]>, options: WebSocketConnectOptions = {}, remoteAddress = "127.0.0.1"): Promise<WebSocketTestSession> {
  const timeout = options.timeout ?? 30_000;
  const [clientEnd, serverEnd] = socketPair(remoteAddress);
  let refused: CloseInfo | undefined;
  const server = http.createServer((_req, res) => res.writeHead(400).end());
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    (req as IncomingMessage & { [REFUSAL_OBSERVER]?: (code: number, reason: string) => void })[REFUSAL_OBSERVER] = (code, reason) => {
      refused = { code, reason };
    };
    app.handleUpgrade(req, socket, head);
  });
  server.emit("connection", serverEnd);
  const scheme = target.protocol === "https:" || target.protocol === "wss:" ? "wss:" : "ws:";
  const url = `${scheme}//${target.host}${target.pathname}${target.search}`;
  const client = new WsClient(url, options.subprotocols ?? [], { createConnection: () => clientEnd as never, headers: headers as Record<string, string>, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    let responseHeaders: Record<string, string | string[] | undefined> = {};
    const timer = setTimeout(() => fail(new Error(`websocketConnect(${target.pathname}): no handshake answer within ${timeout} ms`)), timeout);
    const fail = (error: unknown): void => {
      clearTimeout(timer);
      client.removeAllListeners("open");
      client.on("error", () => undefined);
      client.terminate();
      reject(error);
    };
    client.once("upgrade", (res) => (responseHeaders = res.headers));
    client.once("open", () => {
      clearTimeout(timer);
      if (refused !== undefined) return fail(new WebSocketDisconnect(refused.code, refused.reason));
      client.off("error", fail);
      client.on("error", () => undefined); // protocol errors end in a close event, which the session reports
      resolve(new WebSocketTestSession(client, responseHeaders, timeout));
    });
    client.once("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => fail(new WebSocketHandshakeError(res.statusCode ?? 0, res.headers, Buffer.concat(chunks))));
      res.on("error", fail);
    });
    client.on("error", fail);
  });
}

/** One end of an in-memory connection: what `net.Socket` offers that HTTP and `ws` use. */
class MemorySocket extends Duplex {
  peer!: MemorySocket;
  #wake: (() => void) | undefined;
  readonly remoteAddress: string;
  readonly remotePort = 50000;
  readonly encrypted = false;

  constructor(remoteAddress: string) {
    super({ allowHalfOpen: false });
    this.remoteAddress = remoteAddress;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    // Delivered on a later tick, never inside the writer's call stack, with the reader's back-pressure.
    process.nextTick(() => {
      const peer = this.peer;
      if (peer.destroyed) return done();
      if (peer.push(chunk)) done();
      else peer.#wake = () => done();
    });
  }

  override _final(done: (error?: Error | null) => void): void {
    process.nextTick(() => {
      if (!this.peer.destroyed) this.peer.push(null);
      done();
    });
  }

  override _read(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void): void {
    // A dropped connection: the other side sees its socket close without a goodbye.
    const peer = this.peer;
    process.nextTick(() => peer.destroy());
    this.#wake?.();
    done(error);
  }

  setTimeout(): this { return this; }
  setNoDelay(): this { return this; }
  setKeepAlive(): this { return this; }
  ref(): this { return this; }
  unref(): this { return this; }
}

function socketPair(remoteAddress: string): [MemorySocket, MemorySocket] {
  const client = new MemorySocket("127.0.0.1");
  const server = new MemorySocket(remoteAddress);
  client.peer = server;
  server.peer = client;
  return [client, server];
}
