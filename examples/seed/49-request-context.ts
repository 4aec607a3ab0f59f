/**
 * Seed example 49 — request context across the call stack.
 *
 * `RequestIdMiddleware` takes the client's `X-Request-ID` (or makes a UUID), echoes it, and puts it in the request
 * context — Typefast's `contextvars`, on `AsyncLocalStorage`. Any function called during the request reads it with
 * `requestIdVar.get()`, without a parameter; concurrent requests never see each other's id. `contextLogger`
 * stamps it on every line.
 */
import { z } from "zod";
import { App, Path, RequestIdMiddleware, contextLogger, requestIdVar } from "../../src/index.ts";

/** Where the log lines go (a test swaps it). */
export const output = { print: (line: string): void => console.log(line) };

export const app = new App();

// Reads the X-Request-ID header or generates a UUID, sets the context, echoes the id in the response.
app.addMiddleware(RequestIdMiddleware);

/** Reads the request id anywhere: the value set by the middleware for the current request. */
export function getRequestId(): string {
  return requestIdVar.get() ?? "unknown";
}

// Every line carries the first 8 characters of the request id: "[a7c3f2e1] Fetching item 42".
const logger = contextLogger({ info: (m) => output.print(m), warn: (m) => output.print(m), error: (m) => output.print(m) }, { idLength: 8 });

export function log(message: string): void {
  logger.info(message);
}

app.get("/items/{item_id}", { params: { item_id: Path(z.int()) } }, async ({ item_id }) => {
  log(`Fetching item ${item_id}`); // stamped with the request id, no parameter passed
  // Simulate a service call
  log("Calling database");
  return { item_id, request_id: getRequestId() }; // the id, for debugging
});
