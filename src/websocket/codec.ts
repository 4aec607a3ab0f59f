/**
 * What a WebSocket message means: JSON in and out through the route's schemas, and the close code for whatever
 * ended a handler (RFC 6455 §7.4.1).
 */
import { HTTPException } from "../errors/http-exception.ts";
import { parseJson } from "../http/body.ts";
import { issuesToDetails } from "../errors/issue-to-detail.ts";
import { RequestValidationError, ResponseValidationError } from "../errors/validation-error.ts";
import type { CompiledSchema } from "../schema/compile.ts";
import { CloseCode, InvalidMessageError, WebSocketDisconnect, WebSocketException } from "./errors.ts";

/** Parses a received message as JSON and validates it; problems become {@link InvalidMessageError}s. */
export async function decodeJson(message: string | Buffer, schema: CompiledSchema | undefined): Promise<unknown> {
  // The same parser as HTTP bodies: `__proto__` and `constructor.prototype` keys are removed.
  const parsed = parseJson(typeof message === "string" ? message : message.toString("utf8"));
  if (!parsed.ok) throw new InvalidMessageError("json_invalid", `Invalid JSON: ${parsed.message}`, message);
  const value = parsed.value;
  if (schema === undefined) return value;
  let result = schema.validate(value);
  if (result instanceof Promise) result = await result;
  if (result.issues === undefined) return result.value;
  const errors = issuesToDetails(result.issues, ["message"], value);
  throw new InvalidMessageError("validation", new RequestValidationError(errors).message, message, errors);
}

/** Validates (and filters) an outgoing value, then serializes it; a mismatch is a server bug. */
export async function encodeJson(value: unknown, schema: CompiledSchema | undefined, where: string): Promise<string> {
  let out = value;
  if (schema !== undefined) {
    let result = schema.validate(value);
    if (result instanceof Promise) result = await result;
    if (result.issues !== undefined) throw new ResponseValidationError(`${where} (sendJson)`, issuesToDetails(result.issues, ["message"], value));
    out = result.value;
  }
  return JSON.stringify(out) ?? "null";
}

const GONE = Symbol("gone");

/** Resolves with the next message, or {@link GONE} once the peer has disconnected (for `for await` loops). */
export async function untilDisconnect<T>(next: Promise<T>): Promise<T | typeof GONE> {
  try {
    return await next;
  } catch (error) {
    if (error instanceof WebSocketDisconnect) return GONE;
    throw error;
  }
}
export { GONE };

/** Yields what `next()` resolves to until the peer disconnects; the loop then simply ends. */
export async function* iterate<T>(next: () => Promise<T>): AsyncGenerator<T, void, undefined> {
  for (;;) {
    const message = await untilDisconnect(next());
    if (message === GONE) return;
    yield message;
  }
}

/** RFC 6455 §7.4.1: codes an endpoint may put in a close frame (1004–1006 and 1015 are reserved). */
export function sendableCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999));
}

/** `ws` error codes → the close code it sends. */
export function errorCode(code: string | undefined): number {
  if (code === "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH") return CloseCode.MESSAGE_TOO_BIG;
  if (code === "WS_ERR_INVALID_UTF8") return CloseCode.INVALID_FRAME_PAYLOAD_DATA;
  if (code !== undefined && code.startsWith("WS_ERR_")) return CloseCode.PROTOCOL_ERROR;
  return CloseCode.ABNORMAL_CLOSURE;
}

/** The close code and reason for an error that ended a handler (before or after `accept()`). */
export function closeFor(error: unknown): [number, string] {
  if (error instanceof WebSocketException) return [error.code, error.reason];
  if (error instanceof InvalidMessageError) return [error.closeCode, error.message];
  if (error instanceof RequestValidationError) return [CloseCode.POLICY_VIOLATION, error.message];
  if (error instanceof HTTPException) return [error.status >= 500 ? CloseCode.INTERNAL_ERROR : CloseCode.POLICY_VIOLATION, error.message];
  return [CloseCode.INTERNAL_ERROR, "Internal Error"];
}
