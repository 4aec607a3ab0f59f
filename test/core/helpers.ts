/** Shared helpers of the core test suite. */
import type { Logger } from "../../src/index.ts";

/** A logger that records what the framework reports, so tests can assert on it. */
export interface CollectingLogger extends Logger {
  readonly errors: Array<{ message: string; error: unknown }>;
  readonly infos: string[];
  readonly warnings: string[];
}

export function collectingLogger(): CollectingLogger {
  const errors: CollectingLogger["errors"] = [];
  const infos: string[] = [];
  const warnings: string[] = [];
  return {
    errors,
    infos,
    warnings,
    error: (message, error) => void errors.push({ message, error }),
    warn: (message) => void warnings.push(message),
    info: (message) => void infos.push(message),
  };
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it returns true (after-response work runs asynchronously after the client got its answer). */
export async function eventually(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error("condition not reached in time");
    await sleep(2);
  }
}
