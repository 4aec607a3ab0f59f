/**
 * `typefast run`: serves the app for production. Alone, in this process; with `--workers N`, on `node:cluster` —
 * the primary forks N workers that each serve the app on the shared port, restarts a worker that dies, and on
 * SIGTERM/SIGINT forwards the signal and waits for every worker to finish its in-flight requests.
 */
import cluster, { type Worker } from "node:cluster";
import type { App } from "../app.ts";
import { serve } from "../server/serve.ts";
import { childArgs, type ChildMessage, type ChildOptions } from "./child.ts";
import { docsPath, loadApp } from "./entry.ts";
import { LAUNCHER, type Output } from "./io.ts";
import { formatError } from "./pretty-error.ts";

/** Options of {@link run}. */
export interface RunOptions extends ChildOptions {
  /** Worker processes on `node:cluster`; `undefined` serves in this process. */
  workers?: number;
}

/** How long the primary waits for workers to exit after forwarding SIGTERM before killing them. */
const STOP_TIMEOUT_MS = 30_000;
/** A worker that dies this soon after it started counts as a crash loop: restarts back off. */
const QUICK_DEATH_MS = 2000;
/** Stop restarting after this many workers in a row died before listening. */
const MAX_FAILED_STARTS = 5;

/**
 * Serves until SIGTERM/SIGINT, then shuts down gracefully; resolves to the exit code.
 *
 * @example process.exitCode = await run({ entry: "/srv/shop/main.ts", host: "0.0.0.0", port: 8000, workers: 4 }, out);
 */
export function run(options: RunOptions, out: Output): Promise<number> {
  return options.workers === undefined ? runSingle(options, out) : runCluster(options, options.workers, out);
}

async function runSingle(options: ChildOptions, out: Output): Promise<number> {
  const { app } = await loadApp(options.entry, options.app);
  const server = await serve(app as unknown as App, { host: options.host, port: options.port, handleSignals: false, announce: false });
  const docs = docsPath(app);
  out.info(`Serving ${app.title} at ${server.url}${docs ? ` — docs at ${server.url}${docs}` : ""} (pid ${process.pid})`);
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      out.info(`${signal} received: finishing in-flight requests, then shutting down`);
      server.close().then(
        () => {
          out.info("Shut down cleanly");
          resolve(0);
        },
        (error: unknown) => {
          out.error(`Shutdown failed: ${formatError(error, process.cwd())}`);
          resolve(1);
        },
      );
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
}

function runCluster(options: ChildOptions, count: number, out: Output): Promise<number> {
  cluster.setupPrimary({ exec: LAUNCHER, args: childArgs(options), execArgv: process.execArgv });
  const ready = new Set<number>();
  let announced = false;
  let stopping = false;
  let failedStarts = 0;
  let backoff = 0;

  return new Promise((resolve) => {
    const fork = () => {
      const worker = cluster.fork();
      const startedAt = Date.now();
      let listening = false;
      worker.on("message", (message: ChildMessage) => {
        if (message.type !== "typefast:ready") return;
        listening = true;
        failedStarts = 0;
        ready.add(message.pid);
        if (!announced && ready.size === count) {
          announced = true;
          const docs = message.docs ? ` — docs at ${message.docs}` : "";
          out.info(`Serving ${message.title} at ${message.url}${docs} with ${count} workers (pids ${[...ready].join(", ")}; primary ${process.pid})`);
        } else if (announced) out.info(`Worker ${message.pid} is serving`);
      });
      worker.on("exit", (code, signal) => {
        ready.delete(worker.process.pid ?? -1);
        if (stopping) return;
        const quick = Date.now() - startedAt < QUICK_DEATH_MS;
        out.error(`Worker ${worker.process.pid} died (${signal ?? `code ${code}`}); starting a new one`);
        if (!listening && ++failedStarts >= MAX_FAILED_STARTS) {
          out.error(`${failedStarts} workers in a row failed to start: giving up (see the errors above).`);
          void stopAll("SIGTERM").then(() => resolve(1));
          return;
        }
        backoff = quick ? Math.min(Math.max(backoff * 2, 100), 5000) : 0;
        setTimeout(() => {
          if (!stopping) fork();
        }, backoff);
      });
    };

    const stopAll = async (signal: NodeJS.Signals): Promise<void> => {
      stopping = true;
      const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
      await Promise.all(workers.map((w) => stopWorker(w, signal)));
    };

    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return;
      out.info(`${signal} received: stopping ${Object.keys(cluster.workers ?? {}).length} workers gracefully`);
      void stopAll(signal).then(() => {
        out.info("All workers stopped; shut down cleanly");
        resolve(0);
      });
    };
    process.on("SIGTERM", onSignal);
    process.on("SIGINT", onSignal);
    for (let i = 0; i < count; i++) fork();
  });
}

/** Forwards `signal` to a worker and waits for it to exit (killing it after {@link STOP_TIMEOUT_MS}). */
function stopWorker(worker: Worker, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    const force = setTimeout(() => worker.process.kill("SIGKILL"), STOP_TIMEOUT_MS);
    worker.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    worker.process.kill(signal);
  });
}
