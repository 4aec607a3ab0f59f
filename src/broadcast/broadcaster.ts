/**
 * Publish/subscribe behind one small interface, so that a chat room or a live dashboard runs unchanged on one
 * process ({@link MemoryBroadcaster}) or on many sharing Redis (`RedisBroadcaster`).
 */

/** Receives the messages published on a channel. */
export type BroadcastListener = (message: string, channel: string) => void;

/** Ends a subscription (idempotent). */
export type Unsubscribe = () => Promise<void>;

/**
 * A pub/sub backend. Messages are strings (serialize objects yourself, or let `ConnectionManager` do it);
 * delivery is at-most-once and in publish order per channel, to every subscriber of every process sharing the
 * backend — the publisher's own subscribers included.
 *
 * @example
 * const off = await broadcaster.subscribe("room:1", (message) => console.log(message));
 * await broadcaster.publish("room:1", JSON.stringify({ text: "hi" }));
 * await off();
 */
export interface Broadcaster {
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is active (a message published after that is received). */
  subscribe(channel: string, listener: BroadcastListener): Promise<Unsubscribe>;
  /** Drops every subscription and releases connections. */
  close(): Promise<void>;
}

/** Where a broadcaster reports a listener that threw (it never stops delivery to the others). */
export type BroadcastErrorHandler = (error: unknown, channel: string) => void;

const defaultOnError: BroadcastErrorHandler = (error, channel) => console.error(`A broadcast listener of channel ${JSON.stringify(channel)} failed`, error);

/** Calls every listener of a channel; one that throws is reported and the others still run. */
export function deliver(listeners: Iterable<BroadcastListener>, message: string, channel: string, onError: BroadcastErrorHandler): void {
  for (const listener of listeners) {
    try {
      listener(message, channel);
    } catch (error) {
      onError(error, channel);
    }
  }
}

/**
 * The in-process backend: a map of channels to listeners. Delivery is synchronous within `publish`, so a message
 * reaches local WebSockets with no added latency.
 *
 * @example
 * const manager = new ConnectionManager({ broadcaster: new MemoryBroadcaster() });
 */
export class MemoryBroadcaster implements Broadcaster {
  readonly #channels = new Map<string, Set<BroadcastListener>>();
  readonly #onError: BroadcastErrorHandler;

  constructor(options: { onError?: BroadcastErrorHandler } = {}) {
    this.#onError = options.onError ?? defaultOnError;
  }

  async publish(channel: string, message: string): Promise<void> {
    const listeners = this.#channels.get(channel);
    // A copy: a listener may unsubscribe (or subscribe) while the message is being delivered.
    if (listeners !== undefined) deliver([...listeners], message, channel, this.#onError);
  }

  async subscribe(channel: string, listener: BroadcastListener): Promise<Unsubscribe> {
    let listeners = this.#channels.get(channel);
    if (listeners === undefined) this.#channels.set(channel, (listeners = new Set()));
    // Each subscription is its own entry, so subscribing the same function twice needs two unsubscribes.
    const entry: BroadcastListener = (message, ch) => listener(message, ch);
    listeners.add(entry);
    const set = listeners;
    return async () => {
      set.delete(entry);
      if (set.size === 0 && this.#channels.get(channel) === set) this.#channels.delete(channel);
    };
  }

  async close(): Promise<void> {
    this.#channels.clear();
  }

  /** Channels with at least one subscriber (for leak checks in tests). */
  get channels(): readonly string[] {
    return [...this.#channels.keys()];
  }
}

export { defaultOnError };
