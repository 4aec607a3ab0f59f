/**
 * Supervision of worker processes on `node:cluster`, shared by `serve(app, { workers })` and `typefast run
 * --workers`: fork N workers, replace one that dies (backing off when they die young, giving up when they keep
 * failing to start), replace them all one at a time on request (a rolling restart), and stop them gracefully.
 *
 * The primary only supervises: connections are accepted by the primary and handed to the workers round-robin
 * (node:cluster's default outside Windows), and a worker that closes its server gets no more of them.
 */
import cluster, { type Address, type Worker } from "node:cluster";
import { TypefastError } from "../errors/typefast-error.ts";

/** A worker that dies this soon after it was forked is crash-looping: the next fork waits, doubling each time. */
const QUICK_DEATH_MS = 2000;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5000;
/** Give up after this many workers in a row exited before they listened (bad config, database down, port taken). */
const MAX_FAILED_STARTS = 5;

/** Where the supervisor reports (a `Logger` or the CLI's output both fit). */
export interface SupervisorLog {
  info(message: string): void;
  error(message: string): void;
}

/** Options of {@link supervise}. */
export interface SupervisorOptions {
  /** How many workers to keep serving. */
  workers: number;
  /** The script workers run (default: this process's entry, as `node:cluster` does). */
  exec?: string;
  /** Its arguments (with `exec`; default none). */
  args?: readonly string[];
  /** How long a worker may take to exit after SIGTERM before it is killed, in ms. */
  stopTimeout: number;
  log: SupervisorLog;
  /** SIGTERM/SIGINT stop the workers gracefully, SIGHUP restarts them one at a time (default `true`). */
  handleSignals?: boolean;
}

/** Where the workers listen. */
export interface WorkersAddress {
  /** `http://host:port`. */
  readonly url: string;
  readonly port: number;
}

