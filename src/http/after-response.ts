import type { Request } from "./request.ts";

type Hook = () => Promise<void> | void;

/** Schedules work for after `request`'s response has been sent (teardown, background tasks). */
export function onResponseSent(request: Request, hook: Hook): void {
  const list = request.afterResponse;
  if (list) list.push(hook);
  else request.afterResponse = [hook];
}

/** Runs what {@link onResponseSent} scheduled, in order; the caller logs failures. */
export async function runResponseSent(request: Request, onError: (error: unknown) => void): Promise<void> {
  const list = request.afterResponse;
  if (list === undefined) return;
  request.afterResponse = undefined;
  for (const hook of list) {
    try {
      await hook();
    } catch (error) {
      onError(error);
    }
  }
}

/** True when something waits for the response to be sent. */
export function hasResponseSentHooks(request: Request): boolean {
  return request.afterResponse !== undefined;
}
