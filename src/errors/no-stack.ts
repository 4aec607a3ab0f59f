/**
 * Errors that are answers, not bugs (`HTTPException`, `RequestValidationError`, a client that went away), are
 * built without a stack trace: capturing one costs several microseconds — more than the whole request — and a
 * 404 or 422 flood would pay it for every request, while the trace would only ever point into the framework.
 *
 * Usage, in the constructor of such an error: `super(withoutStack(message)); restoreStack();`. The argument is
 * evaluated just before the `Error` constructor captures its trace, and nothing can run in between.
 */
let saved = Error.stackTraceLimit;

/** Returns `message` unchanged, after turning stack capture off for the error about to be constructed. @internal */
export function withoutStack<T>(message: T): T {
  saved = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  return message;
}

/** Turns stack capture back on (call it right after `super`). @internal */
export function restoreStack(): void {
  Error.stackTraceLimit = saved;
}
