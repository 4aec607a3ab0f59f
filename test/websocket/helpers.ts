/** Shared helpers of the realtime test suites. */
import { WebSocket as WsClient } from "ws";
import { collectingLogger, type CollectingLogger } from "../core/helpers.ts";

export { collectingLogger, type CollectingLogger };

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds (work after a close runs asynchronously). */
export async function until(check: () => boolean, timeoutMs = 3000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what} not reached within ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** Timers (setTimeout/setInterval) currently keeping the event loop busy. */
export function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

/** A `ws` client with its messages, close and HTTP refusal collected as promises. */
export interface Client {
  readonly socket: WsClient;
  readonly opened: Promise<void>;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The status of a refused handshake. */
  readonly refused: Promise<number>;
  next(): Promise<string>;
}

export function connect(url: string, protocols: string[] = [], options: ConstructorParameters<typeof WsClient>[2] = {}): Client {
  const socket = new WsClient(url, protocols, options);
  const queue: string[] = [];
  const waiters: Array<(m: string) => void> = [];
  socket.on("message", (data) => {
    const text = String(data);
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else queue.push(text);
  });
  socket.on("error", () => undefined);
  return {
    socket,
    opened: new Promise((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("close", () => reject(new Error("closed before open")));
    }),
    closed: new Promise((resolve) => socket.once("close", (code, reason) => resolve({ code, reason: String(reason) }))),
    refused: new Promise((resolve) => socket.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0))),
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift()!) : new Promise((resolve) => waiters.push(resolve))),
  };
}
