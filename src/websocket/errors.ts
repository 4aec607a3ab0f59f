/**
 * The errors of a WebSocket conversation and the close codes they map to (RFC 6455 §7.4.1).
 */
import type { ErrorDetail } from "../errors/validation-error.ts";

/**
 * Close codes used by Typefast, named after RFC 6455 §7.4.1 (the same names as Starlette's `status.WS_…`).
 *
 * @example
 * throw new WebSocketException(CloseCode.POLICY_VIOLATION, "Not a member of this room");
 */
export const CloseCode = Object.freeze({
  NORMAL_CLOSURE: 1000,
  GOING_AWAY: 1001,
  PROTOCOL_ERROR: 1002,
  UNSUPPORTED_DATA: 1003,
  /** Never sent: the connection dropped without a close frame. */
  ABNORMAL_CLOSURE: 1006,
  INVALID_FRAME_PAYLOAD_DATA: 1007,
  POLICY_VIOLATION: 1008,
  MESSAGE_TOO_BIG: 1009,
  INTERNAL_ERROR: 1011,
  TRY_AGAIN_LATER: 1013,
} as const);

/**
 * The peer closed the connection (or it dropped: code 1006). Thrown by `receive…()` once the messages that
 * arrived before the close have been read, and by `send…()` on a closed connection. Letting it escape the handler
 * is a normal end, never logged.
 *
 * @example
 * try { for (;;) await ws.sendText(`Echo: ${await ws.receiveText()}`); }
 * catch (error) { if (!(error instanceof WebSocketDisconnect)) throw error; console.log("left with", error.code); }
 */
export class WebSocketDisconnect extends Error {
  /** The close code: the peer's, 1006 for a dropped connection, or the server's own when it closed first. */
  readonly code: number;
  /** The close reason (may be empty). */
  readonly reason: string;

  constructor(code: number = CloseCode.NORMAL_CLOSURE, reason = "") {
    super(`WebSocket closed with code ${code}${reason ? `: ${reason}` : ""}`);
    this.name = "WebSocketDisconnect";
    this.code = code;
    this.reason = reason;
  }
}

/**
 * Raise to close the connection with a code and reason: before `accept()` (e.g. in a dependency, to refuse a
 * client) or after it. FastAPI's `WebSocketException`.
 *
 * @example
 * const room = Depends({ token: Query(z.string()) }, ({ token }) => rooms.get(token) ?? fail());
 * function fail(): never { throw new WebSocketException(CloseCode.POLICY_VIOLATION, "Unknown room"); }
 */
export class WebSocketException extends Error {
  readonly code: number;
  readonly reason: string;

  constructor(code: number = CloseCode.POLICY_VIOLATION, reason = "") {
    super(reason || `WebSocket closed with code ${code}`);
    this.name = "WebSocketException";
    this.code = code;
    this.reason = reason;
  }
}

/**
 * An incoming message that the handler asked for in a form it does not have: text expected but bytes received
 * (`unexpected_type`, close code 1003), JSON that does not parse (`json_invalid`, 1007), or JSON that does not
 * match the route's `receive` schema (`validation`, 1008, with FastAPI-style `errors`). The handler can catch it
 * and carry on; if it escapes, the connection is closed with `closeCode`.
 *
 * @example
 * try { const msg = await ws.receiveJson(); … }
 * catch (error) { if (error instanceof InvalidMessageError) await ws.sendJson({ error: error.message }); else throw error; }
 */
export class InvalidMessageError extends Error {
  readonly type: "unexpected_type" | "json_invalid" | "validation";
  /** The close code used if the error escapes the handler. */
  readonly closeCode: number;
  /** For `validation`: every problem, as in a 422 (`loc` starts with `"message"`). */
  readonly errors: ErrorDetail[];
  /** The message as received. */
  readonly data: string | Buffer;

  constructor(type: InvalidMessageError["type"], message: string, data: string | Buffer, errors: ErrorDetail[] = []) {
    super(message);
    this.name = "InvalidMessageError";
    this.type = type;
    this.closeCode = type === "unexpected_type" ? CloseCode.UNSUPPORTED_DATA : type === "json_invalid" ? CloseCode.INVALID_FRAME_PAYLOAD_DATA : CloseCode.POLICY_VIOLATION;
    this.errors = errors;
    this.data = data;
  }
}

/** Close reasons are limited to 123 bytes of UTF-8 (RFC 6455 §5.5): longer ones are cut at a character boundary. */
export function closeReason(text: string): string {
  if (Buffer.byteLength(text) <= 123) return text;
  let out = "";
  let size = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (size + n > 120) break;
    out += ch;
    size += n;
  }
  return out + "…";
}
