/**
 * The Redis backend: Redis pub/sub (ioredis) carries every message to every process subscribed to its channel,
 * so a broadcast from one app process reaches the WebSockets connected to all of them.
 */
import { Redis, type RedisOptions } from "ioredis";
import { defaultOnError, deliver, type BroadcastErrorHandler, type BroadcastListener, type Broadcaster, type Unsubscribe } from "./broadcaster.ts";

/** Options of {@link RedisBroadcaster}: a `url`, or a `client` to share (it is duplicated for subscribing). */
export interface RedisBroadcasterOptions {
  /** `redis://host:port/db` (default `redis://127.0.0.1:6379`). */
  url?: string;
  /** An ioredis client to publish with; a duplicate of it subscribes. Closing the broadcaster leaves it open. */
  client?: Redis;
  /** More ioredis options when connecting by `url`. */
  redis?: RedisOptions;
  /** Prefix of the Redis channel names, so several apps can share one Redis (default `"typefast:"`). */
  prefix?: string;
  /** Where a throwing listener is reported (default: the console). */
  onError?: BroadcastErrorHandler;
}

interface Channel {
  readonly listeners: Set<BroadcastListener>;
  /** The SUBSCRIBE command: later subscribers wait for it too. */
  ready: Promise<unknown>;
}

/**
 * Publishes with one connection and subscribes with another (a subscribed Redis connection can do nothing else).
 * One Redis SUBSCRIBE per channel per process, however many local listeners; UNSUBSCRIBE when the last one leaves.
 * ioredis reconnects on its own and re-subscribes after a reconnection; messages published meanwhile are lost
 * (pub/sub is at-most-once).
 *
 * @example
 * const broadcaster = new RedisBroadcaster({ url: process.env.REDIS_URL });
 * const manager = new ConnectionManager({ broadcaster });
 */
export class RedisBroadcaster implements Broadcaster {
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #owned: Redis[];
  readonly #prefix: string;
  readonly #onError: BroadcastErrorHandler;
  readonly #channels = new Map<string, Channel>();

  constructor(options: RedisBroadcasterOptions = {}) {
    if (options.client !== undefined) {
      this.#publisher = options.client;
      this.#subscriber = options.client.duplicate();
      this.#owned = [this.#subscriber];
    } else {
      const url = options.url ?? "redis://127.0.0.1:6379";
      this.#publisher = new Redis(url, { ...options.redis });
      this.#subscriber = new Redis(url, { ...options.redis });
      this.#owned = [this.#publisher, this.#subscriber];
    }
    this.#prefix = options.prefix ?? "typefast:";
    this.#onError = options.onError ?? defaultOnError;
    this.#subscriber.on("message", (redisChannel: string, message: string) => {
      if (!redisChannel.startsWith(this.#prefix)) return;
      const channel = redisChannel.slice(this.#prefix.length);
      const entry = this.#channels.get(channel);
      if (entry !== undefined) deliver([...entry.listeners], message, channel, this.#onError);
    });
    // Errors are retried by ioredis; without a listener each one would be an uncaught 'error' event.
    for (const connection of this.#owned) connection.on("error", () => undefined);
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.#publisher.publish(this.#prefix + channel, message);
  }

  async subscribe(channel: string, listener: BroadcastListener): Promise<Unsubscribe> {
    const entry: BroadcastListener = (message, ch) => listener(message, ch);
    let state = this.#channels.get(channel);
    if (state === undefined) {
      state = { listeners: new Set(), ready: Promise.resolve() };
      this.#channels.set(channel, state);
      state.ready = this.#whenReady().then(() => this.#subscriber.subscribe(this.#prefix + channel));
    }
    state.listeners.add(entry);
    try {
      await state.ready;
    } catch (error) {
      state.listeners.delete(entry);
      if (state.listeners.size === 0 && this.#channels.get(channel) === state) this.#channels.delete(channel);
      throw error;
    }
    const subscribed = state;
    let done = false;
    return async () => {
      if (done) return;
      done = true;
      subscribed.listeners.delete(entry);
      if (subscribed.listeners.size > 0 || this.#channels.get(channel) !== subscribed) return;
      this.#channels.delete(channel);
      if (this.#subscriber.status === "ready") await this.#subscriber.unsubscribe(this.#prefix + channel);
    };
  }

  // A SUBSCRIBE sent while ioredis is still in its ready check ("connect") is acknowledged, but the connection
  // is then not treated as subscribed and its messages are never emitted: wait for "ready" first.
  #whenReady(): Promise<void> {
    const connection = this.#subscriber;
    if (connection.status === "ready") return Promise.resolve();
    if (connection.status === "wait") connection.connect().catch(() => undefined); // lazyConnect
    return new Promise((resolve, reject) => {
      const ready = (): void => {
        connection.off("end", end);
        resolve();
      };
      const end = (): void => {
        connection.off("ready", ready);
        reject(new Error("The Redis connection was closed before it was ready"));
      };
      connection.once("ready", ready);
      connection.once("end", end);
    });
  }

  async close(): Promise<void> {
    this.#channels.clear();
    await Promise.all(this.#owned.map((connection) => connection.quit().catch(() => connection.disconnect())));
  }

  /** Channels with at least one local subscriber (for leak checks in tests). */
  get channels(): readonly string[] {
    return [...this.#channels.keys()];
  }
}
