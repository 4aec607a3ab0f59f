/**
 * Exception handlers for WebSocket routes: what `app.exceptionHandler` is for HTTP, for a conversation that has no
 * response to return. A handler gets the socket and the error that escaped the route (its dependencies, before or
 * after `accept()`, or the handler) and ends the conversation its own way — a last JSON message, a close code of
 * the app's own (4000–4999), a refusal before the handshake completes.
 */
import type { ErrorClass } from "../errors/exception-handlers.ts";
import type { WebSocket } from "./websocket.ts";

/**
 * Handles an error escaping a WebSocket route. Close the socket with the code you want (before `accept()`, that
 * refuses the handshake); if the handler leaves it open, it is closed normally (1000). A handler that throws is
 * treated like the route throwing that error (a `WebSocketException` closes with its code, anything else 1011).
 */
export type WebSocketExceptionHandler<E = any> = (ws: WebSocket<any, any>, error: E) => void | Promise<void>;

/** The WebSocket exception handlers of one app, matched by class (the nearest registered base class wins). */
export class WebSocketExceptionHandlers {
  readonly #byClass = new Map<Function, WebSocketExceptionHandler>();

  /** Registers `handler` for `errorClass` and its subclasses (a later registration for the same class replaces it). */
  add(errorClass: ErrorClass<unknown>, handler: WebSocketExceptionHandler): void {
    if (typeof errorClass !== "function") throw new TypeError("websocketExceptionHandler: the first argument must be an error class, e.g. NotFoundError.");
    if (typeof handler !== "function") throw new TypeError("websocketExceptionHandler: the second argument must be the handler function (ws, error) => ….");
    this.#byClass.set(errorClass, handler);
  }

  /** The handler for `error`, if one is registered for its class or a base class. */
  find(error: unknown): WebSocketExceptionHandler | undefined {
    if (this.#byClass.size === 0 || typeof error !== "object" || error === null) return undefined;
    for (let proto = Object.getPrototypeOf(error); proto !== null; proto = Object.getPrototypeOf(proto)) {
      const handler = this.#byClass.get(proto.constructor);
      if (handler) return handler;
    }
    return undefined;
  }
}
