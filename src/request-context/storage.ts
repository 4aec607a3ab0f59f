/**
 * The one `AsyncLocalStorage` behind every {@link ContextVar}: each request gets a frame (a `Map` from variable to
 * value) that follows the request through `await`s, timers and streams, and is never shared with another request.
 *
 * Frames are opened by the request-context middleware, not by the app for every request: on Node 20 the first
 * `AsyncLocalStorage.run` turns on promise hooks process-wide, a cost only apps that use the context should pay.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Request } from "../http/request.ts";

/** One request's variables. @internal */
export type Frame = Map<object, unknown>;

/** @internal */
export const storage = new AsyncLocalStorage<Frame>();

// Each request's frame sits in its `state` under a private symbol, so the app can re-enter it for the work that
// starts outside the middleware's call: sending a streamed body, background tasks, teardown after the response.
// (A WeakMap keyed by request measured ~1 µs per request more: ephemeron inserts are not free.)
const FRAME: unique symbol = Symbol("typefast.requestFrame");
let framesOpened = false;

function slot(request: Request): { [FRAME]?: Frame } {
  return request.state as { [FRAME]?: Frame };
}

/**
 * Runs `fn` in `request`'s frame, opening the frame first unless an outer middleware already did.
 * @internal Used by `RequestContextMiddleware` and `RequestIdMiddleware`.
 */
export function openRequestFrame<R>(request: Request, fn: () => R): R {
  const state = slot(request);
  let frame = state[FRAME];
  if (frame === undefined) {
    frame = new Map();
    state[FRAME] = frame;
    framesOpened = true;
  }
  return storage.getStore() === frame ? fn() : storage.run(frame, fn);
}

/**
 * Runs `fn` inside `request`'s frame when one was opened, else just runs it. The app calls this around sending the
 * response and the after-response work, so they see the same context as the handler. Until some request opens a
 * frame, this costs one boolean test.
 * @internal
 */
export function resumeRequestFrame<R>(request: Request, fn: () => R): R {
  if (!framesOpened) return fn();
  const frame = slot(request)[FRAME];
  return frame === undefined ? fn() : storage.run(frame, fn);
}
