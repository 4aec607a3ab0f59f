/**
 * Ping/pong keep-alive for server-side sockets: one timer per interval value for all connections (not one per
 * connection), started with the first socket and cleared with the last, so an idle server holds no timer at all.
 *
 * Each tick, a socket that has not answered the previous ping (no pong, no message) is terminated; the others get
 * a new ping. A dead peer is therefore noticed within two intervals.
 */
import type { WebSocket as WsSocket } from "ws";

/** A socket watched by a heartbeat; `alive` is set again by the owner on every pong or message. */
export interface Beating {
  readonly socket: WsSocket;
  alive: boolean;
}

class Heartbeat {
  readonly #members = new Set<Beating>();
  readonly #interval: number;
  #timer: NodeJS.Timeout | undefined;

  constructor(interval: number) {
    this.#interval = interval;
  }

  add(member: Beating): void {
    this.#members.add(member);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), this.#interval);
      // Keep-alive must never keep the process alive by itself.
      this.#timer.unref();
    }
  }

  delete(member: Beating): void {
    this.#members.delete(member);
    if (this.#members.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  get size(): number {
    return this.#members.size;
  }

  #tick(): void {
    for (const member of this.#members) {
      if (!member.alive) {
        member.socket.terminate();
        continue;
      }
      member.alive = false;
      try {
        member.socket.ping();
      } catch {
        // The socket is closing; its close handler removes it.
      }
    }
  }
}

const heartbeats = new Map<number, Heartbeat>();

/** Watches `member` with a ping every `interval` ms (no closure per socket: memory matters at 10k sockets). */
export function watch(member: Beating, interval: number): void {
  let heartbeat = heartbeats.get(interval);
  if (heartbeat === undefined) heartbeats.set(interval, (heartbeat = new Heartbeat(interval)));
  heartbeat.add(member);
}

/** Stops watching `member` (idempotent); the last one out clears the timer. */
export function unwatch(member: Beating, interval: number): void {
  const heartbeat = heartbeats.get(interval);
  if (heartbeat === undefined) return;
  heartbeat.delete(member);
  if (heartbeat.size === 0) heartbeats.delete(interval);
}

/** How many sockets are watched, across every interval (for leak assertions in tests). */
export function watchedSockets(): number {
  let n = 0;
  for (const hb of heartbeats.values()) n += hb.size;
  return n;
}
