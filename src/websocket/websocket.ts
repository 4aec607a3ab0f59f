/**
 * The server side of one WebSocket connection, as a route handler sees it (Starlette's `WebSocket`): accept, then
 * receive and send text, bytes or JSON, iterate over messages, close. Built on a `ws` socket; the route's
 * message schemas validate JSON in both directions.
 */
import type { WebSocket as WsSocket, RawData } from "ws";
import type { Request } from "../http/request.ts";
import type { Logger } from "../logger.ts";
import type { CompiledSchema } from "../schema/compile.ts";
import { closeFor, decodeJson, encodeJson, errorCode, iterate, sendableCode } from "./codec.ts";
import { CloseCode, InvalidMessageError, WebSocketDisconnect, closeReason } from "./errors.ts";
import { completeHandshake, offeredProtocols, refuseHandshake, refuseWithClose, type Handshake } from "./handshake.ts";
import { unwatch, watch, type Beating } from "./heartbeat.ts";
import { Inbox, type WebSocketMessage } from "./inbox.ts";

export type { WebSocketMessage };

/** How a connection ended. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** Connection states, as in the browser's `readyState`. */
export type WebSocketState = "connecting" | "open" | "closing" | "closed";

/** A route's socket settings, resolved once at registration. @internal */
export interface SocketSettings {
  readonly where: string;
  readonly maxMessageSize: number;
  readonly pingInterval: number;
  readonly highWaterMark: number;
  readonly subprotocols: readonly string[] | undefined;
  readonly receive: CompiledSchema | undefined;
  readonly send: CompiledSchema | undefined;
}

/** Lets an in-process client learn that the server refused it before `accept()` (set on the upgrade request). @internal */
export const REFUSAL_OBSERVER: unique symbol = Symbol("typefast.websocket.refusal");
/** Ends a session after its handler finished (or failed): used by the upgrade runner only. @internal */
export const SETTLE: unique symbol = Symbol("typefast.websocket.settle");

/** Receiving pauses reading from the socket while this many messages wait unread (TCP back-pressure). */
const MAX_QUEUED = 16;
const CONNECTING = 0, OPEN = 1, CLOSING = 2, CLOSED = 3;
const STATES: readonly WebSocketState[] = ["connecting", "open", "closing", "closed"];
const OWNER = Symbol("owner");
const TEXT = { binary: false }, BINARY = { binary: true };
const RESOLVED = Promise.resolve();

type Owned = WsSocket & { [OWNER]: WebSocket<any, any> };
// The `ws` listeners, assigned in the class's static block (they read private fields).
let onMessage: (this: WsSocket, data: RawData, isBinary: boolean) => void;
let onPong: (this: WsSocket) => void;
let onError: (this: WsSocket, error: Error & { code?: string }) => void;
let onClose: (this: WsSocket, code: number, reason: Buffer) => void;

/**
 * One WebSocket connection. Everything the route declared (path, query, header and cookie parameters,
 * dependencies, security) was resolved before the handler runs; the handler decides with `accept()` or
 * `close()`. `receive…()` throws {@link WebSocketDisconnect} once the client has gone.
 *
 * @example
 * app.websocket("/ws", {}, async (_, ws) => {
 *   await ws.accept();
 *   for await (const text of ws.iterText()) await ws.sendText(`Echo: ${text}`);
 * });
 */
export class WebSocket<In = unknown, Out = unknown> {
  /** The upgrade request: headers, query, cookies, client address, per-connection `state`. */
  readonly request: Request;
  readonly #settings: SocketSettings;
  #handshake: Handshake | undefined;
  #ws: WsSocket | undefined;
  #state = CONNECTING;
  readonly #inbox = new Inbox();
  #close: CloseInfo | undefined;
  #controller: AbortController | undefined;
  #closed: Promise<CloseInfo> | undefined;
  #closedResolve: ((info: CloseInfo) => void) | undefined;
  #beat: Beating | undefined;

