/**
 * {@link ConnectionManager}: the WebSockets of this process grouped in rooms, and broadcasts that reach the rooms'
 * members on every process through a {@link Broadcaster} (seed example 37, scaled out).
 */
import { CloseCode } from "../websocket/errors.ts";
import type { WebSocket } from "../websocket/websocket.ts";
import { MemoryBroadcaster, type Broadcaster, type Unsubscribe } from "./broadcaster.ts";

/** Options of {@link ConnectionManager}. */
export interface ConnectionManagerOptions {
  /** Where broadcasts travel (default: a new {@link MemoryBroadcaster}, i.e. this process only). */
  broadcaster?: Broadcaster;
  /** Bytes already queued for one client beyond which it counts as slow (default 1 MiB). */
  maxBuffered?: number;
  /**
   * What happens to a slow client: `"close"` (default) closes it with 1013 (try again later) so it reconnects and
   * catches up; `"drop"` skips the message for it and keeps it connected. Either way the others are not delayed.
   */
  onSlow?: "close" | "drop";
  /** Prefix of the broadcaster channels used for rooms (default `"ws:"`). */
  channelPrefix?: string;
}

/** A message to broadcast: a string as is, anything else as JSON. */
export type BroadcastMessage = string | number | boolean | null | object;

interface Room {
  readonly members: Set<WebSocket<any, any>>;
  readonly subscription: Promise<Unsubscribe>;
}

/** The room every connected socket is in: `broadcast()` without a room reaches it. */
const EVERYONE = "*";

/**
 * Tracks this process's connections and their rooms. `broadcast()` publishes through the broadcaster; each
 * process's manager then sends the message to its own members of the room. Sending never waits for a client:
 * a client with more than `maxBuffered` bytes queued is closed (or skipped, see `onSlow`), so a slow or dead
 * client never holds up the others. Closed sockets leave their rooms by themselves.
 *
 * @example
 * const manager = new ConnectionManager({ broadcaster: new RedisBroadcaster({ url: process.env.REDIS_URL }) });
 * app.websocket("/ws/{room}", { params: { room: Path() } }, async ({ room }, ws) => {
 *   await manager.connect(ws, room);
 *   for await (const text of ws.iterText()) await manager.broadcast(text, { room });
 * });
 */
export class ConnectionManager {
  readonly broadcaster: Broadcaster;
  readonly #maxBuffered: number;
  readonly #onSlow: "close" | "drop";
  readonly #prefix: string;
  readonly #rooms = new Map<string, Room>();
  readonly #memberships = new Map<WebSocket<any, any>, Set<string>>();

  constructor(options: ConnectionManagerOptions = {}) {
    this.broadcaster = options.broadcaster ?? new MemoryBroadcaster();
    this.#maxBuffered = options.maxBuffered ?? 1024 * 1024;
    this.#onSlow = options.onSlow ?? "close";
    this.#prefix = options.channelPrefix ?? "ws:";
  }

  /**
   * Accepts the socket if it is not yet accepted, then adds it to the manager (and to `rooms`). It is removed
   * when it closes.
   *
   * @example
   * await manager.connect(ws, "lobby");
   */
  async connect(ws: WebSocket<any, any>, ...rooms: string[]): Promise<void> {
    if (ws.state === "connecting") await ws.accept();
    if (this.#memberships.has(ws) || ws.state !== "open") return;
    this.#memberships.set(ws, new Set());
    void ws.closed.then(() => this.disconnect(ws));
    for (const room of [EVERYONE, ...rooms]) await this.join(ws, room);
  }

  /** Removes the socket from every room (it stays open). Called automatically when it closes. */
  async disconnect(ws: WebSocket<any, any>): Promise<void> {
    const rooms = this.#memberships.get(ws);
    if (rooms === undefined) return;
    this.#memberships.delete(ws);
    await Promise.all([...rooms].map((room) => this.#leave(ws, room)));
  }

  /** Adds a connected socket to a room; resolves once broadcasts to the room reach it. */
  async join(ws: WebSocket<any, any>, room: string): Promise<void> {
    const rooms = this.#memberships.get(ws);
    if (rooms === undefined) throw new Error("ConnectionManager.join: connect() the socket first");
    if (rooms.has(room)) return;
    rooms.add(room);
    let entry = this.#rooms.get(room);
    if (entry === undefined) {
      const members = new Set<WebSocket<any, any>>();
      const subscription = this.broadcaster.subscribe(this.#prefix + room, (message) => this.#fanOut(members, message));
      entry = { members, subscription };
      this.#rooms.set(room, entry);
    }
    entry.members.add(ws);
    await entry.subscription;
  }

  /** Removes a socket from one room. */
  async leave(ws: WebSocket<any, any>, room: string): Promise<void> {
    if (room === EVERYONE) return this.disconnect(ws);
    if (this.#memberships.get(ws)?.delete(room)) await this.#leave(ws, room);
  }

  /**
   * Sends `message` to every member of `room` (default: every connected socket) on every process sharing the
   * broadcaster.
   *
   * @example
   * await manager.broadcast({ type: "left", client: id });
   */
  async broadcast(message: BroadcastMessage, options: { room?: string } = {}): Promise<void> {
    await this.broadcaster.publish(this.#prefix + (options.room ?? EVERYONE), encode(message));
  }

  /** Sends `message` to one socket only (FastAPI's `send_personal_message`). */
  async sendPersonal(message: BroadcastMessage, ws: WebSocket<any, any>): Promise<void> {
    await ws.sendText(encode(message));
  }

  /** Sockets of this process in `room` (default: all connected). */
  count(room: string = EVERYONE): number {
    return this.#rooms.get(room)?.members.size ?? 0;
  }

  /** The rooms a socket is in (the everyone-room excluded). */
  roomsOf(ws: WebSocket<any, any>): string[] {
    return [...(this.#memberships.get(ws) ?? [])].filter((room) => room !== EVERYONE);
  }

  /** Forgets every socket and ends every subscription (the sockets stay open; the broadcaster is not closed). */
  async close(): Promise<void> {
    const rooms = [...this.#rooms.values()];
    this.#rooms.clear();
    this.#memberships.clear();
    await Promise.all(rooms.map(async (room) => (await room.subscription)()));
  }

  async #leave(ws: WebSocket<any, any>, room: string): Promise<void> {
    const entry = this.#rooms.get(room);
    if (entry === undefined) return;
    entry.members.delete(ws);
    if (entry.members.size > 0) return;
    this.#rooms.delete(room);
    const unsubscribe = await entry.subscription.catch(() => undefined);
    await unsubscribe?.();
  }

  #fanOut(members: Set<WebSocket<any, any>>, message: string): void {
    for (const ws of members) {
      if (ws.state !== "open") continue;
      if (ws.bufferedAmount > this.#maxBuffered) {
        if (this.#onSlow === "close") void ws.close(CloseCode.TRY_AGAIN_LATER, "Too slow to keep up with broadcasts");
        continue;
      }
      ws.sendText(message).catch(noop);
    }
  }
}

function encode(message: BroadcastMessage): string {
  return typeof message === "string" ? message : (JSON.stringify(message) ?? "null");
}

function noop(): void {}
