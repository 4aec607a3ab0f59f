import type { Request } from "./request.ts";

type Hook = () => Promise<void> | void;

const hooks = new WeakMap<Request, Hook[]>();

/** Schedules work for after `request`'s response has been sent (teardown, background tasks). */
export function onResponseSent(request: Request, hook: Hook): void {
  const list = hooks.get(request);
  if (list) list.push(hook);
  else hooks.set(request, [hook]);
}

/** Runs what {@link onResponseSent} scheduled, in order; the caller logs failures. */
export async function runResponseSent(request: Request, onError: (error: unknown) => void): Promise<void> {
  const list = hooks.get(request);
  if (list === undefined) return;
  hooks.delete(request);
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
  return hooks.has(request);
}