  /** @internal Created by the upgrade runner. */
  constructor(request: Request, handshake: Handshake, settings: SocketSettings) {
    this.request = request;
    this.#handshake = handshake;
    this.#settings = settings;
  }

  /** `"connecting"` until `accept()`, then `"open"`, `"closing"` (after `close()`), `"closed"`. */
  get state(): WebSocketState {
    return STATES[this.#state]!;
  }

  /** The subprotocols the client offered (`Sec-WebSocket-Protocol`), in its order of preference. */
  get subprotocols(): string[] {
    return offeredProtocols(this.request.headers);
  }

  /** The subprotocol chosen by `accept()`, if any. */
  get subprotocol(): string | undefined {
    return this.#ws?.protocol || undefined;
  }

  /** Bytes queued for sending but not yet handed to the OS. */
  get bufferedAmount(): number {
    return this.#ws?.bufferedAmount ?? 0;
  }

  /** Aborted when the connection ends (either side): pass it to work that must stop for a gone client. */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#close !== undefined && this.#state >= CLOSING) this.#controller.abort();
    }
    return this.#controller.signal;
  }

  /** Resolves with the close code and reason once the connection has ended. */
  get closed(): Promise<CloseInfo> {
    if (this.#closed === undefined) {
      if (this.#state === CLOSED) this.#closed = Promise.resolve(this.#close!);
      else this.#closed = new Promise((resolve) => (this.#closedResolve = resolve));
    }
    return this.#closed;
  }

  /**
   * Completes the handshake. `subprotocol` must be one the client offered; without it, the first offered one
   * listed in the route's `subprotocols` is chosen. `headers` are added to the `101` response (e.g. `Set-Cookie`).
   * Throws {@link WebSocketDisconnect} (1006) when the client left while dependencies were being resolved.
   *
   * @example
   * await ws.accept("graphql-transport-ws", { "set-cookie": "seen=1; Path=/" });
   */
  async accept(subprotocol?: string, headers?: Record<string, string | readonly string[]>): Promise<void> {
    if (this.#state !== CONNECTING) throw new Error(`${this.#settings.where}: accept() can only be called once, before anything else`);
    const offered = this.subprotocols;
    let protocol = subprotocol;
    if (protocol !== undefined && !offered.includes(protocol)) {
      throw new TypeError(`${this.#settings.where}: accept(${JSON.stringify(protocol)}): the client offered ${offered.length ? offered.join(", ") : "no subprotocol"}`);
    }
    const supported = this.#settings.subprotocols;
    if (protocol === undefined && supported !== undefined) protocol = offered.find((p) => supported.includes(p));
    const ws = completeHandshake(this.#handshake!, this.#settings.maxMessageSize, protocol, headers);
    this.#handshake = undefined;
    if (ws === undefined) {
      this.#end({ code: CloseCode.ABNORMAL_CLOSURE, reason: "" });
      throw new WebSocketDisconnect(CloseCode.ABNORMAL_CLOSURE, "The client left before the connection was accepted");
    }
    this.#attach(ws);
  }

  /** The next message: a string for a text frame, a Buffer for a binary one. */
  receive(): Promise<WebSocketMessage> {
    const inbox = this.#inbox;
    const message = inbox.take();
    if (message !== undefined) {
      if (inbox.size < MAX_QUEUED / 2 && this.#ws?.isPaused) this.#ws.resume();
      return Promise.resolve(message);
    }
    if (this.#state === CONNECTING) return Promise.reject(new Error(`${this.#settings.where}: call accept() before receiving`));
    if (this.#close !== undefined) return Promise.reject(new WebSocketDisconnect(this.#close.code, this.#close.reason));
    if (inbox.waiting) return Promise.reject(new Error(`${this.#settings.where}: receive() is already waiting; receive one message at a time`));
    return inbox.wait();
  }

  /** The next message, which must be text (else {@link InvalidMessageError}, close code 1003 if uncaught). */
  async receiveText(): Promise<string> {
    const message = await this.receive();
    if (typeof message !== "string") throw new InvalidMessageError("unexpected_type", `Expected a text message, got a binary one (${message.length} bytes)`, message);
    return message;
  }

  /** The next message, which must be binary (else {@link InvalidMessageError}, close code 1003 if uncaught). */
  async receiveBytes(): Promise<Buffer> {
    const message = await this.receive();
    if (typeof message === "string") throw new InvalidMessageError("unexpected_type", "Expected a binary message, got a text one", message);
    return message;
  }

  /**
   * The next message (text, or UTF-8 bytes) parsed as JSON and validated by the route's `receive` schema.
   * Malformed JSON or a schema mismatch throws {@link InvalidMessageError}, which the handler may catch.
   */
  async receiveJson(): Promise<In> {
    return (await decodeJson(await this.receive(), this.#settings.receive)) as In;
  }

  /** Sends a text message; waits only when more than the route's `highWaterMark` is already queued. */
  sendText(text: string): Promise<void> {
    return this.#send(text, TEXT);
  }

  /** Sends a binary message; waits only when more than the route's `highWaterMark` is already queued. */
  sendBytes(data: Uint8Array): Promise<void> {
    return this.#send(data, BINARY);
  }

  /** Validates `value` with the route's `send` schema (unknown fields filtered out), then sends it as JSON text. */
  async sendJson(value: Out): Promise<void> {
    return this.#send(await encodeJson(value, this.#settings.send, this.#settings.where), TEXT);
  }

  /**
   * Closes the connection. Before `accept()` this refuses the client: the handshake completes and the close frame
   * follows at once, so browsers and other clients see `code` and `reason` (FastAPI's close before accept).
   */
  async close(code: number = CloseCode.NORMAL_CLOSURE, reason = ""): Promise<void> {
    this.#shut(code, reason);
  }

  /** Messages until the client disconnects (the loop then simply ends). @example for await (const m of ws) … */
  [Symbol.asyncIterator](): AsyncGenerator<WebSocketMessage, void, undefined> {
    return iterate(() => this.receive());
  }

  /** Text messages until the client disconnects. @example for await (const text of ws.iterText()) … */
  iterText(): AsyncGenerator<string, void, undefined> {
    return iterate(() => this.receiveText());
  }

  /** JSON messages (validated) until the client disconnects. @example for await (const msg of ws.iterJson()) … */
  iterJson(): AsyncGenerator<In, void, undefined> {
    return iterate(() => this.receiveJson());
  }

  /** @internal Ends the session once the handler has returned (`failure` undefined) or thrown. */
  [SETTLE](failure: unknown, logger: Logger): void {
    if (failure === undefined || failure instanceof WebSocketDisconnect) {
      if (this.#state === CONNECTING) this.#deny(403, "The WebSocket handler returned without calling accept()");
      else if (this.#state === OPEN) void this.close(CloseCode.NORMAL_CLOSURE);
      return;
    }
    let [code, reason] = closeFor(failure);
    if (!sendableCode(code)) [code, reason] = [CloseCode.INTERNAL_ERROR, "Internal Error"];
    if (code === CloseCode.INTERNAL_ERROR) logger.error(`${this.#settings.where}: the WebSocket handler failed`, failure);
    this.#shut(code, reason);
  }

  #shut(code: number, reason: string): void {
    if (!sendableCode(code)) throw new TypeError(`${this.#settings.where}: ${code} is not a close code an endpoint may send (use 1000–1003, 1007–1014 or 3000–4999)`);
    const text = closeReason(reason);
    if (this.#state === CONNECTING) return this.#refuse(code, text);
    if (this.#state !== OPEN) return;
    this.#inbox.clear();
    this.#ws!.close(code, text);
    this.#halt({ code, reason: text });
  }

  #send(data: string | Uint8Array, options: typeof TEXT): Promise<void> {
    const ws = this.#ws;
    if (this.#state !== OPEN || ws === undefined) {
      if (this.#state === CONNECTING) return Promise.reject(new Error(`${this.#settings.where}: call accept() before sending`));
      const info = this.#close ?? { code: CloseCode.ABNORMAL_CLOSURE, reason: "" };
      return Promise.reject(new WebSocketDisconnect(info.code, info.reason));
    }
    if (ws.bufferedAmount < this.#settings.highWaterMark) {
      ws.send(data, options);
      return RESOLVED;
    }
    // Back-pressure: resolve once this frame (hence everything before it) has been handed to the OS.
    return new Promise((resolve, reject) => {
      ws.send(data, options, (error) => {
        if (error === undefined || error === null) resolve();
        else reject(new WebSocketDisconnect(this.#close?.code ?? CloseCode.ABNORMAL_CLOSURE, this.#close?.reason ?? ""));
      });
    });
  }

  #attach(ws: WsSocket): void {
    (ws as Owned)[OWNER] = this;
    this.#ws = ws;
    this.#state = OPEN;
    ws.on("message", onMessage);
    ws.on("close", onClose);
    ws.on("error", onError);
    if (this.#settings.pingInterval > 0) {
      this.#beat = { socket: ws, alive: true };
      ws.on("pong", onPong);
      watch(this.#beat, this.#settings.pingInterval);
    }
  }

  // The `ws` listeners are shared functions (no closures per connection); they find their session via OWNER.
  static {
    onMessage = function (this: WsSocket, data: RawData, isBinary: boolean): void {
      const self = (this as Owned)[OWNER];
      if (self.#beat !== undefined) self.#beat.alive = true;
      if (self.#state !== OPEN) return;
      const queued = self.#inbox.put(isBinary ? (data as Buffer) : data.toString());
      if (queued >= MAX_QUEUED && !this.isPaused) this.pause();
    };
    onPong = function (this: WsSocket): void {
      const beat = (this as Owned)[OWNER].#beat;
      if (beat !== undefined) beat.alive = true;
    };
    onError = function (this: WsSocket, error: Error & { code?: string }): void {
      // `ws` closes the connection itself after a protocol error; the handler learns the code now.
      (this as Owned)[OWNER].#halt({ code: errorCode(error.code), reason: error.message });
    };
    onClose = function (this: WsSocket, code: number, reason: Buffer): void {
      (this as Owned)[OWNER].#end({ code, reason: reason.toString() });
    };
  }

  /** Stops receiving: a waiting `receive()` fails with the close code (the first close reason wins). */
  #halt(info: CloseInfo): void {
    this.#close ??= info;
    if (this.#state === OPEN) this.#state = CLOSING;
    if (this.#inbox.waiting) this.#inbox.fail(new WebSocketDisconnect(this.#close.code, this.#close.reason));
    this.#controller?.abort();
  }

  #end(info: CloseInfo): void {
    if (this.#state === CLOSED) return;
    this.#halt(info);
    this.#state = CLOSED;
    if (this.#beat !== undefined) {
      unwatch(this.#beat, this.#settings.pingInterval);
      this.#beat = undefined;
    }
    this.#closedResolve?.(this.#close!);
    this.#closedResolve = undefined;
  }

  #refuse(code: number, reason: string): void {
    const handshake = this.#handshake!;
    this.#handshake = undefined;
    (handshake.raw as { [REFUSAL_OBSERVER]?: (code: number, reason: string) => void })[REFUSAL_OBSERVER]?.(code, reason);
    refuseWithClose(handshake, this.#settings.maxMessageSize, code, reason);
    this.#end({ code, reason });
  }

  #deny(status: number, detail: string): void {
    const handshake = this.#handshake!;
    this.#handshake = undefined;
    refuseHandshake(handshake.socket, status, detail);
    this.#end({ code: CloseCode.ABNORMAL_CLOSURE, reason: detail });
  }
}
