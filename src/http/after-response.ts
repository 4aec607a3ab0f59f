import type { Request } from "./request.ts";

type Hook = () => Promise<void> | void;

/** Schedules work for after `request`'s response has been sent (teardown, background tasks). */
export function onResponseSent(request: Request, hook: Hook): void {
  const list = request.afterResponse;
  if (list) list.push(hook);
  else request.afterResponse = [hook];
}

/**
 * Runs what {@link onResponseSent} scheduled, in order, each after the previous one finished; failures go to
 * `onError`. Synchronous hooks run synchronously: the result is a promise only once a hook returned one.
 */
export function runResponseSent(request: Request, onError: (error: unknown) => void): void | Promise<void> {
  const list = request.afterResponse;
  if (list === undefined) return;
  request.afterResponse = undefined;
  return runHooks(list, 0, onError);
}

function runHooks(list: readonly Hook[], from: number, onError: (error: unknown) => void): void | Promise<void> {
  for (let i = from; i < list.length; i++) {
    let result: void | Promise<void>;
    try {
      result = list[i]!();
    } catch (error) {
      onError(error);
      continue;
    }
    if (result instanceof Promise) {
      return result.then(
        () => runHooks(list, i + 1, onError),
        (error: unknown) => {
          onError(error);
          return runHooks(list, i + 1, onError);
        },
      );
    }
  }
}

/** True when something waits for the response to be sent. */
export function hasResponseSentHooks(request: Request): boolean {
  return request.afterResponse !== undefined;
}
