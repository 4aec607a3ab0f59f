/**
 * The primary process of `serve(app, { workers })`: it runs the `primary` hook, supervises the workers (see
 * `cluster.ts`) and never starts the app itself — no lifespan, no connection pools, no port of its own.
 */
import os from "node:os";
import type { App } from "../app.ts";
import { TypefastError } from "../errors/typefast-error.ts";
import { supervise } from "./cluster.ts";
import type { ServeOptions } from "./serve.ts";

/** The largest `workers` count `serve()` and `typefast run --workers` accept: more is a typo, not a deployment. */
export const MAX_WORKERS = 256;
/** What a worker gets, on top of its drain (`shutdownDelay` + `gracefulTimeout`), for the app's shutdown hooks. */
const SHUTDOWN_ALLOWANCE_MS = 5000;

/** The primary process of `serve(app, { workers })`: it supervises the workers, which do the serving. */
export interface ClusterPrimary {
  /** `http://host:port`, shared by every worker. */
  readonly url: string;
  readonly port: number;
  /** Process ids of the workers serving now. */
  pids(): number[];
  /**
   * Rolling restart (what SIGHUP does): starts a new worker, waits until it listens, then stops an old one
   * gracefully, one at a time. Resolves `false` if a new worker failed to start; the old ones keep serving then.
   */
  restart(): Promise<boolean>;
  /** Stops every worker gracefully (each drains like a single `serve()` on SIGTERM) and resolves once all exited. */
  close(): Promise<void>;
  /** Resolves once the workers are gone for good: 0 after `close()` or a signal, 1 when they kept failing to start. */
  readonly done: Promise<number>;
}

/** Throws `TF_SERVE_WORKERS` unless `workers` is an integer from 1 to {@link MAX_WORKERS}. */
export function checkWorkers(workers: unknown): asserts workers is number {
  if (typeof workers === "number" && Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS) return;
  throw new TypefastError(
    "TF_SERVE_WORKERS",
    `serve(): workers must be a whole number from 1 to ${MAX_WORKERS}, got ${typeof workers === "number" ? workers : JSON.stringify(workers)}. ` +
      `One per CPU core is a good start (${os.availableParallelism()} here); leave it unset to serve from this process alone.`,
  );
}

/** Runs the `primary` hook; a failure sets exit code 1 and rejects with `TF_PRIMARY_FAILED` (cause: the error). */
export async function runPrimaryHook(app: App, hook: () => unknown): Promise<void> {
  try {
    await hook();
  } catch (error) {
    process.exitCode = 1;
    const reason = error instanceof Error ? error.message : String(error);
    const message = `The primary hook of serve() failed: ${reason}. ${app.title} was not started.`;
    app.logger.error(message, error);
    const failure = new TypefastError("TF_PRIMARY_FAILED", message);
    (failure as Error & { cause?: unknown }).cause = error;
    throw failure;
  }
}

/**
 * Runs the hook, forks `workers` workers and resolves once all listen. With `handleSignals` (the default) the
 * process exits when the workers are gone: 0 after SIGTERM/SIGINT, 1 when they keep failing to start.
 */
export async function servePrimary(app: App, options: ServeOptions, workers: number): Promise<ClusterPrimary> {
  if (options.primary !== undefined) await runPrimaryHook(app, options.primary);
  const handleSignals = options.handleSignals ?? true;
  const supervisor = supervise({
    workers,
    stopTimeout: (options.shutdownDelay ?? 0) + (options.gracefulTimeout ?? 10_000) + SHUTDOWN_ALLOWANCE_MS,
    log: { info: (message) => app.logger.info(message), error: (message) => app.logger.error(message) },
    handleSignals,
  });
  let started = false;
  let closedByCall = false;
  if (handleSignals) {
    // After a signal, or giving up once serving, nothing is left for this process to do. Not after close(): the
    // caller continues. Before the workers listen, a failure rejects serve() instead (the caller prints it).
    void supervisor.done.then((code) => (!closedByCall && (started || code === 0) ? process.exit(code) : undefined));
  }
  let address;
  try {
    address = await supervisor.ready;
  } catch (error) {
    process.exitCode = 1;
    throw error;
  }
  started = true;
  const { url, port } = address;
  if (options.announce ?? true) {
    app.logger.info(`${app.title} is listening on ${url} with ${workers} worker${workers === 1 ? "" : "s"} (pids ${supervisor.pids().join(", ")}; primary ${process.pid}) (docs at ${url}/docs)`);
  }
  const close = (): Promise<void> => {
    closedByCall = true;
    return supervisor.stop();
  };
  return { url, port, pids: supervisor.pids, restart: supervisor.restart, close, done: supervisor.done };
}
