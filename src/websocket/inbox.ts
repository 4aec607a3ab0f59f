/**
 * The messages a connection has received but its handler has not read yet, and the one `receive()` waiting for
 * the next. The owner pauses the socket when too many wait (inbound back-pressure).
 */

/** A message as received: text frames as strings, binary frames as Buffers. */
export type WebSocketMessage = string | Buffer;

/** One connection's unread messages. @internal */
export class Inbox {
  #queue: WebSocketMessage[] | undefined;
  #resolve: ((message: WebSocketMessage) => void) | undefined;
  #reject: ((error: unknown) => void) | undefined;

  /** Messages waiting to be read. */
  get size(): number {
    return this.#queue?.length ?? 0;
  }

  /** True while a reader waits. */
  get waiting(): boolean {
    return this.#resolve !== undefined;
  }

  /** Hands `message` to the waiting reader, or queues it; returns how many messages are queued. */
  put(message: WebSocketMessage): number {
    const resolve = this.#resolve;
    if (resolve !== undefined) {
      this.#resolve = this.#reject = undefined;
      resolve(message);
      return 0;
    }
    return (this.#queue ??= []).push(message);
  }

  /** The oldest queued message, if any. */
  take(): WebSocketMessage | undefined {
    return this.#queue?.shift();
  }

  /** Waits for the next message (the caller checked that nobody else waits). */
  wait(): Promise<WebSocketMessage> {
    return new Promise((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
  }

  /** Fails the waiting reader, if any. */
  fail(error: unknown): void {
    const reject = this.#reject;
    this.#resolve = this.#reject = undefined;
    reject?.(error);
  }

  /** Drops every queued message. */
  clear(): void {
    this.#queue = undefined;
  }
}
