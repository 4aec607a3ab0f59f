/**
 * `typefast run`: serves the app for production. Alone, in this process; with `--workers N`, on `node:cluster`
 * through the same supervisor as `serve(app, { workers })` — the primary forks N workers that each serve the app on
 * the shared port, replaces a worker that dies, restarts them one at a time on SIGHUP, and on SIGTERM/SIGINT
 * forwards the signal and waits for every worker to finish its in-flight requests.
 */
import cluster from "node:cluster";
import type { App } from "../app.ts";
import { supervise } from "../server/cluster.ts";
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

/** How long the primary waits for a worker to exit after forwarding SIGTERM before killing it. */
const STOP_TIMEOUT_MS = 30_000;

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
  // The workers say what they serve (title, docs path) once they listen; the banner needs it.
  const described = new Promise<Extract<ChildMessage, { type: "typefast:ready" }>>((resolve) => {
    cluster.on("message", (_worker, message: ChildMessage) => {
      if (message?.type === "typefast:ready") resolve(message);
    });
  });
  const workers = supervise({ workers: count, exec: LAUNCHER, args: childArgs(options), stopTimeout: STOP_TIMEOUT_MS, log: out });
  void Promise.all([workers.ready, described]).then(
    ([, message]) => {
      const docs = message.docs ? ` — docs at ${message.docs}` : "";
      out.info(`Serving ${message.title} at ${message.url}${docs} with ${count} workers (pids ${workers.pids().join(", ")}; primary ${process.pid})`);
    },
    () => undefined, // gave up: the supervisor said why, and `done` resolves to 1
  );
  return workers.done;
}
