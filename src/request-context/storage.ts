/**
 * The one `AsyncLocalStorage` behind every {@link ContextVar}: each request gets a frame (a `Map` from variable to
 * value) that follows the request through `await`s, timers and streams, and is never shared with another request.
 *
 * Frames are opened by the request-context middleware, not by the app for every request: on Node 20 the first
 * `AsyncLocalStorage.run` turns on promise hooks process-wide, a cost only apps that use the context should pay.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Request } from "../http/request.ts";

/** One request's variables. */
export type Frame = Map<object, unknown>;

/** @internal */
export const storage = new AsyncLocalStorage<Frame>();

// The frame of each request, so the app can re-enter it for work that starts outside the middleware's call:
// sending a streamed body, background tasks, teardown after the response.
const frames = new WeakMap<Request, Frame>();
let framesOpened = false;

/**
 * Runs `fn` in `request`'s frame, opening the frame first unless an outer middleware already did.
 * @internal Used by `RequestContextMiddleware` and `RequestIdMiddleware`.
 */
export function openRequestFrame<R>(request: Request, fn: () => R): R {
  let frame = frames.get(request);
  if (frame === undefined) {
    frame = new Map();
    frames.set(request, frame);
    framesOpened = true;
  }
  return storage.getStore() === frame ? fn() : storage.run(frame, fn);
}

/**
 * Runs `fn` inside `request`'s frame when one was opened, else just runs it. The app calls this around sending the
 * response and the after-response work, so they see the same context as the handler.
 * @internal
 */
export function resumeRequestFrame<R>(request: Request, fn: () => R): R {
  if (!framesOpened) return fn();
  const frame = frames.get(request);
  return frame === undefined ? fn() : storage.run(frame, fn);
}