/** The workers of one primary process. */
export interface Supervisor {
  /**
   * Resolves once `workers` processes listen. Rejects with `TF_WORKERS_FAILED` when they keep exiting before they
   * listen (the supervisor has stopped by then); stays pending if the supervisor is stopped first.
   */
  readonly ready: Promise<WorkersAddress>;
  /** Resolves once every worker exited for good: 0 after {@link Supervisor.stop}, 1 after giving up. */
  readonly done: Promise<number>;
  /** Process ids of the workers serving now, oldest first. */
  pids(): number[];
  /**
   * Replaces the workers one at a time: forks a new one, waits until it listens, then stops an old one gracefully,
   * so capacity never drops. Resolves `false` (old workers keep serving) if a new worker fails to start. A call
   * while one runs queues one more pass.
   */
  restart(): Promise<boolean>;
  /** Forwards `signal` (default SIGTERM) to every worker and resolves once all exited (killed after the timeout). */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts supervising `workers` worker processes. Call it in the cluster primary only.
 *
 * @example
 * const workers = supervise({ workers: 4, stopTimeout: 15_000, log: console });
 * const { url } = await workers.ready;
 */
export function supervise(options: SupervisorOptions): Supervisor {
  if (!cluster.isPrimary) {
    throw new TypefastError("TF_WORKERS_NESTED", "supervise() was called in a cluster worker: only the primary process forks workers.");
  }
  if (options.exec !== undefined) cluster.setupPrimary({ exec: options.exec, args: [...(options.args ?? [])], execArgv: process.execArgv });
  const { log, workers: count } = options;

  const serving: Worker[] = []; // listening, not being retired; oldest first
  const retiring = new Set<Worker>(); // stopped on purpose: their exit is no crash
  const trial = new Set<Worker>(); // forked by a rolling restart, not listening yet: not replaced if they fail
  const timers = new Set<NodeJS.Timeout>();
  let replacing: Worker | undefined; // the old worker a rolling restart is replacing right now
  let address: WorkersAddress | undefined;
  let stopping: Promise<void> | undefined;
  let failedStarts = 0;
  let backoff = 0;

  let markReady!: (address: WorkersAddress) => void;
  let failReady!: (error: Error) => void;
  const ready = new Promise<WorkersAddress>((resolve, reject) => ((markReady = resolve), (failReady = reject)));
  ready.catch(() => undefined); // callers that await it still see the rejection
  let finish!: (code: number) => void;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!stopping) fn();
    }, ms);
    timers.add(timer);
  };

  const fork = (asTrial = false): Worker => {
    const worker = cluster.fork();
    const pid = worker.process.pid;
    const forkedAt = Date.now();
    let listened = false;
    if (asTrial) trial.add(worker);
    worker.on("listening", (where: Address) => {
      if (listened) return; // a second server in the same worker
      listened = true;
      failedStarts = 0;
      trial.delete(worker);
      serving.push(worker);
      if (address !== undefined) return log.info(`Worker ${pid} is serving`);
      if (serving.length < count) return;
      address = addressOf(where);
      markReady(address);
    });
    worker.on("exit", (code, signal) => {
      const at = serving.indexOf(worker);
      if (at >= 0) serving.splice(at, 1);
      if (stopping || retiring.delete(worker) || trial.delete(worker)) return;
      const how = signal ? `died (${signal})` : `exited (code ${code})`;
      // The rolling restart already has its replacement starting.
      if (worker === replacing) return log.error(`Worker ${pid} ${how} while being replaced`);
      if (!listened && ++failedStarts >= MAX_FAILED_STARTS) return giveUp();
      backoff = Date.now() - forkedAt < QUICK_DEATH_MS ? Math.min(Math.max(backoff * 2, FIRST_BACKOFF_MS), MAX_BACKOFF_MS) : 0;
      log.error(`Worker ${pid} ${how}; starting a new one${backoff > 0 ? ` in ${backoff} ms` : ""}`);
      later(backoff, () => fork());
    });
    return worker;
  };

  let killed = 0;
  const stopAll = (signal: NodeJS.Signals): Promise<void> =>
    (stopping ??= (async () => {
      for (const timer of timers) clearTimeout(timer);
      const alive = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      const forced = await Promise.all(alive.map((w) => stopWorker(w, signal, options.stopTimeout, log)));
      killed = forced.filter(Boolean).length;
      removeSignals();
    })());

  let gaveUp = false;
  const giveUp = (): void => {
    gaveUp = true;
    log.error(`${failedStarts} workers in a row failed to start: giving up (see the errors above).`);
    void stopAll("SIGTERM").then(() => {
      failReady(
        new TypefastError(
          "TF_WORKERS_FAILED",
          `${failedStarts} worker processes in a row exited before they listened: fix the error they printed above (the app's startup failed, or the port is taken) and start again.`,
        ),
      );
      finish(1);
    });
  };

  let stopped: Promise<void> | undefined;
  const stop = (signal: NodeJS.Signals = "SIGTERM"): Promise<void> =>
    (stopped ??= stopAll(signal).then(() => {
      if (gaveUp) return; // that path reports and finishes
      log.info(killed === 0 ? "All workers stopped; shut down cleanly" : `All workers stopped (${killed} killed after ${options.stopTimeout} ms)`);
      finish(0);
    }));

  const roll = async (): Promise<boolean> => {
    const old = [...serving];
    for (const worker of old) {
      if (stopping) return false;
      if (!serving.includes(worker)) continue; // it died meanwhile and was replaced already
      replacing = worker;
      const fresh = fork(true);
      const started = await new Promise<boolean>((resolve) => {
        fresh.once("listening", () => resolve(true));
        fresh.once("exit", () => resolve(false));
      });
      replacing = undefined;
      if (stopping) return false;
      if (!started) {
        log.error(`Rolling restart stopped: the new worker ${fresh.process.pid} exited before it listened (see its error above); the current workers keep serving.`);
        if (worker.isDead()) fork(); // the worker it was to replace died too: keep the count
        return false;
      }
      const at = serving.indexOf(worker);
      if (at < 0) continue; // died while its replacement started: the replacement takes its place
      serving.splice(at, 1);
      retiring.add(worker);
      await stopWorker(worker, "SIGTERM", options.stopTimeout, log);
    }
    log.info(`Rolling restart done: ${old.length} worker${old.length === 1 ? "" : "s"} replaced (now ${pidsOf(serving).join(", ")})`);
    return true;
  };

  let rolling: Promise<boolean> | undefined;
  let queued: Promise<boolean> | undefined;
  const restart = (): Promise<boolean> => {
    if (stopping) return Promise.resolve(false);
    if (rolling === undefined) return (rolling = roll().finally(() => (rolling = undefined)));
    return (queued ??= rolling.then(() => {
      queued = undefined;
      return restart();
    }));
  };

  const onStop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    log.info(`${signal} received: stopping ${serving.length} workers gracefully`);
    void stop(signal);
  };
  const onHangup = (): void => {
    log.info("SIGHUP received: restarting the workers one at a time");
    void restart();
  };
  const handleSignals = options.handleSignals ?? true;
  const removeSignals = (): void => {
    if (!handleSignals) return;
    process.off("SIGTERM", onStop);
    process.off("SIGINT", onStop);
    process.off("SIGHUP", onHangup);
  };
  if (handleSignals) {
    process.on("SIGTERM", onStop);
    process.on("SIGINT", onStop);
    process.on("SIGHUP", onHangup);
  }

  for (let i = 0; i < count; i++) fork();
  return { ready, done, pids: () => pidsOf(serving), restart, stop };
}

/** Sends `signal`, waits for the exit, kills after `timeoutMs`; resolves `true` if it had to kill. */
function stopWorker(worker: Worker, signal: NodeJS.Signals, timeoutMs: number, log: SupervisorLog): Promise<boolean> {
  if (worker.isDead()) return Promise.resolve(false);
  return new Promise((resolve) => {
    let killed = false;
    const force = setTimeout(() => {
      killed = true;
      log.error(`Worker ${worker.process.pid} was still running ${timeoutMs} ms after ${signal}: killing it`);
      worker.process.kill("SIGKILL");
    }, timeoutMs);
    worker.once("exit", () => {
      clearTimeout(force);
      resolve(killed);
    });
    worker.process.kill(signal);
  });
}

function pidsOf(workers: readonly Worker[]): number[] {
  return workers.map((w) => w.process.pid).filter((pid): pid is number => pid !== undefined);
}

/** The URL of a worker's listening address (`null` or `::`/`0.0.0.0` stay as bound: that is what was asked for). */
function addressOf(where: Address): WorkersAddress {
  const host = where.address === null || where.address === undefined ? "127.0.0.1" : where.address;
  return { url: `http://${host.includes(":") ? `[${host}]` : host}:${where.port}`, port: where.port };
}
